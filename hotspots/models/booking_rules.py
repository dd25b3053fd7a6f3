"""The rules the booking engine reads from whatever citizens book: an IT-café session here, a
caseworker's meeting service in the meetings app. One abstract model, so the engine asks every
source the same questions (which modes, when booking opens and closes, until when the mode can
be changed) instead of guessing with hasattr."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

MODE_FIELDS = (
    ("in_person", "offers_in_person"),
    ("video", "offers_video"),
    ("phone", "offers_phone"),
)
WEEK_IN_MINUTES = 7 * 24 * 60


class BookingRules(models.Model):
    offers_in_person = models.BooleanField(_("in person"), default=True)
    offers_video = models.BooleanField(
        _("video"),
        default=False,
        help_text=_("A video room from the organisation's video service; the link comes by SMS."),
    )
    offers_phone = models.BooleanField(
        _("phone"), default=False, help_text=_("We call the citizen on their mobile number.")
    )
    booking_opens_days = models.PositiveSmallIntegerField(
        _("booking opens (days before)"),
        default=28,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    booking_cutoff_minutes = models.PositiveSmallIntegerField(
        _("booking closes (minutes before the start)"),
        default=60,
        validators=[MaxValueValidator(WEEK_IN_MINUTES)],
    )
    mode_change_cutoff_minutes = models.PositiveSmallIntegerField(
        _("citizens can change how to meet until (minutes before the start)"),
        default=60,
        validators=[MaxValueValidator(WEEK_IN_MINUTES)],
    )

    # A session has a hotspot; a meeting service does not (its place is the caseworker's room).
    hotspot = None

    class Meta:
        abstract = True

    def rule_errors(self) -> dict:
        """Field errors of the rules, for the page's clean() to raise with its own."""
        if not self.offered_modes:
            return {"offers_in_person": _("Choose at least one way to meet.")}
        return {}

    @property
    def offered_modes(self) -> list[str]:
        return [mode for mode, field in MODE_FIELDS if getattr(self, field)]

    def modes_for(self, occurrence) -> list[str]:
        """The modes one concrete time offers; a source may narrow its own (see meetings)."""
        return self.offered_modes
