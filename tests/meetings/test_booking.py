"""Booking a meeting and switching its mode in every direction, with the cut-offs."""

from datetime import timedelta
from itertools import permutations

import pytest
from django.utils import translation

from bookings.errors import BookingClosed, ModeNotOffered, SlotFull
from bookings.models import Actor, Booking, BookingEvent, BookingStatus, Occurrence
from meetings import services
from sms.models import Message
from tests.meetings.conftest import slot_of

pytestmark = pytest.mark.django_db

MODES = ["in_person", "video", "phone"]


def book(world, now, mode, *, index=0, caseworker=None, phone="+4520304050"):
    slot = slot_of(world.service, caseworker or world.anna, now, index)
    return services.book_meeting(
        slot_id=slot.pk, first_name="Karin", phone=phone, mode=mode, now=now
    )


def test_materialised_meeting_times_are_one_seat_each_and_local_time(world, now):
    slots = [slot_of(world.service, world.anna, now, i) for i in range(4)]
    from django.utils import timezone

    assert [timezone.localtime(s.starts_at).strftime("%H:%M") for s in slots] == [
        "09:00",
        "09:45",
        "10:30",
        "11:15",
    ]
    assert all(s.capacity == 1 and s.caseworker_id == world.anna.pk for s in slots)
    occurrence = slots[0].occurrence
    assert occurrence.session_id is None and occurrence.source == world.service


@pytest.mark.parametrize("mode", MODES)
def test_book_each_mode_records_it(world, now, mode):
    booking = book(world, now, mode)
    assert booking.mode == mode and booking.status == BookingStatus.CONFIRMED
    event = BookingEvent.objects.get(booking=booking)
    assert (event.kind, event.to_mode, event.actor) == ("booked", mode, Actor.CITIZEN)


def test_confirmation_sms_carries_what_the_mode_needs(world, now):
    with translation.override("en"):
        video = book(world, now, "video", index=0, phone="+4521111111")
        phone = book(world, now, "phone", index=1, phone="+4522222222")
        person = book(world, now, "in_person", index=2, phone="+4533333333")
    bodies = {m.to_number: m.body for m in Message.objects.filter(purpose="booking_confirmed")}
    assert "https://digihjaelp.example/m/" in bodies[video.phone]
    assert "ringer til dig" in bodies[phone.phone]
    assert "Værkmestergade 1" in bodies[person.phone]
    # No personal data in the join link.
    link = bodies[video.phone].split("/m/")[1].split("/")[0]
    assert "Karin" not in link and "4521111111" not in link


@pytest.mark.parametrize("from_mode,to_mode", list(permutations(MODES, 2)))
def test_citizen_switches_in_every_direction(world, now, from_mode, to_mode):
    booking = book(world, now, from_mode)
    switched = services.switch_meeting_mode(booking=booking, mode=to_mode, now=now)
    assert switched.mode == to_mode
    event = BookingEvent.objects.filter(booking=booking, kind="mode_switched").get()
    assert (event.from_mode, event.to_mode, event.actor) == (from_mode, to_mode, "citizen")
    assert Message.objects.filter(booking=booking, purpose="booking_mode_switched").exists()
    # The caseworker (Anna gave a number) is told too.
    assert Message.objects.filter(to_number="+4520010001", purpose="caseworker_mode_switched")
    if to_mode == "video":
        assert services.room_for_booking(switched) is not None


def test_citizen_cut_off_for_mode_switch_but_caseworker_may(world, now):
    booking = book(world, now, "video")
    late = booking.slot.starts_at - timedelta(minutes=59)
    with pytest.raises(BookingClosed):
        services.switch_meeting_mode(booking=booking, mode="phone", now=late)
    switched = services.switch_meeting_mode(
        booking=booking, mode="phone", actor=Actor.STAFF, user=world.anna, now=late
    )
    assert switched.mode == "phone"
    event = BookingEvent.objects.get(booking=booking, kind="mode_switched")
    assert event.actor == "staff"
    # Within the window a citizen can still switch.
    booking2 = book(world, now, "video", index=1)
    ok = booking2.slot.starts_at - timedelta(minutes=61)
    assert services.switch_meeting_mode(booking=booking2, mode="phone", now=ok).mode == "phone"


def test_colleague_cannot_switch_or_mark(world, now):
    booking = book(world, now, "video")
    with pytest.raises(services.NotYourMeeting):
        services.switch_meeting_mode(
            booking=booking, mode="phone", actor=Actor.STAFF, user=world.bo, now=now
        )


