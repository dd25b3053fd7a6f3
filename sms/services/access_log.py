"""The record of staff reading a real phone's SMS history (sms.models.PhoneHistoryAccess)."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ..models import PhoneHistoryAccess


@transaction.atomic
def record_phone_history_access(*, user, phone: str, via: str, booking=None, now=None):
    return PhoneHistoryAccess.objects.create(
        user=user if getattr(user, "pk", None) else None,
        username=getattr(user, "username", "")[:150],
        phone=phone,
        booking=booking,
        via=via,
        at=now or timezone.now(),
    )


def wipe_old_access_phones(*, now=None, days: int | None = None) -> int:
    """After the personal-data retention period the log keeps who looked and when, not at
    which number."""
    now = now or timezone.now()
    days = settings.PERSONAL_DATA_RETENTION_DAYS if days is None else days
    return (
        PhoneHistoryAccess.objects.filter(at__lt=now - timedelta(days=days))
        .exclude(phone="")
        .update(phone="")
    )
