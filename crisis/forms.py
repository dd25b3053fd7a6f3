from datetime import datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bookings.validators import reject_cpr_number

from .models import CrisisKind

# Ready-made texts a coordinator can start from under pressure. They say what is going on;
# crisis/texts.py adds to each citizen's copy what happens to their booking and the answers
# that work for it, so these name no answers. Danish SMS bodies (like sms/texts.py), GSM-7.
TEMPLATES = {
    "to_video": (
        _("Meetings become video"),
        "{org}: Vi kan ikke mødes fysisk til og med {last}, så vi holder videomøder eller "
        "ringer op, hvor vi kan.",
    ),
    "to_phone": (
        _("Meetings become phone calls"),
        "{org}: Vi kan ikke mødes fysisk til og med {last}, så vi ringer op eller holder "
        "videomøder, hvor vi kan.",
    ),
    "close": (
        _("Sessions are closed"),
        "{org}: Vores IT-café er lukket til og med {last}. Vi beklager.",
    ),
}


def template_text(key: str, *, organisation, last_day) -> str:
    from sms.gsm import to_gsm7

    _label, body = TEMPLATES[key]
    return body.format(org=to_gsm7(organisation.title)[:30], last=f"{last_day:%d.%m}")


class CrisisForm(forms.Form):
    organisation = forms.TypedChoiceField(label=_("Organisation"), coerce=int)
    scope = forms.TypedMultipleChoiceField(
        label=_("Places"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose none for the whole organisation."),
    )
    kind = forms.ChoiceField(
        label=_("What should happen"), choices=CrisisKind.choices, widget=forms.RadioSelect
    )
    first_day = forms.DateField(
        label=_("First day"), widget=forms.DateInput(attrs={"type": "date"})
    )
    last_day = forms.DateField(label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}))
    template = forms.ChoiceField(
        label=_("Start from a ready-made message"),
        required=False,
        choices=[("", _("(write my own)"))] + [(k, v[0]) for k, v in TEMPLATES.items()],
    )
    message = forms.CharField(
        label=_("Text message to the citizens"),
        required=False,
        help_text=_(
            "Say what is going on. Each citizen's text then says what happens to their "
            "booking and which answers work for them."
        ),
        widget=forms.Textarea(attrs={"rows": 5, "data-sms-counter": "crisis-segments"}),
        validators=[reject_cpr_number],
    )
    message_en = forms.CharField(
        label=_("The message in English (optional)"),
        required=False,
        help_text=_(
            "For citizens who booked in English. Without it they get a standard English line "
            "above the Danish message."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    restore_in_person = forms.TypedChoiceField(
        label=_("When the action ends"),
        coerce=lambda value: value == "yes",
        choices=[
            ("yes", _("Moved bookings go back to in person")),
            ("no", _("Moved bookings stay as they are")),
        ],
        initial="yes",
        required=False,
        empty_value=True,
        widget=forms.RadioSelect,
        help_text=_("Citizens can answer FREMMØDE either way, and get a text when it ends."),
    )

    def __init__(self, *args, organisations, hotspots, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {o.pk: o for o in organisations}
        self.fields["organisation"].choices = [(o.pk, o.title) for o in organisations]
        self.fields["scope"].choices = [(h.pk, h.title) for h in hotspots]
        self.hotspot_paths = {h.pk: h.path for h in hotspots}

    def _no_answers(self, name):
        from .services import keywords_in

        value = self.cleaned_data.get(name, "")
        words = keywords_in(value)
        if words:
            raise forms.ValidationError(
                _(
                    "Leave out the answers (%(words)s): each citizen's text gets the answers "
                    "that work for their booking."
                )
                % {"words": ", ".join(words)}
            )
        return value

    def clean_message(self):
        return self._no_answers("message")

    def clean_message_en(self):
        return self._no_answers("message_en")

    def clean(self):
        data = super().clean()
        first, last = data.get("first_day"), data.get("last_day")
        if first and last and last < first:
            self.add_error("last_day", _("The last day cannot be before the first day."))
        if last and last < timezone.localdate():
            self.add_error("last_day", _("The period is already over."))
        organisation = self.organisations.get(data.get("organisation"))
        if organisation is not None:
            data["organisation_page"] = organisation
            for pk in data.get("scope") or []:
                if not self.hotspot_paths[pk].startswith(organisation.path):
                    self.add_error("scope", _("Choose places that belong to this organisation."))
                    break
        return data

    def period(self, *, now=None) -> tuple[datetime, datetime]:
        """Local midnight of the first day (or now, if that has passed) to the midnight after
        the last day: the bookings already over are left alone."""
        now = now or timezone.now()
        tz = timezone.get_current_timezone()
        start = datetime.combine(self.cleaned_data["first_day"], time.min, tzinfo=tz)
        end = datetime.combine(
            self.cleaned_data["last_day"] + timedelta(days=1), time.min, tzinfo=tz
        )
        return max(start, now), end
