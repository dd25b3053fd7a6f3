"""The SMS outbox and inbound log, opt-outs, per-phone dialog state and sent reminders.

Every outgoing text is a `Message` row written in the same transaction as the change that causes
it, so a rolled-back booking never texts anyone and a committed one always does (the row waits
for a worker; a periodic job picks up anything a dead worker left behind)."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Direction(models.TextChoices):
    IN = "in", _("Received")
    OUT = "out", _("Sent")


class Status(models.TextChoices):
    QUEUED = "queued", _("Waiting to be sent")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")
    UNDELIVERABLE = "undeliverable", _("Number cannot receive SMS")
    OPTED_OUT = "opted_out", _("Not sent: the number opted out")
    RECEIVED = "received", _("Received")
    PROCESSED = "processed", _("Received and answered")


# Status callbacks arrive out of order and twice: a message only ever moves to a higher rank.
STATUS_RANK = {
    Status.QUEUED: 0,
    Status.SENDING: 1,
    Status.SENT: 2,
    Status.DELIVERED: 3,
    Status.FAILED: 3,
    Status.UNDELIVERABLE: 3,
    Status.OPTED_OUT: 3,
}
FINAL_STATUSES = {Status.DELIVERED, Status.FAILED, Status.UNDELIVERABLE, Status.OPTED_OUT}


class Message(models.Model):
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    to_number = models.CharField(_("to"), max_length=20, db_index=True)
    from_number = models.CharField(_("from"), max_length=20, blank=True, db_index=True)
    body = models.TextField(_("text"), blank=True)
    purpose = models.CharField(_("purpose"), max_length=40, blank=True)
    booking = models.ForeignKey(
        "bookings.Booking",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sms_messages",
    )
    status = models.CharField(_("status"), max_length=15, choices=Status.choices)
    # Twilio's MessageSid: for inbound messages the key that makes a replayed webhook harmless.
    provider_sid = models.CharField(max_length=64, blank=True, default="")
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=255, blank=True)
    error_code = models.CharField(max_length=10, blank=True)
    # Messages typed into the staff simulator: same pipeline, but never handed to a provider.
    simulated = models.BooleanField(default=False)
    in_reply_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replies"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("text message")
        verbose_name_plural = _("text messages")
        constraints = [
            models.UniqueConstraint(
                fields=["direction", "provider_sid"],
                condition=~Q(provider_sid=""),
                name="sms_message_unique_provider_sid",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="sms_message_due"),
            # Webhook and status-callback look-ups. The partial unique constraint above does not
            # serve "provider_sid = %s" on SQLite (the planner cannot prove sid <> ''), and a
            # table scan per inbound text grows with the log.
            models.Index(fields=["provider_sid"], name="sms_message_provider_sid"),
        ]

    def __str__(self) -> str:
        return f"{self.direction} {self.to_number if self.direction == 'out' else self.from_number}"

    @property
    def phone(self) -> str:
        """The citizen's side of the conversation."""
        return self.to_number if self.direction == Direction.OUT else self.from_number


class OptOut(models.Model):
    """A number that sent STOP (or that the provider reports as opted out, error 21610)."""

    phone = models.CharField(_("mobile number"), max_length=20, unique=True)
    source = models.CharField(max_length=20, default="keyword")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("SMS opt-out")
        verbose_name_plural = _("SMS opt-outs")

    def __str__(self) -> str:
        return self.phone


CONVERSATION_LIFETIME = timedelta(days=1)


class Conversation(models.Model):
    """Dialog state per phone. SMS has no cookies worth trusting, so the state lives here."""

    phone = models.CharField(_("mobile number"), max_length=20, unique=True)
    state = models.JSONField(default=dict, blank=True)
    language = models.CharField(_("language"), max_length=5, default="da")
    misses = models.PositiveSmallIntegerField(default=0)
    needs_person = models.BooleanField(_("needs a person"), default=False, db_index=True)
    needs_person_since = models.DateTimeField(null=True, blank=True)
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("SMS conversation")
        verbose_name_plural = _("SMS conversations")

    def __str__(self) -> str:
        return self.phone


class ReminderKind(models.TextChoices):
    DAY_BEFORE = "day_before", _("The day before")
    BEFORE_START = "before_start", _("Shortly before")


class Reminder(models.Model):
    """A reminder that was sent. Keyed on the start time it reminded about: a moved booking has
    a new start and so gets fresh reminders; a cancelled one is no longer confirmed and gets
    none. The unique key makes overlapping periodic runs send each reminder once."""

    booking = models.ForeignKey(
        "bookings.Booking", on_delete=models.CASCADE, related_name="sms_reminders"
    )
    kind = models.CharField(max_length=15, choices=ReminderKind.choices)
    starts_at = models.DateTimeField()
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["booking", "kind", "starts_at"], name="sms_reminder_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.booking_id} {self.kind}"


class PhoneHistoryAccess(models.Model):
    """Each time a staff member read a real phone's SMS history: who, when, which phone and
    through which booking. Superusers see the log in the admin; after the personal-data
    retention period the phone is wiped and the rest kept."""

    class Via(models.TextChoices):
        BOOKING = "booking", _("A booking's SMS history")
        MESSAGE_LOG = "message_log", _("Message log, searched by phone")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("staff member"),
    )
    # Kept as text too, so the log still says who after the user account is deleted.
    username = models.CharField(_("username"), max_length=150)
    phone = models.CharField(_("mobile number"), max_length=20, blank=True)
    booking = models.ForeignKey(
        "bookings.Booking",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("booking"),
    )
    via = models.CharField(_("how"), max_length=20, choices=Via.choices)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("look at an SMS history")
        verbose_name_plural = _("looks at SMS histories")

    def __str__(self) -> str:
        return f"{self.username} {self.at:%Y-%m-%d %H:%M}"
