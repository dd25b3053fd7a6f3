"""The booking engine's data. Invariants live in the database (CHECK and unique constraints), so
they hold whichever process, thread or channel writes: web, SMS, staff or a periodic job."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class OccurrenceStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")


class CancellationSource(models.TextChoices):
    SCHEDULE = "schedule", _("The schedule changed")
    UNPUBLISHED = "unpublished", _("The session was taken offline")
    STAFF = "staff", _("Staff")
    CRISIS = "crisis", _("Crisis action")


class StaffCancelReason(models.TextChoices):
    """Why staff cancelled one booking: a code, so the event keeps no personal data. It is for
    staff and the statistics only; the citizen's SMS does not say it."""

    NO_STAFF = "no_staff", _("Not enough staff or volunteers")
    CLOSED = "closed", _("The place is closed that day")
    CITIZEN_ASKED = "citizen_ask", _("The citizen asked us to cancel")
    DUPLICATE = "duplicate", _("The citizen was booked twice")
    OTHER = "other", _("Another reason")


class Occurrence(models.Model):
    """One concrete session on one date, materialised from the session's rule."""

    # Exactly one source: a session date (hotspots) or a 1:1 caseworker meeting time (meetings
    # app, capacity 1). Code that needs the source's rules (modes, cut-offs) reads `.source`.
    session = models.ForeignKey(
        "hotspots.SessionPage",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="occurrences",
    )
    meeting_service = models.ForeignKey(
        "meetings.MeetingServicePage",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="occurrences",
    )
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    date = models.DateField(_("date"))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=OccurrenceStatus.choices,
        default=OccurrenceStatus.SCHEDULED,
    )
    cancelled_reason = models.CharField(_("why it was cancelled"), max_length=255, blank=True)
    # Who cancelled it decides whether materialisation may bring it back: a date that returns to
    # the schedule is reinstated, a date staff or a crisis action closed is not.
    cancelled_by = models.CharField(
        max_length=12, choices=CancellationSource.choices, blank=True, default=""
    )
    # What the slots were last planned from (bookings.materialise.plan_key); a run skips the
    # occurrence while it matches, so re-running over thousands of series stays cheap.
    slot_plan = models.CharField(max_length=64, blank=True, default="", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("occurrence")
        verbose_name_plural = _("occurrences")
        constraints = [
            models.UniqueConstraint(fields=["session", "date"], name="occurrence_one_per_day"),
            models.UniqueConstraint(
                fields=["meeting_service", "caseworker", "starts_at"],
                condition=Q(meeting_service__isnull=False),
                name="occurrence_one_meeting_per_start",
            ),
            models.CheckConstraint(
                condition=(Q(session__isnull=False) & Q(meeting_service__isnull=True))
                | (Q(session__isnull=True) & Q(meeting_service__isnull=False)),
                name="occurrence_exactly_one_source",
            ),
            models.CheckConstraint(
                condition=Q(starts_at__lt=F("ends_at")), name="occurrence_starts_before_end"
            ),
        ]
        indexes = [models.Index(fields=["starts_at"], name="occurrence_starts_at")]

    def __str__(self) -> str:
        return f"{self.session_id or self.meeting_service_id} {self.date}"

    @property
    def source(self):
        """The page whose rules apply: offered_modes, booking_opens_days,
        booking_cutoff_minutes, live, title."""
        return self.session if self.session_id else self.meeting_service

    @property
    def source_kind(self) -> str:
        """ "session" or "meeting_service": the key apps register their handlers under."""
        return "session" if self.session_id else "meeting_service"

    @property
    def is_cancelled(self) -> bool:
        return self.status == OccurrenceStatus.CANCELLED


class Slot(models.Model):
    """A bookable time inside an occurrence. `booked` counts confirmed bookings, `held` counts
    seats kept for a waitlist offer; both are changed only by conditional UPDATEs so that
    `booked + held <= capacity` holds under any concurrency, and the CHECK makes sure of it."""

    occurrence = models.ForeignKey(Occurrence, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveIntegerField(_("seats"))
    booked = models.PositiveIntegerField(_("booked"), default=0)
    held = models.PositiveIntegerField(_("held for the waiting list"), default=0)
    # Caseworker meetings only (a copy of occurrence.caseworker): one row then holds caseworker,
    # time and `booked`, so the database itself can refuse two booked meetings of one caseworker
    # at the same time (PostgreSQL exclusion constraint / SQLite trigger, migration 0003).
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("time slot")
        verbose_name_plural = _("time slots")
        constraints = [
            models.UniqueConstraint(fields=["occurrence", "starts_at"], name="slot_one_per_start"),
            models.CheckConstraint(condition=Q(booked__gte=0), name="slot_booked_not_negative"),
            models.CheckConstraint(condition=Q(held__gte=0), name="slot_held_not_negative"),
            models.CheckConstraint(
                condition=Q(capacity__gte=F("booked") + F("held")), name="slot_not_overbooked"
            ),
        ]
        indexes = [models.Index(fields=["starts_at"], name="slot_starts_at")]

    def __str__(self) -> str:
        return f"{self.occurrence_id} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def free(self) -> int:
        return max(self.capacity - self.booked - self.held, 0)


class Mode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    VIDEO = "video", _("Video")
    PHONE = "phone", _("Phone")


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    WEB = "web", _("Web")
    STAFF = "staff", _("Staff")


class BookingStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Booked")
    CANCELLED = "cancelled", _("Cancelled")
    ATTENDED = "attended", _("Came")
    NO_SHOW = "no_show", _("Did not come")


class Actor(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    STAFF = "staff", _("Staff")
    SYSTEM = "system", _("System")


class Booking(models.Model):
    """A citizen's seat. No CPR number, no e-mail: a first name or nickname and a mobile number
    are enough, and both are wiped a set number of days after the meeting."""

    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="bookings")
    mode = models.CharField(_("how"), max_length=10, choices=Mode.choices, default=Mode.IN_PERSON)
    # True while the mode is one a crisis action (or staff in bulk) imposed rather than one the
    # citizen chose: statistics tell the two apart, and the all-clear knows what to restore.
    mode_imposed = models.BooleanField(_("mode imposed"), default=False)
    channel = models.CharField(_("booked by"), max_length=10, choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=BookingStatus.choices, default=BookingStatus.CONFIRMED
    )
    first_name = models.CharField(_("first name or nickname"), max_length=40, blank=True)
    phone = models.CharField(_("mobile number"), max_length=20, blank=True)
    language = models.CharField(_("language"), max_length=5, default="da")
    help_topic = models.ForeignKey(
        "hotspots.HelpTopic",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("help with"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    reference = models.CharField(_("reference"), max_length=6, unique=True)
    manage_token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.CharField(max_length=10, choices=Actor.choices, blank=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)
    # Made with a practice number (bookings.phones): kept out of statistics and deleted by the
    # practice_cleanup job.
    is_practice = models.BooleanField(_("practice"), default=False, editable=False)

    class Meta:
        ordering = ["slot__starts_at", "created_at"]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        constraints = [
            # A retry or a double click must never give one phone two seats on one slot.
            models.UniqueConstraint(
                fields=["slot", "phone"],
                condition=Q(status="confirmed") & ~Q(phone=""),
                name="booking_one_confirmed_per_phone_and_slot",
            ),
        ]
        indexes = [
            models.Index(fields=["phone", "status"], name="booking_phone_status"),
            models.Index(fields=["anonymised_at"], name="booking_anonymised_at"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_confirmed(self) -> bool:
        return self.status == BookingStatus.CONFIRMED


class EventKind(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CANCELLED = "cancelled", _("Cancelled")
    MOVED = "moved", _("Moved")
    MODE_SWITCHED = "mode_switched", _("Changed how to meet")
    ATTENDED = "attended", _("Came")
    NO_SHOW = "no_show", _("Did not come")


class BookingEvent(models.Model):
    """What happened to a booking and who did it; the statistics read these, so they keep no
    personal data and survive anonymisation."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    from_mode = models.CharField(max_length=10, choices=Mode.choices, blank=True)
    to_mode = models.CharField(max_length=10, choices=Mode.choices, blank=True)
    actor = models.CharField(max_length=10, choices=Actor.choices)
    # Why, as a code (CancellationSource: "crisis", "staff" …), translated when shown.
    # A staff member's own cancellation carries a StaffCancelReason code.
    reason = models.CharField(
        max_length=12,
        choices=CancellationSource.choices + StaffCancelReason.choices,
        blank=True,
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["kind", "at"], name="bookingevent_kind_at")]

    def __str__(self) -> str:
        return f"{self.booking_id} {self.kind}"


class WaitlistStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    OFFERED = "offered", _("Offered a seat")
    ACCEPTED = "accepted", _("Took the seat")
    EXPIRED = "expired", _("Did not answer in time")
    LEFT = "left", _("Left the list")


class WaitlistEntry(models.Model):
    """A phone waiting for a seat at a full occurrence. A freed seat is held for the first in
    line and offered by SMS; it is released again if they do not answer in time."""

    occurrence = models.ForeignKey(Occurrence, on_delete=models.CASCADE, related_name="waitlist")
    phone = models.CharField(_("mobile number"), max_length=20, blank=True)
    first_name = models.CharField(_("first name or nickname"), max_length=40, blank=True)
    language = models.CharField(_("language"), max_length=5, default="da")
    channel = models.CharField(_("joined by"), max_length=10, choices=Channel.choices)
    status = models.CharField(
        max_length=10, choices=WaitlistStatus.choices, default=WaitlistStatus.WAITING
    )
    offered_slot = models.ForeignKey(
        Slot, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    booking = models.ForeignKey(
        Booking, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("waiting list entry")
        verbose_name_plural = _("waiting list")
        constraints = [
            models.UniqueConstraint(
                fields=["occurrence", "phone"],
                condition=Q(status__in=["waiting", "offered"]) & ~Q(phone=""),
                name="waitlist_once_per_phone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.occurrence_id} {self.status}"


class RateLimitCounter(models.Model):
    """One fixed-window request counter per (scope, hashed client address, window), for
    bookings/ratelimit.py. A table of its own rather than Django's database cache: the cache
    needs a read, a COUNT(*) of the whole cache table (its cull check) and a write per request,
    where this is one INSERT … ON CONFLICT DO UPDATE … RETURNING. Shared by every worker and
    node through the database; expired windows are deleted now and then by the limiter."""

    key = models.CharField(max_length=80, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key}={self.count}"


class BookingSubmission(models.Model):
    """The web form's one-off submission id → the booking it made and its plain manage token,
    for 15 minutes, so a double click's second request can show the same confirmation page.
    Written by book_slot in the booking's own transaction (one INSERT; Django's database cache
    took a COUNT(*) of its table, a SELECT, an INSERT and a savepoint). Read only while
    unexpired; expired rows are deleted now and then by book_slot."""

    key = models.CharField(max_length=64, primary_key=True)
    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return self.key
