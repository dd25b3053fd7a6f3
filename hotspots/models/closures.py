"""Editors' closures of a hotspot or a session, and the holidays a session's editor opens.

Closures are shown to citizens with their reason; the booking planner offers no date inside one
(a hotspot's closure covers all its sessions)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Orderable

from ..closed_days import period_text


class Closure(Orderable):
    starts_on = models.DateField(_("closed from"))
    ends_on = models.DateField(_("closed until (including)"))
    reason = models.CharField(
        _("reason shown to citizens"),
        max_length=200,
        help_text=_("E.g. 'The library is being renovated.'"),
    )

    panels = [FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]), FieldPanel("reason")]

    class Meta(Orderable.Meta):
        abstract = True
        verbose_name = _("closure")
        verbose_name_plural = _("closures")

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("A closure cannot end before it starts.")})

    @property
    def period(self) -> str:
        return period_text(self.starts_on, self.ends_on)


class HotspotClosure(Closure):
    hotspot = ParentalKey("hotspots.HotspotPage", on_delete=models.CASCADE, related_name="closures")

    class Meta(Closure.Meta):
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_on__lte=models.F("ends_on")),
                name="hotspot_closure_starts_before_it_ends",
            )
        ]


class SessionClosure(Closure):
    session = ParentalKey("hotspots.SessionPage", on_delete=models.CASCADE, related_name="closures")

    class Meta(Closure.Meta):
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_on__lte=models.F("ends_on")),
                name="session_closure_starts_before_it_ends",
            )
        ]


class OpenedHoliday(Orderable):
    """A public holiday (or Christmas Eve / New Year's Eve) on which this session runs anyway."""

    session = ParentalKey(
        "hotspots.SessionPage", on_delete=models.CASCADE, related_name="opened_holidays"
    )
    date = models.DateField(_("date"))

    panels = [FieldPanel("date")]

    class Meta(Orderable.Meta):
        verbose_name = _("open on holiday")
        verbose_name_plural = _("open on these holidays")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "date"], name="opened_holiday_once_per_session"
            )
        ]
