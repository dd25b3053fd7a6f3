"""SMS keywords on a meeting: VIDEO, TELEFON, FREMMØDE; and answering an invitation."""

from datetime import timedelta

import pytest

from bookings.models import Booking
from meetings import services
from sms.models import Message
from sms.services import simulate_inbound
from tests.meetings.conftest import slot_of

pytestmark = pytest.mark.django_db
PHONE = "+4520304050"


@pytest.mark.parametrize(
    "start,word,expected",
    [
        ("in_person", "VIDEO", "video"),
        ("video", "telefon", "phone"),
        ("phone", "Fremmøde", "in_person"),
        ("video", "fremmode", "in_person"),
    ],
)
def test_mode_keywords_switch_a_meeting(world, now, start, word, expected):
    booking = services.book_meeting(
        slot_id=slot_of(world.service, world.anna, now).pk,
        first_name="K",
        phone=PHONE,
        mode=start,
        now=now,
    )
    simulate_inbound(phone=PHONE, body=word, now=now)
    booking.refresh_from_db()
    assert booking.mode == expected
    text = Message.objects.filter(booking=booking, purpose="booking_mode_switched").get().body
    if expected == "video":
        assert "/m/" in text
    elif expected == "phone":
        assert "ringer til dig" in text
    else:
        assert "Værkmestergade" in text


def test_mode_keyword_after_cut_off_is_refused(world, now):
    booking = services.book_meeting(
        slot_id=slot_of(world.service, world.anna, now).pk,
        first_name="K",
        phone=PHONE,
        mode="video",
        now=now,
    )
    late = booking.slot.starts_at - timedelta(minutes=30)
    _message, reply = simulate_inbound(phone=PHONE, body="TELEFON", now=late)
    booking.refresh_from_db()
    assert booking.mode == "video"
    assert reply


def test_invitation_answered_with_number_and_mode(world, now):
    slots = services.invite_citizen(
        service=world.service, caseworker=world.anna, phone="20 30 40 50", now=now
    )
    invitation = Message.objects.get(purpose="meeting_invitation")
    assert invitation.to_number == PHONE
    assert "1 VIDEO" in invitation.body and "\n2 " in invitation.body
    assert all(s.caseworker_id == world.anna.pk for s in slots)
    simulate_inbound(phone=PHONE, body="2 video", now=now)
    booking = Booking.objects.get(phone=PHONE)
    assert booking.slot_id == slots[1].pk and booking.mode == "video"
    assert booking.channel == "sms"


def test_invitation_answer_with_a_mode_that_time_lacks(world, now):
    from meetings.materialise import materialise_all_meetings
    from meetings.models import CaseworkerAvailability

    CaseworkerAvailability.objects.filter(caseworker=world.anna).update(offers_phone=False)
    materialise_all_meetings(now=now)
    services.invite_citizen(service=world.service, caseworker=world.anna, phone=PHONE, now=now)
    _message, reply = simulate_inbound(phone=PHONE, body="1 TELEFON", now=now)
    assert not Booking.objects.filter(phone=PHONE).exists()
    assert "video" in reply.body if hasattr(reply, "body") else "video" in (reply or "")
