from django import forms
from django.utils.translation import gettext_lazy as _

PRACTICE_ONLY = _(
    "The simulator works only with practice numbers, +45 70 00 00 00 to +45 70 00 00 99, so "
    "it never reads or changes a citizen's texts or bookings. Please choose one of those."
)


class SimulatorForm(forms.Form):
    phone = forms.CharField(label=_("Practice number"), max_length=30, initial="+4570000000")
    text = forms.CharField(label=_("Text message"), max_length=1600, required=False)

    def clean_phone(self):
        from bookings.errors import InvalidPhone
        from bookings.phones import is_practice_phone, normalise_phone

        try:
            phone = normalise_phone(self.cleaned_data["phone"])
        except InvalidPhone as error:
            raise forms.ValidationError(str(error.message)) from error
        if not is_practice_phone(phone):
            raise forms.ValidationError(PRACTICE_ONLY)
        return phone


class MessageFilterForm(forms.Form):
    phone = forms.CharField(label=_("Mobile number"), max_length=30, required=False)
    booking = forms.CharField(label=_("Booking reference"), max_length=6, required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import Status

        self.fields["status"].choices = [("", _("All"))] + list(Status.choices)

    def clean_phone(self):
        from bookings.errors import InvalidPhone
        from bookings.phones import normalise_phone

        value = self.cleaned_data["phone"].strip()
        if not value:
            return ""
        try:
            return normalise_phone(value)
        except InvalidPhone as error:
            raise forms.ValidationError(str(error.message)) from error
