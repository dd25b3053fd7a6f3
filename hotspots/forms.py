from django import forms
from django.utils.translation import gettext_lazy as _

from .models import HelpTopic, Language, Weekday

ACCESSIBILITY_CHOICES = [
    ("step_free_access", _("Step-free access")),
    ("hearing_loop", _("Hearing loop")),
    ("accessible_toilet", _("Accessible toilet")),
    ("quiet_room", _("Quiet room")),
]


class DirectoryFilterForm(forms.Form):
    """The directory's search. Every field is optional and bad values are ignored with a note,
    because a citizen who mistypes should still see places, not an error page."""

    q = forms.CharField(
        label=_("Postcode or town"),
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "search"}),
    )
    topic = forms.ChoiceField(label=_("I need help with"), required=False)
    weekday = forms.TypedChoiceField(
        label=_("Day"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Any day"))] + list(Weekday.choices),
    )
    language = forms.ChoiceField(label=_("Language"), required=False)
    accessibility = forms.MultipleChoiceField(
        label=_("Accessibility"),
        required=False,
        choices=ACCESSIBILITY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    open_now = forms.BooleanField(label=_("Open now"), required=False)

    def __init__(self, *args, topics: list[HelpTopic], languages: list[Language], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [("", _("Anything"))] + [
            (t.slug, t.display_name) for t in topics
        ]
        self.fields["language"].choices = [("", _("Any language"))] + [
            (lang.code, lang.display_name) for lang in languages
        ]

    def cleaned_or_empty(self) -> dict:
        """Valid fields keep their value; invalid ones are dropped (and reported by the view)."""
        self.is_valid()
        return {name: self.cleaned_data[name] for name in self.fields if name in self.cleaned_data}
