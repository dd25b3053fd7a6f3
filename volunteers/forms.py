"""Forms of the volunteer portal. Large fields, few of them; the rules live in services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from bookings.forms import PhoneField, _StyledForm
from bookings.validators import reject_cpr_number
from hotspots.models import HelpTopic

DROP_REASONS = [
    ("ill", _("I am ill")),
    ("away", _("I am away or busy")),
    ("other", _("Something else")),
]


def _phone_field():
    return PhoneField(
        label=_("Your mobile number"),
        help_text=_("The number your coordinator has for you."),
        error_messages={"required": _("Please write your mobile number.")},
    )


class PhoneForm(_StyledForm):
    phone = _phone_field()


class CodeForm(_StyledForm):
    code = forms.CharField(
        label=_("Code from the text message"),
        max_length=12,
        help_text=_("6 digits."),
        error_messages={"required": _("Please write the code from the text message.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(
            {"inputmode": "numeric", "autocomplete": "one-time-code", "class": "form-input"}
        )


class PasswordForm(_StyledForm):
    phone = _phone_field()
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(
            attrs={"autocomplete": "current-password", "class": "form-input"}
        ),
        error_messages={"required": _("Please write your password.")},
    )


class DropForm(_StyledForm):
    reason = forms.ChoiceField(
        label=_("Why can you not come?"),
        choices=DROP_REASONS,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose a reason.")},
    )
    note = forms.CharField(
        label=_("Anything the coordinator should know? (optional)"),
        max_length=150,
        required=False,
        validators=[reject_cpr_number],
    )

    def reason_text(self) -> str:
        reason = self.cleaned_data["reason"]
        note = self.cleaned_data.get("note") or ""
        return f"{reason}: {note}" if note else reason


class WalkInForm(_StyledForm):
    help_topic = forms.ModelChoiceField(
        label=_("What did you help with?"),
        queryset=HelpTopic.objects.all(),
        required=False,
        empty_label=_("Something else"),
    )
    count = forms.IntegerField(label=_("How many people?"), min_value=1, max_value=50, initial=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["count"].widget.attrs.update({"inputmode": "numeric", "class": "form-input"})
        self.fields["help_topic"].label_from_instance = lambda topic: topic.display_name


class SetPasswordForm(_StyledForm):
    password1 = forms.CharField(
        label=_("New password"),
        help_text=_("At least 8 characters. A short sentence is easy to remember."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "class": "form-input"}),
    )
    password2 = forms.CharField(
        label=_("The same password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "class": "form-input"}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("The two passwords are not the same."))
        return cleaned
