"""Reminders the day before and shortly before a booking, each sent at most once."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .. import texts
from ..models import (
    Message,
    OptOut,
    Reminder,
    ReminderKind,
)
from .outbox import (
    queue_sms,
)


def reminder_times(starts_at, *, now=None) -> dict[str, datetime]:
    """When each reminder for a meeting starting at `starts_at` is due."""
    local = timezone.localtime(starts_at)
    day_before = datetime.combine(
        local.date() - timedelta(days=1), time(settings.SMS_REMINDER_DAY_BEFORE_HOUR)
    )
    return {
        ReminderKind.DAY_BEFORE: timezone.make_aware(day_before),
        ReminderKind.BEFORE_START: starts_at
        - timedelta(minutes=settings.SMS_REMINDER_BEFORE_MINUTES),
    }


def send_due_reminders(*, now=None) -> int:
    """Queue the reminders that are due. Run every few minutes; each (booking, kind, start) is
    sent at most once, a moved booking is reminded of its new time, a cancelled one not at
    all, and the text is written at send time so it shows the current mode."""
    from bookings.models import Booking, BookingStatus

    now = now or timezone.now()
    candidates = list(
        Booking.objects.filter(
            status=BookingStatus.CONFIRMED,
            slot__starts_at__gt=now,
            slot__starts_at__lte=now + timedelta(days=2),
        )
        .exclude(phone="")
        .select_related("slot__occurrence__session")
    )
    if not candidates:
        return 0
    opted_out = set(
        OptOut.objects.filter(phone__in={b.phone for b in candidates}).values_list(
            "phone", flat=True
        )
    )
    done = set(
        Reminder.objects.filter(booking__in=candidates).values_list(
            "booking_id", "kind", "starts_at"
        )
    )
    sent = 0
    for booking in candidates:
        if booking.phone in opted_out:
            continue
        start = booking.slot.starts_at
        times = reminder_times(start)
        kind = None
        if times[ReminderKind.BEFORE_START] <= now:
            kind = ReminderKind.BEFORE_START  # supersedes a day-before reminder we missed
        elif times[ReminderKind.DAY_BEFORE] <= now:
            kind = ReminderKind.DAY_BEFORE
        # A booking made after the reminder time has just had its confirmation.
        if kind is None or booking.created_at >= times[kind]:
            continue
        if (booking.pk, kind, start) in done:
            continue
        try:
            with transaction.atomic():
                reminder = Reminder.objects.create(booking=booking, kind=kind, starts_at=start)
                reminder.message = queue_sms(
                    to=booking.phone,
                    body=texts.booking_message(booking, f"reminder_{kind}"),
                    purpose=f"reminder_{kind}",
                    booking=booking,
                )
                reminder.save(update_fields=["message"])
        except IntegrityError:
            continue  # an overlapping run sent it
        sent += 1
    return sent + send_late_video_links(now=now)


VIDEO_LINK_PURPOSE = "video_link"


def send_late_video_links(*, now=None) -> int:
    """A booking that became a video booking after its reminder shortly before the start went
    out (a crisis switching today's times, say) gets its join link now, once: the crisis text
    promised it in the reminder before the start."""
    from bookings import registry as engine
    from bookings.models import Booking, BookingStatus

    now = now or timezone.now()
    window = now + timedelta(minutes=settings.SMS_REMINDER_BEFORE_MINUTES)
    late = (
        Booking.objects.filter(
            status=BookingStatus.CONFIRMED,
            mode="video",
            slot__starts_at__gt=now,
            slot__starts_at__lte=window,
            sms_reminders__kind=ReminderKind.BEFORE_START,
        )
        .exclude(phone="")
        .exclude(phone__in=OptOut.objects.values("phone"))
        .select_related("slot__occurrence__session")
        .distinct()
    )
    sent = 0
    for booking in late:
        url = engine.video_join_url(booking)
        if not url:
            continue
        reminded = Reminder.objects.filter(
            booking=booking, kind=ReminderKind.BEFORE_START, starts_at=booking.slot.starts_at
        ).exists()
        # Told already: the reminder, a confirmation or a switch text carried this link.
        if not reminded or Message.objects.filter(booking=booking, body__contains=url).exists():
            continue
        queue_sms(
            to=booking.phone,
            body=texts.video_link_message(booking, url),
            purpose=VIDEO_LINK_PURPOSE,
            booking=booking,
        )
        sent += 1
    return sent
