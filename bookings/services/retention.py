"""Personal data is anonymised a set number of days after the meeting."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone

from ..models import (
    Booking,
    WaitlistEntry,
    WaitlistStatus,
)


def anonymise_expired_bookings(*, now=None, days: int | None = None) -> int:
    """Wipe name, number and note a set number of days after the slot; the anonymous booking and
    its events stay for statistics."""
    now = now or timezone.now()
    days = settings.PERSONAL_DATA_RETENTION_DAYS if days is None else days
    cutoff = now - timedelta(days=days)
    with transaction.atomic():
        count = Booking.objects.filter(slot__ends_at__lt=cutoff, anonymised_at__isnull=True).update(
            first_name="", phone="", note="", anonymised_at=now, updated_at=now
        )
        WaitlistEntry.objects.filter(
            occurrence__ends_at__lt=cutoff, anonymised_at__isnull=True
        ).update(
            first_name="",
            phone="",
            anonymised_at=now,
            status=Case(
                When(
                    status__in=[WaitlistStatus.WAITING, WaitlistStatus.OFFERED],
                    then=Value(WaitlistStatus.EXPIRED.value),
                ),
                default=F("status"),
            ),
            updated_at=now,
        )
    return count
