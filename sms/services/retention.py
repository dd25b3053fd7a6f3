"""Texts hold phone numbers and sometimes more: they are wiped with the bookings' retention."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from ..models import (
    Conversation,
    Direction,
    Message,
    Status,
)


def purge_old_messages(*, now=None, days: int | None = None) -> int:
    """Wipe every text older than the retention period, whatever became of it (a text that
    failed or never left is as personal as one delivered), and forget every conversation
    untouched for as long: one still waiting for a person too, since a call-back a month late
    helps no one and its phone number may not outlive the promise."""
    now = now or timezone.now()
    days = settings.PERSONAL_DATA_RETENTION_DAYS if days is None else days
    cutoff = now - timedelta(days=days)
    old = Message.objects.filter(created_at__lt=cutoff)
    # Nothing may go out, or be answered, with the wiped text a month late.
    old.filter(direction=Direction.OUT, status__in=[Status.QUEUED, Status.SENDING]).update(
        status=Status.FAILED, last_error="Expired before it could be sent.", updated_at=now
    )
    old.filter(direction=Direction.IN, processed_at__isnull=True).update(
        processed_at=now, updated_at=now
    )
    wiped = (
        Message.objects.filter(created_at__lt=cutoff)
        .exclude(body="", to_number="", from_number="")
        .update(body="", to_number="", from_number="", updated_at=now)
    )
    Conversation.objects.filter(updated_at__lt=cutoff).delete()
    return wiped
