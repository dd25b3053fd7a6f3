"""Crisis actions: one decision by a coordinator that changes many bookings at once and tells
every affected citizen by SMS.

The scope is the organisation, or some pages under it (hotspots today, meeting services later):
anything whose sessions live below one of those pages in the tree is in scope, so a new kind of
bookable page joins crisis mode without a schema change."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CrisisKind(models.TextChoices):
    TO_VIDEO = "to_video", _("Move in-person meetings to video")
    TO_PHONE = "to_phone", _("Move in-person meetings to phone")
    CLOSE = "close", _("Close the sessions (cancel them)")


class CrisisStatus(models.TextChoices):
    PENDING = "pending", _("Starting")
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")
    FAILED = "failed", _("Failed")


class CrisisAction(models.Model):
    organisation = models.ForeignKey(
        "hotspots.OrganisationPage",
        on_delete=models.CASCADE,
        related_name="crisis_actions",
        verbose_name=_("organisation"),
    )
    # Page ids under the organisation (hotspots, later meeting services). Empty: all of it.
    scope_page_ids = models.JSONField(_("scope"), default=list, blank=True)
    # The tree paths of those pages (or the organisation's), resolved once at the start so the
    # public banner needs one query and no tree walk.
    scope_paths = models.JSONField(default=list, blank=True)
    kind = models.CharField(_("action"), max_length=10, choices=CrisisKind.choices)
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    message = models.TextField(_("message"))
    # Optional: English-speaking citizens get this instead of the Danish message (else a
    # standard English line above the Danish one). Shown on the banner in English too.
    message_en = models.TextField(_("message in English"), blank=True)
    # The coordinator's choice when starting: at the end, do moved bookings go back to in
    # person (True) or stay as they are (False)? Citizens can answer FREMMØDE either way.
    restore_in_person = models.BooleanField(_("back to in person at the end"), default=True)
    status = models.CharField(
        _("status"), max_length=10, choices=CrisisStatus.choices, default=CrisisStatus.PENDING
    )
    # Outcome of the change, written in the same transaction as the change itself.
    bookings_changed = models.PositiveIntegerField(default=0)
    occurrences_cancelled = models.PositiveIntegerField(default=0)
    phones_texted = models.PositiveIntegerField(default=0)
    phones_opted_out = models.PositiveIntegerField(default=0)
    # Bookings without a mobile number: staff must reach them another way.
    no_phone_booking_ids = models.JSONField(default=list, blank=True)
    # Per outcome ("video", "phone", "cancelled"): how many bookings got it.
    outcomes = models.JSONField(default=dict, blank=True)
    # The all-clear: when it was sent (once) and how many texts it queued.
    all_clear_at = models.DateTimeField(null=True, blank=True)
    all_clear_texts = models.PositiveIntegerField(default=0)
    bookings_restored = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=255, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("ended by"),
    )
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("crisis action")
        verbose_name_plural = _("crisis actions")
        indexes = [models.Index(fields=["status", "ends_at"], name="crisis_active")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.organisation_id})"

    @property
    def sms_purpose(self) -> str:
        # Ties the outbox rows to this action without a column on sms.Message.
        return f"crisis:{self.pk}"

    @property
    def all_clear_purpose(self) -> str:
        return f"crisis:{self.pk}:end"

    @property
    def last_day(self):
        """The period's last day as the coordinator chose it (ends_at is the midnight after)."""
        from datetime import timedelta

        from django.utils import timezone

        return timezone.localtime(self.ends_at - timedelta(microseconds=1)).date()

    @property
    def is_active(self) -> bool:
        return self.status in (CrisisStatus.PENDING, CrisisStatus.ACTIVE)
