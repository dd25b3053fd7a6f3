"""Volunteers, their shifts and the help they give.

A volunteer is identified by a mobile number (E.164) and logs in with a one-time code sent by
SMS, so most volunteers never need a password. The rules that must hold under concurrency live in
the database: one active shift per volunteer and occurrence, one open call-out per occurrence,
one weekly series per volunteer and session."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# How many volunteers a session needs when a coordinator has not said otherwise.
DEFAULT_VOLUNTEERS_NEEDED = 2


class Volunteer(models.Model):
    phone = models.CharField(_("mobile number"), max_length=20, unique=True)
    first_name = models.CharField(_("first name"), max_length=40)
    organisations = models.ManyToManyField(
        "hotspots.OrganisationPage",
        related_name="volunteers",
        blank=True,
        verbose_name=_("organisations"),
    )
    # Coordinators have no phone number in Django's user model; a volunteer record marked here
    # is the number that gets the SMS alerts about gaps in these organisations' rotas.
    alerts_for = models.ManyToManyField(
        "hotspots.OrganisationPage",
        related_name="alert_contacts",
        blank=True,
        verbose_name=_("gets SMS alerts about gaps for"),
    )
    # Optional: a volunteer who prefers a password logs in through a linked Django user.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="volunteer",
    )
    language = models.CharField(_("language"), max_length=5, default="da")
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)
    invited_at = models.DateTimeField(null=True, blank=True)
    last_login_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["first_name", "pk"]
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")

    def __str__(self) -> str:
        return self.first_name


class VolunteerNeed(models.Model):
    """How many volunteers a session wants on each date (the number of "roles" to fill)."""

    session = models.OneToOneField(
        "hotspots.SessionPage", on_delete=models.CASCADE, related_name="volunteer_need"
    )
    volunteers_needed = models.PositiveSmallIntegerField(
        _("volunteers needed"), default=DEFAULT_VOLUNTEERS_NEEDED
    )

    class Meta:
        verbose_name = _("volunteers needed")
        verbose_name_plural = _("volunteers needed")
        constraints = [
            models.CheckConstraint(
                condition=Q(volunteers_needed__gte=1) & Q(volunteers_needed__lte=20),
                name="volunteer_need_between_1_and_20",
            )
        ]

    def __str__(self) -> str:
        return f"{self.session_id}: {self.volunteers_needed}"


class RecurringShift(models.Model):
    """ "Every Tuesday": the volunteer takes every future date of a session, including dates
    materialised later (volunteers.periodic fills them in)."""

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="series")
    session = models.ForeignKey(
        "hotspots.SessionPage", on_delete=models.CASCADE, related_name="recurring_shifts"
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("weekly shift")
        verbose_name_plural = _("weekly shifts")
        constraints = [
            models.UniqueConstraint(
                fields=["volunteer", "session"],
                condition=Q(is_active=True),
                name="recurring_shift_one_active_per_session",
            )
        ]

    def __str__(self) -> str:
        return f"{self.volunteer_id} every {self.session_id}"


class ShiftStatus(models.TextChoices):
    TAKEN = "taken", _("On shift")
    DROPPED = "dropped", _("Dropped")


class ShiftSource(models.TextChoices):
    PORTAL = "portal", _("Took it in the portal")
    WEEKLY = "weekly", _("Every week")
    CALLOUT = "callout", _("Answered a call-out")
    STAFF = "staff", _("Added by a coordinator")


class Shift(models.Model):
    """A volunteer on one occurrence. bookings.services.volunteer_counts() counts the rows that
    are not dropped, and "seats per volunteer" sessions size their slots from that count."""

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="shifts")
    occurrence = models.ForeignKey(
        "bookings.Occurrence", on_delete=models.CASCADE, related_name="shifts"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ShiftStatus.choices, default=ShiftStatus.TAKEN
    )
    source = models.CharField(
        max_length=10, choices=ShiftSource.choices, default=ShiftSource.PORTAL
    )
    recurring = models.ForeignKey(
        RecurringShift, null=True, blank=True, on_delete=models.SET_NULL, related_name="shifts"
    )
    drop_reason = models.CharField(_("why it was dropped"), max_length=200, blank=True)
    taken_at = models.DateTimeField(default=timezone.now)
    dropped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["occurrence__starts_at", "pk"]
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        constraints = [
            # A double tap or a retried request never puts one volunteer on a date twice.
            models.UniqueConstraint(
                fields=["volunteer", "occurrence"],
                condition=Q(status="taken"),
                name="shift_one_active_per_volunteer",
            )
        ]
        indexes = [models.Index(fields=["occurrence", "status"], name="shift_occurrence_status")]

    def __str__(self) -> str:
        return f"{self.volunteer_id} @ {self.occurrence_id} ({self.status})"

    @property
    def hours(self) -> float:
        occurrence = self.occurrence
        return round((occurrence.ends_at - occurrence.starts_at).total_seconds() / 3600, 2)


class WalkIn(models.Model):
    """Help given to someone who did not book. Deliberately no personal data: a topic and a
    count are what the statistics need."""

    occurrence = models.ForeignKey(
        "bookings.Occurrence", on_delete=models.CASCADE, related_name="walk_ins"
    )
    help_topic = models.ForeignKey(
        "hotspots.HelpTopic",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("help with"),
    )
    count = models.PositiveSmallIntegerField(_("people"), default=1)
    recorded_by = models.ForeignKey(
        Volunteer, null=True, blank=True, on_delete=models.SET_NULL, related_name="walk_ins"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("walk-in")
        verbose_name_plural = _("walk-ins")
        constraints = [
            models.CheckConstraint(
                condition=Q(count__gte=1) & Q(count__lte=50), name="walk_in_count_1_to_50"
            )
        ]

    def __str__(self) -> str:
        return f"{self.occurrence_id} x{self.count}"


class LoginCode(models.Model):
    """A one-time SMS code. Only a keyed hash is stored. Rows are also written for numbers we do
    not know (with a code nobody receives), so a known and an unknown number behave the same in
    every way an outsider can observe."""

    phone = models.CharField(max_length=20, db_index=True)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"code for {self.phone}"


class CallOutStatus(models.TextChoices):
    OPEN = "open", _("Asking volunteers")
    FILLED = "filled", _("A volunteer took it")
    CLOSED = "closed", _("Closed")


class CallOut(models.Model):
    """An SMS to an organisation's volunteers asking someone to take a dropped shift. The first
    JA wins: the status moves open -> filled with one conditional UPDATE."""

    occurrence = models.ForeignKey(
        "bookings.Occurrence", on_delete=models.CASCADE, related_name="callouts"
    )
    status = models.CharField(
        max_length=10, choices=CallOutStatus.choices, default=CallOutStatus.OPEN
    )
    created_at = models.DateTimeField(default=timezone.now)
    filled_at = models.DateTimeField(null=True, blank=True)
    filled_by = models.ForeignKey(
        Volunteer, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    asked = models.ManyToManyField(Volunteer, related_name="callouts_received", blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("call-out")
        verbose_name_plural = _("call-outs")
        constraints = [
            models.UniqueConstraint(
                fields=["occurrence"],
                condition=Q(status="open"),
                name="callout_one_open_per_occurrence",
            )
        ]

    def __str__(self) -> str:
        return f"{self.occurrence_id} {self.status}"


class GapAlert(models.Model):
    """Remembers that coordinators were told about an unstaffed occurrence, so the periodic job
    texts them once per occurrence, however often it runs."""

    occurrence = models.OneToOneField(
        "bookings.Occurrence", on_delete=models.CASCADE, related_name="gap_alert"
    )
    sent_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"gap {self.occurrence_id}"


class MembershipInvitation(models.Model):
    """An organisation asks a person who already volunteers (elsewhere) to join it too. She
    joins only when she answers JA: another organisation may not enrol her, nor learn her name,
    without her say-so."""

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="invitations")
    organisation = models.ForeignKey(
        "hotspots.OrganisationPage", on_delete=models.CASCADE, related_name="+"
    )
    alerts = models.BooleanField(default=False)
    invited_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-invited_at", "-pk"]
        verbose_name = _("invitation to volunteer")
        verbose_name_plural = _("invitations to volunteer")

    def __str__(self) -> str:
        return f"{self.volunteer_id} → {self.organisation_id}"