def test_in_person_needs_a_location(world, now):
    from meetings.materialise import materialise_all_meetings
    from meetings.models import CaseworkerAvailability

    CaseworkerAvailability.objects.filter(caseworker=world.bo).update(
        location=None, offers_in_person=False
    )
    materialise_all_meetings(now=now)
    slot = slot_of(world.service, world.bo, now)
    with pytest.raises(ModeNotOffered):
        services.book_meeting(
            slot_id=slot.pk, first_name="K", phone="+4520304050", mode="in_person", now=now
        )


def test_booking_cut_off(world, now):
    slot = slot_of(world.service, world.anna, now)
    with pytest.raises(BookingClosed):
        services.book_meeting(
            slot_id=slot.pk,
            first_name="K",
            phone="+4520304050",
            mode="video",
            now=slot.starts_at - timedelta(minutes=119),
        )


def test_cancel_records_who(world, now):
    booking = book(world, now, "phone")
    services.cancel_meeting(booking=booking, actor=Actor.STAFF, user=world.anna, now=now)
    event = BookingEvent.objects.get(booking=booking, kind="cancelled")
    assert (event.actor, event.from_mode) == ("staff", "phone")
    booking.refresh_from_db()
    assert booking.cancelled_by == "staff"


def test_attendance_by_mode_for_statistics(world, now):
    booking = book(world, now, "video")
    services.mark_meeting_attendance(
        booking=booking, attended=False, user=world.anna, now=booking.slot.ends_at
    )
    event = BookingEvent.objects.get(booking=booking, kind="no_show")
    assert event.from_mode == "video"


def test_sick_day_cancels_booked_meetings_and_removes_free_times(world, now):
    from meetings.materialise import materialise_caseworker
    from meetings.models import AvailabilityException

    booking = book(world, now, "in_person")
    day = booking.slot.occurrence.date
    AvailabilityException.objects.create(
        organisation=world.organisation,
        caseworker=world.anna,
        starts_on=day,
        ends_on=day,
        reason="sick",
    )
    materialise_caseworker(world.anna.pk, now=now)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert not Occurrence.objects.filter(
        caseworker=world.anna, date=day, status="scheduled"
    ).exists()
    assert Message.objects.filter(booking=booking, purpose="booking_session_cancelled").exists()


def test_a_caseworker_busy_in_one_service_is_not_free_in_another(world, now):
    from meetings.materialise import materialise_all_meetings
    from meetings.models import CaseworkerAvailability
    from meetings.selectors import bookable_meeting_slots
    from tests.meetings.conftest import make_service

    other = make_service(world.organisation, "Bostøttesamtale", duration_minutes=30)
    for availability in CaseworkerAvailability.objects.filter(caseworker=world.anna):
        availability.services.add(other)
    CaseworkerAvailability.objects.filter(caseworker=world.bo).delete()
    materialise_all_meetings(now=now)
    booking = book(world, now, "video")  # Anna 9.00–9.45, first service
    free = bookable_meeting_slots(service=other, now=now)
    starts = {s.starts_at for s in free if s.occurrence.date == booking.slot.occurrence.date}
    assert booking.slot.starts_at not in starts  # 9.00–9.30 overlaps
    clash = slot_of(other, world.anna, now, 1)  # 9.30–10.00 overlaps 9.00–9.45
    with pytest.raises(SlotFull):
        services.book_meeting(
            slot_id=clash.pk, first_name="P", phone="+4526543210", mode="video", now=now
        )


@pytest.mark.parametrize(
    "mode,needle",
    [("phone", "ringer til dig"), ("in_person", "Værkmestergade 1"), ("video", "/m/")],
)
def test_reminders_follow_the_switched_mode(world, now, mode, needle):
    from sms.services import send_due_reminders

    start_mode = "video" if mode != "video" else "phone"
    booking = book(world, now, start_mode, index=2)
    services.switch_meeting_mode(booking=booking, mode=mode, now=now)
    Booking.objects.filter(pk=booking.pk).update(created_at=now)  # booked "now", not today
    send_due_reminders(now=booking.slot.starts_at - timedelta(minutes=30))
    reminder = Message.objects.filter(booking=booking, purpose__startswith="reminder").get()
    assert needle in reminder.body


def test_service_page_edit_form_offers_only_own_caseworkers(world, client):
    from django.contrib.auth import get_user_model

    from tests.factories import make_organisation
    from tests.meetings.conftest import make_caseworker

    stranger = make_caseworker(make_organisation("Odense Kommune"), "carl")
    admin = get_user_model().objects.create_superuser("root", "r@example.invalid", "pw")
    client.force_login(admin)
    page = client.get(f"/admin/pages/{world.service.pk}/edit/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'value="{world.anna.pk}"' in html and "Carl" not in html
    assert stranger.pk
    response = client.get(f"/admin/pages/add/meetings/meetingservicepage/{world.organisation.pk}/")
    assert response.status_code == 200
