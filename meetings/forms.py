from django import forms
from django.utils.translation import gettext_lazy as _

from bookings.forms import PhoneField, _first_name_field, _StyledForm, mode_choices

MEETING_MODE_LABELS = {
    "in_person": _("In person – you come to us"),
    "video": _("Video – on your phone, tablet or computer"),
    "phone": _("Phone – we call you"),
}


class MeetingBookingForm(_StyledForm):
    """Mode first (the citizen's choice is the point of the page), then name and mobile."""

    mode = forms.ChoiceField(
        label=_("How do you want to meet?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose how you want to meet.")},
    )
    first_name = _first_name_field()
    phone = PhoneField()

    def __init__(self, *args, modes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].help_text = _("So the caseworker knows what to call you.")
        self.fields["mode"].choices = [(m, MEETING_MODE_LABELS[m]) for m in modes]
        if len(modes) == 1:
            self.fields["mode"].initial = modes[0]


class MeetingModeForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("How do you want to meet?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose how you want to meet.")},
    )

    def __init__(self, *args, modes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mode"].choices = [(m, MEETING_MODE_LABELS[m]) for m in modes]


class InvitationForm(forms.Form):
    phone = PhoneField(label=_("The citizen's mobile number"), help_text="")
    service = forms.ChoiceField(label=_("Meeting service"))
    language = forms.ChoiceField(
        label=_("Language of the SMS"), choices=[("da", "Dansk"), ("en", "English")]
    )

    def __init__(self, *args, services=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = [(s.pk, s.title) for s in services]


__all__ = ["MeetingBookingForm", "MeetingModeForm", "InvitationForm", "mode_choices"]
