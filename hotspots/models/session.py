"""A recurring help session at a hotspot (an IT-café), with its booking rules."""

from datetime import date, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from recurrence.fields import RecurrenceField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.models import Page

from .. import schedule
from .base import (
    CopyFormWithoutAlias,
    KnownAncestorsMixin,
)
from .booking_rules import BookingRules
from .hotspot import (
    HotspotPage,
)


class CapacityRule(models.TextChoices):
    FIXED = "fixed", _("A fixed number of citizens per time slot")
    PER_VOLUNTEER = "per_volunteer", _("A number of citizens per volunteer on shift")


class BookingKind(models.TextChoices):
    BOOKED = "booked", _("Citizens book a time")
    DROP_IN = "drop_in", _("Drop in, no booking")


class SessionPage(KnownAncestorsMixin, BookingRules, Page):
    """A recurring help session at a hotspot, e.g. the IT café every Tuesday 10–12."""

    description = models.CharField(
        _("short description"),
        max_length=255,
        blank=True,
        help_text=_("E.g. 'Volunteers help you with MitID, e-Boks and your phone.'"),
    )
    recurrence = RecurrenceField(
        _("repeats"),
        help_text=_("Which days the session takes place. Add exceptions for holidays."),
    )
    starts_on = models.DateField(
        _("first date"), default=date.today, help_text=_("The first day the session runs.")
    )
    ends_on = models.DateField(
        _("last date"),
        null=True,
        blank=True,
        help_text=_("Leave empty if it runs until further notice."),
    )
    start_time = models.TimeField(_("starts at"), default=time(10, 0))
    end_time = models.TimeField(_("ends at"), default=time(12, 0))
    booking_kind = models.CharField(
        _("booking"), max_length=10, choices=BookingKind.choices, default=BookingKind.BOOKED
    )
    slot_minutes = models.PositiveSmallIntegerField(
        _("length of each time slot (minutes)"),
        default=30,
        validators=[MinValueValidator(10), MaxValueValidator(240)],
    )
    capacity_rule = models.CharField(
        _("how many citizens per time slot"),
        max_length=20,
        choices=CapacityRule.choices,
        default=CapacityRule.FIXED,
    )
    fixed_capacity = models.PositiveSmallIntegerField(
        _("citizens per time slot"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text=_("Used when the number is fixed."),
    )
    seats_per_volunteer = models.PositiveSmallIntegerField(
        _("citizens per volunteer"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("Used when the number follows the volunteers on shift."),
    )
    what_to_bring = models.CharField(
        _("what to bring"),
        max_length=255,
        blank=True,
        default="",
        help_text=_("E.g. 'Your phone, its charger and your MitID app or code display.'"),
    )
    # Derived on save from the rule, so the directory can filter by weekday in SQL.
    weekdays = models.CharField(max_length=7, blank=True, default="", editable=False)

    content_panels = Page.content_panels + [
        FieldPanel("description"),
        # django-recurrence's widget only works as a top-level panel.
        FieldPanel("recurrence"),
        FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
        FieldRowPanel([FieldPanel("start_time"), FieldPanel("end_time")]),
        MultiFieldPanel(
            [
                FieldPanel("booking_kind"),
                FieldPanel("slot_minutes"),
                FieldPanel("capacity_rule"),
                FieldRowPanel([FieldPanel("fixed_capacity"), FieldPanel("seats_per_volunteer")]),
                FieldRowPanel(
                    [FieldPanel("booking_opens_days"), FieldPanel("booking_cutoff_minutes")]
                ),
                FieldPanel("mode_change_cutoff_minutes"),
            ],
            heading=_("Booking"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("offers_in_person"),
                FieldPanel("offers_video"),
                FieldPanel("offers_phone"),
            ],
            heading=_("How citizens can take part"),
        ),
        FieldPanel("what_to_bring"),
        InlinePanel(
            "closures",
            heading=_("Closures"),
            label=_("closure"),
            help_text=_("The session is not offered on these dates; citizens see the reason."),
        ),
        InlinePanel(
            "opened_holidays",
            heading=_("Open on these holidays"),
            label=_("holiday"),
            help_text=_(
                "Public holidays, 24 and 31 December are closed unless you add the date here."
            ),
        ),
    ]
    parent_page_types = ["hotspots.HotspotPage"]
    subpage_types = []
    template = "pages/hotspots/session_page.html"
    copy_form_class = CopyFormWithoutAlias

    api_fields = [
        APIField("description"),
        APIField("schedule_text"),
        APIField("rrule"),
        APIField("starts_on"),
        APIField("ends_on"),
        APIField("start_time"),
        APIField("end_time"),
        APIField("booking_kind"),
        APIField("slot_minutes"),
        APIField("offered_modes"),
        APIField("upcoming_starts"),
    ]

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def clean(self):
        super().clean()
        errors = {}
        if self.start_time and self.end_time and self.start_time >= self.end_time:
            errors["end_time"] = _("The session must end after it starts.")
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The last date cannot be before the first date.")
        errors.update(self.rule_errors())
        if self.recurrence is None or not (self.recurrence.rrules or self.recurrence.rdates):
            errors["recurrence"] = _("Add at least one rule or date.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.weekdays = schedule.weekdays_in(
            self.recurrence, starts_on=self.starts_on, today=timezone.localdate()
        )
        return super().save(*args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # One query for the breadcrumbs and the hotspot, instead of one for each.
        context["ancestors"] = self.known_ancestors()
        context["hotspot"] = context["ancestors"][-1].specific
        from ..selectors import visible_closures

        context["closures"] = visible_closures(
            hotspot=context["hotspot"], session=self, today=timezone.localdate()
        )
        context["upcoming"] = [
            {"session": self, "start": start, "end": end}
            for start, end in self.upcoming(limit=8, days=42)
        ]
        return context

    @property
    def schedule_text(self) -> str:
        return schedule.describe(self.recurrence, self.start_time, self.end_time)

    @property
    def rrule(self) -> str:
        """The rule as RFC 5545 text, for feeds and Open Referral."""
        from recurrence import serialize

        return serialize(self.recurrence) if self.recurrence else ""

    def dates_between(self, first: date, last: date) -> list[date]:
        return schedule.occurrence_dates(
            self.recurrence, starts_on=self.starts_on, ends_on=self.ends_on, first=first, last=last
        )

    def upcoming(self, *, days: int = 28, limit: int = 5, now=None, closed=None):
        """The next (start, end) pairs as aware datetimes in Europe/Copenhagen, without the
        dates it is not offered (`closed`; looked up here unless the caller loaded it in bulk)."""
        now = now or timezone.now()
        today = timezone.localdate(now)
        last = today + timedelta(days=days)
        if closed is None:
            from ..closures_by_session import closed_dates_by_session

            closed = closed_dates_by_session([self], first=today, last=last)[self.pk]
        result = []
        for day in self.dates_between(today, last):
            if day in closed:
                continue
            start = schedule.local_datetime(day, self.start_time)
            end = schedule.local_datetime(day, self.end_time)
            if end <= now:
                continue
            result.append((start, end))
            if len(result) >= limit:
                break
        return result

    @property
    def upcoming_starts(self) -> list[str]:
        return [start.isoformat() for start, _end in self.upcoming()]

    @cached_property
    def hotspot(self) -> HotspotPage:
        # The parent page by its tree path: one query, not the parent and then its specific row.
        return HotspotPage.objects.get(path=self.path[: -self.steplen])


def sms_public_number() -> str:
    return settings.SMS_PUBLIC_NUMBER
