"""Caseworker meetings: a public service page under an organisation, the caseworkers' recurring
availability, and the video rooms. The meetings themselves are ordinary booking-engine rows
(bookings.Occurrence/Slot/Booking with capacity 1), so cancelling, switching mode, reminders,
crisis actions and statistics work for them without a second code path."""

from datetime import date, time

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from recurrence.fields import RecurrenceField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from hotspots.models import BookingRules
from hotspots.models.booking_rules import MODE_FIELDS, WEEK_IN_MINUTES


def caseworkers_of(organisation):
    """Staff users in the organisation's caseworkers group."""
    from django.contrib.auth import get_user_model

    if organisation is None or not organisation.caseworkers_group_id:
        return get_user_model().objects.none()
    return (
        get_user_model()
        .objects.filter(groups=organisation.caseworkers_group_id, is_active=True)
        .order_by("first_name", "username")
    )


class MeetingLocation(models.Model):
    """A room where a caseworker meets citizens in person. Belongs to one organisation."""

    organisation = models.ForeignKey(
        "hotspots.OrganisationPage", on_delete=models.CASCADE, related_name="meeting_locations"
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("E.g. 'Jobcenter, room 2.14'"))
    address = models.CharField(_("street address"), max_length=200)
    postcode = models.CharField(_("postcode"), max_length=4, blank=True)
    city = models.CharField(_("city"), max_length=60, blank=True)
    directions = models.CharField(
        _("how to find it"),
        max_length=255,
        blank=True,
        help_text=_("E.g. 'Ask for your caseworker at the front desk.'"),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("address"),
        FieldRowPanel([FieldPanel("postcode"), FieldPanel("city")]),
        FieldPanel("directions"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("meeting location")
        verbose_name_plural = _("meeting locations")

    def __str__(self) -> str:
        return self.name

    @property
    def full_address(self) -> str:
        town = " ".join(p for p in (self.postcode, self.city) if p)
        return ", ".join(p for p in (self.address, town) if p)


class MeetingServiceForm(WagtailAdminPageForm):
    """Only the organisation's own locations and caseworkers can be chosen."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        organisation = None
        parent = getattr(self, "parent_page", None)
        if self.instance.pk:
            parent = self.instance.get_parent()
        if parent is not None:
            organisation = parent.specific
        if "locations" in self.fields:
            self.fields["locations"].queryset = MeetingLocation.objects.filter(
                organisation=organisation
            )
        if "caseworkers" in self.fields:
            self.fields["caseworkers"].queryset = caseworkers_of(organisation)


class MeetingServicePage(BookingRules, Page):
    """A kind of meeting citizens can book with a caseworker, e.g. "Samtale med jobcentret".
    Its booking rules are SessionPage's (hotspots.models.BookingRules), read by the engine
    through Occurrence.source."""

    description = RichTextField(
        _("description"), blank=True, features=["bold", "italic", "link", "ul"]
    )
    duration_minutes = models.PositiveSmallIntegerField(
        _("length of a meeting (minutes)"),
        default=45,
        validators=[MinValueValidator(10), MaxValueValidator(240)],
    )
    # The engine's rules come from BookingRules; a caseworker meets by video and phone as well
    # unless the service says otherwise, and bookings close two hours before.
    offers_video = models.BooleanField(_("video"), default=True)
    offers_phone = models.BooleanField(_("phone"), default=True)
    booking_cutoff_minutes = models.PositiveSmallIntegerField(
        _("booking closes (minutes before the start)"),
        default=120,
        validators=[MaxValueValidator(WEEK_IN_MINUTES)],
    )
    locations = ParentalManyToManyField(
        MeetingLocation, blank=True, related_name="services", verbose_name=_("locations")
    )
    caseworkers = ParentalManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="meeting_services",
        verbose_name=_("caseworkers"),
    )

    content_panels = Page.content_panels + [
        FieldPanel("description"),
        FieldPanel("duration_minutes"),
        MultiFieldPanel(
            [
                FieldPanel("offers_in_person"),
                FieldPanel("offers_video"),
                FieldPanel("offers_phone"),
            ],
            heading=_("How citizens can meet"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("booking_opens_days"),
                FieldPanel("booking_cutoff_minutes"),
                FieldPanel("mode_change_cutoff_minutes"),
            ],
            heading=_("Booking window"),
        ),
        FieldPanel("locations", widget=forms.CheckboxSelectMultiple),
        FieldPanel("caseworkers", widget=forms.CheckboxSelectMultiple),
    ]
    base_form_class = MeetingServiceForm
    parent_page_types = ["hotspots.OrganisationPage"]
    subpage_types = []
    template = "pages/meetings/meeting_service_page.html"

    class Meta:
        verbose_name = _("meeting service")
        verbose_name_plural = _("meeting services")

    def clean(self):
        super().clean()
        if errors := self.rule_errors():
            raise ValidationError(errors)

    @property
    def organisation(self):
        return self.get_parent().specific

    def modes_for(self, occurrence) -> list[str]:
        """Modes a concrete meeting time offers: the service's, narrowed by the caseworker's
        availability (in person only where a location is set)."""
        modes = self.offered_modes
        meeting_time = getattr(occurrence, "meeting_time", None) if occurrence else None
        if meeting_time is None:
            return modes
        return [m for m in modes if m in meeting_time.modes]

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context["days"] = selectors.bookable_meeting_days(service=self)
        context["organisation"] = self.organisation
        context["places"] = selectors.meeting_places(context["days"])
        return context


class CaseworkerProfile(models.Model):
    """What a caseworker needs beyond the user account: a mobile number to be told about changes
    and, for the external-link video provider, their own meeting link."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="caseworker_profile"
    )
    phone = models.CharField(_("mobile number for notices"), max_length=20, blank=True)
    meeting_url = models.URLField(
        _("own video meeting link"),
        blank=True,
        help_text=_("Used when video meetings run in your own tool (e.g. Teams)."),
    )
    is_team_lead = models.BooleanField(
        _("team lead"), default=False, help_text=_("Sees every caseworker's meetings.")
    )

    def __str__(self) -> str:
        return str(self.user)


class CaseworkerAvailability(models.Model):
    """Recurring hours a caseworker offers one or more meeting services. Expanded into 1:1
    slots by meetings.materialise, DST-correct like sessions (dates from the rule, local time
    of day in Europe/Copenhagen)."""

    organisation = models.ForeignKey(
        "hotspots.OrganisationPage", on_delete=models.CASCADE, related_name="+"
    )
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="meeting_availability",
        verbose_name=_("caseworker"),
    )
    services = models.ManyToManyField(
        MeetingServicePage, related_name="availability", verbose_name=_("meeting services")
    )
    recurrence = RecurrenceField(_("repeats"))
    starts_on = models.DateField(_("first date"), default=date.today)
    ends_on = models.DateField(_("last date"), null=True, blank=True)
    start_time = models.TimeField(_("from"), default=time(9, 0))
    end_time = models.TimeField(_("until"), default=time(12, 0))
    location = models.ForeignKey(
        MeetingLocation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        verbose_name=_("location for in-person meetings"),
    )
    offers_in_person = models.BooleanField(_("in person"), default=True)
    offers_video = models.BooleanField(_("video"), default=True)
    offers_phone = models.BooleanField(_("phone"), default=True)

    class Meta:
        verbose_name = _("availability")
        verbose_name_plural = _("availability")

    def __str__(self) -> str:
        from hotspots import schedule

        return f"{self.caseworker}: {schedule.describe(self.recurrence, self.start_time, self.end_time)}"

    def clean(self):
        if self.start_time and self.end_time and self.start_time >= self.end_time:
            raise ValidationError({"end_time": _("The hours must end after they start.")})
        if not (self.offers_in_person or self.offers_video or self.offers_phone):
            raise ValidationError({"offers_in_person": _("Choose at least one way to meet.")})
        if self.offers_in_person and not self.location_id:
            raise ValidationError(
                {"location": _("Choose a location, or do not offer in-person meetings.")}
            )

    @property
    def modes(self) -> list[str]:
        return [mode for mode, field in MODE_FIELDS if getattr(self, field)]


