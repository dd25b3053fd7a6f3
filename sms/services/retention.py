"""Texts hold phone numbers and sometimes more: they are wiped with the bookings' retention."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from ..models import (
    FINAL_STATUSES,
    Conversation,
    Message,
    Status,
)


def purge_old_messages(*, now=None, days: int | None = None) -> int:
    """Texts hold phone numbers and sometimes more: wipe them with the bookings' retention."""
    now = now or timezone.now()
    days = settings.PERSONAL_DATA_RETENTION_DAYS if days is None else days
    cutoff = now - timedelta(days=days)
    wiped = (
        Message.objects.filter(
            created_at__lt=cutoff,
            status__in=[*FINAL_STATUSES, Status.SENT, Status.PROCESSED, Status.RECEIVED],
        )
        .exclude(body="", to_number="", from_number="")
        .update(body="", to_number="", from_number="", updated_at=now)
    )
    Conversation.objects.filter(updated_at__lt=cutoff, needs_person=False).delete()
    return wiped
