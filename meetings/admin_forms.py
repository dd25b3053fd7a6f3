"""Forms for the meetings screens in the Wagtail admin. Every choice is limited to the user's
organisations, and a caseworker who is not a team lead can only choose themself."""

from django import forms
from django.utils.translation import gettext_lazy as _

from bookings.forms import PhoneField
from bookings.validators import add_cpr_guard
from hotspots.models import OrganisationPage

from .models import (
    AvailabilityException,
    CaseworkerAvailability,
    CaseworkerProfile,
    MeetingLocation,
    MeetingServicePage,
    caseworkers_of,
)


class _ScopedForm(forms.ModelForm):
    def __init__(self, *args, organisations=(), managed=(), user=None, **kwargs):
        super().__init__(*args, **kwargs)
        add_cpr_guard(self)
        self.organisations = list(organisations)
        self.managed = {o.pk for o in managed}
        self.user = user
        if "organisation" in self.fields:
            self.fields["organisation"].queryset = OrganisationPage.objects.filter(
                pk__in=[o.pk for o in self.organisations]
            )
            if len(self.organisations) == 1:
                self.fields["organisation"].initial = self.organisations[0].pk
        if "caseworker" in self.fields:
            from django.contrib.auth import get_user_model

            ids = {user.pk} if user else set()
            for organisation in self.organisations:
                if organisation.pk in self.managed:
                    ids |= set(caseworkers_of(organisation).values_list("pk", flat=True))
            self.fields["caseworker"].queryset = get_user_model().objects.filter(pk__in=ids)
            self.fields["caseworker"].initial = user.pk if user else None

    def clean(self):
        data = super().clean()
        organisation = data.get("organisation")
        caseworker = data.get("caseworker")
        if organisation is not None and caseworker is not None:
            is_member = caseworkers_of(organisation).filter(pk=caseworker.pk).exists()
            if not is_member:
                self.add_error("caseworker", _("This person is not a caseworker here."))
            elif caseworker.pk != self.user.pk and organisation.pk not in self.managed:
                self.add_error("caseworker", _("You can only change your own times."))
        return data


class AvailabilityForm(_ScopedForm):
    class Meta:
        model = CaseworkerAvailability
        fields = [
            "organisation",
            "caseworker",
            "services",
            "recurrence",
            "starts_on",
            "ends_on",
            "start_time",
            "end_time",
            "location",
            "offers_in_person",
            "offers_video",
            "offers_phone",
        ]
        widgets = {
            "services": forms.CheckboxSelectMultiple,
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
            "start_time": forms.TimeInput(attrs={"type": "time"}),
            "end_time": forms.TimeInput(attrs={"type": "time"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        org_ids = [o.pk for o in self.organisations]
        services = MeetingServicePage.objects.none()
        for organisation in self.organisations:
            services |= MeetingServicePage.objects.child_of(organisation)
        self.fields["services"].queryset = services
        self.fields["location"].queryset = MeetingLocation.objects.filter(
            organisation_id__in=org_ids
        )

    def clean(self):
        data = super().clean()
        organisation = data.get("organisation")
        if organisation is not None:
            for service in data.get("services") or []:
                if not service.path.startswith(organisation.path):
                    self.add_error("services", _("Choose services of the same organisation."))
            location = data.get("location")
            if location is not None and location.organisation_id != organisation.pk:
                self.add_error("location", _("Choose a location of the same organisation."))
        if data.get("offers_in_person") and not data.get("location"):
            self.add_error("location", _("Choose a location, or do not offer in-person meetings."))
        return data


class ExceptionForm(_ScopedForm):
    class Meta:
        model = AvailabilityException
        fields = ["organisation", "caseworker", "starts_on", "ends_on", "reason"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
        }

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["starts_on"] > data["ends_on"]:
            self.add_error("ends_on", _("The last day must be on or after the first day."))
        return data


class LocationForm(_ScopedForm):
    class Meta:
        model = MeetingLocation
        fields = ["organisation", "name", "address", "postcode", "city", "directions"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = self.fields["organisation"].queryset.filter(
            pk__in=self.managed
        )


class ProfileForm(forms.ModelForm):
    class Meta:
        model = CaseworkerProfile
        fields = ["phone", "meeting_url"]


class NoticeNumberForm(forms.Form):
    """The one field a caseworker without a notification number is asked for on "My meetings"."""

    phone = PhoneField(
        label=_("Your mobile number for notices"),
        help_text=_("We text you when a citizen moves, cancels or changes how to meet."),
        error_messages={"required": _("Write your mobile number, so we can text you.")},
    )