class ExceptionReason(models.TextChoices):
    HOLIDAY = "holiday", _("Holiday")
    SICK = "sick", _("Sick")
    OTHER = "other", _("Other")


class AvailabilityException(models.Model):
    """Days a caseworker is away. No new times are offered; booked meetings on those days are
    cancelled and the citizens told (a sick day)."""

    organisation = models.ForeignKey(
        "hotspots.OrganisationPage", on_delete=models.CASCADE, related_name="+"
    )
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="meeting_exceptions",
        verbose_name=_("caseworker"),
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until (inclusive)"))
    reason = models.CharField(
        _("reason"), max_length=10, choices=ExceptionReason.choices, default=ExceptionReason.HOLIDAY
    )

    class Meta:
        ordering = ["starts_on"]
        verbose_name = _("time off")
        verbose_name_plural = _("time off")
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__lte=models.F("ends_on")), name="meeting_exception_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.caseworker}: {self.starts_on}–{self.ends_on}"


class MeetingTime(models.Model):
    """What the engine's Occurrence does not know about a meeting time: where, and which modes
    the caseworker's availability allows."""

    occurrence = models.OneToOneField(
        "bookings.Occurrence", on_delete=models.CASCADE, related_name="meeting_time"
    )
    availability = models.ForeignKey(
        CaseworkerAvailability, null=True, on_delete=models.SET_NULL, related_name="times"
    )
    location = models.ForeignKey(MeetingLocation, null=True, on_delete=models.SET_NULL)
    offers_in_person = models.BooleanField(default=True)
    offers_video = models.BooleanField(default=True)
    offers_phone = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"{self.occurrence_id}"

    @property
    def modes(self) -> list[str]:
        modes = [mode for mode, field in MODE_FIELDS if getattr(self, field)]
        if self.location_id is None and "in_person" in modes:
            modes.remove("in_person")
        return modes


class VideoRoom(models.Model):
    """The video room of one meeting. Citizens reach it only through our own /m/<token>/ page;
    the token is stored hashed, and the page lets them in only around the meeting time."""

    booking = models.OneToOneField(
        "bookings.Booking", on_delete=models.CASCADE, related_name="video_room"
    )
    provider = models.CharField(max_length=20)
    room_id = models.CharField(max_length=64, unique=True)
    join_token_hash = models.CharField(max_length=64, unique=True)
    valid_from = models.DateTimeField()
    valid_until = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.provider}:{self.room_id}"
