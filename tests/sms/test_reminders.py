"""Reminders: the day before at a set hour and a set time before the start; moved, cancelled
and re-moded bookings are reminded of what holds now; nothing to opted-out numbers."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bookings import services as engine
from bookings.models import Booking, Slot
from sms import services
from sms.models import Message, OptOut, Reminder

from .conftest import make_bookable_session

PHONE = "+4520304050"


def book(session, index=10, phone=PHONE):
    slot = Slot.objects.filter(occurrence__session=session).order_by("starts_at")[index]
    booking = engine.book_slot(slot_id=slot.pk, first_name="Bo", phone=phone, channel="web")
    # Pretend it was booked a week ago, so no reminder is skipped as "just confirmed".
    Booking.objects.filter(pk=booking.pk).update(created_at=timezone.now() - timedelta(days=7))
    return Booking.objects.select_related("slot").get(pk=booking.pk)


def reminders(booking):
    return list(
        Message.objects.filter(booking=booking, purpose__startswith="reminder_")
        .order_by("pk")
        .values_list("purpose", flat=True)
    )


@pytest.mark.django_db
def test_day_before_and_before_start(settings):
    settings.SMS_REMINDER_DAY_BEFORE_HOUR = 17
    settings.SMS_REMINDER_BEFORE_MINUTES = 120
    session = make_bookable_session(offers_video=True)
    booking = book(session)
    times = services.reminder_times(booking.slot.starts_at)
    assert timezone.localtime(times["day_before"]).hour == 17
    assert services.send_due_reminders(now=times["day_before"] - timedelta(minutes=1)) == 0
    assert services.send_due_reminders(now=times["day_before"]) == 1
    assert services.send_due_reminders(now=times["day_before"] + timedelta(minutes=5)) == 0
    assert reminders(booking) == ["reminder_day_before"]
    engine.switch_mode(booking=booking, mode="video", now=times["day_before"])
    assert services.send_due_reminders(now=times["before_start"]) == 1
    assert services.send_due_reminders(now=times["before_start"] + timedelta(minutes=5)) == 0
    assert reminders(booking) == ["reminder_day_before", "reminder_before_start"]
    last = Message.objects.filter(purpose="reminder_before_start").get()
    assert "video" in last.body  # written at send time: the current mode


@pytest.mark.django_db
def test_moved_booking_is_reminded_of_its_new_time():
    session = make_bookable_session()
    booking = book(session)
    first = services.reminder_times(booking.slot.starts_at)
    services.send_due_reminders(now=first["day_before"])
    later_slot = Slot.objects.filter(occurrence__session=session).order_by("starts_at")[20]
    engine.move_booking(booking=booking, to_slot_id=later_slot.pk, now=first["day_before"])
    # The old start's "2 hours before" never goes out…
    assert services.send_due_reminders(now=first["before_start"]) == 0
    # …the new start gets its own pair.
    second = services.reminder_times(later_slot.starts_at)
    assert services.send_due_reminders(now=second["day_before"]) == 1
    assert services.send_due_reminders(now=second["before_start"]) == 1
    assert Reminder.objects.filter(booking=booking).count() == 3


@pytest.mark.django_db
def test_cancelled_and_opted_out_get_nothing():
    session = make_bookable_session()
    cancelled = book(session, index=10)
    opted_out = book(session, index=11, phone="+4520304051")
    OptOut.objects.create(phone="+4520304051")
    engine.cancel_booking(booking=cancelled)
    times = services.reminder_times(opted_out.slot.starts_at)
    assert services.send_due_reminders(now=times["before_start"]) == 0
    assert not Message.objects.filter(purpose__startswith="reminder_").exists()


@pytest.mark.django_db
def test_booked_after_the_reminder_time_only_gets_the_confirmation():
    session = make_bookable_session()
    booking = book(session)
    times = services.reminder_times(booking.slot.starts_at)
    Booking.objects.filter(pk=booking.pk).update(
        created_at=times["day_before"] + timedelta(hours=1)
    )
    assert services.send_due_reminders(now=times["day_before"] + timedelta(hours=2)) == 0
    assert services.send_due_reminders(now=times["before_start"]) == 1


@pytest.mark.django_db
def test_missed_day_before_is_superseded_by_the_later_reminder():
    session = make_bookable_session()
    booking = book(session)
    times = services.reminder_times(booking.slot.starts_at)
    assert services.send_due_reminders(now=times["before_start"]) == 1
    assert reminders(booking) == ["reminder_before_start"]
