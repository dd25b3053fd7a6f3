"""A booking made while a crisis action moves a hotspot to video or phone: the citizen is booked
for that way of meeting, by web, SMS or staff, and cannot switch back to meeting in person until
the action ends. The action itself only switches the bookings that existed when it started."""

import pytest
from django.urls import reverse

from bookings import services
from bookings.errors import ModeNotOffered
from crisis import services as crisis

from .conftest import book, slots_of, start_to_video

pytestmark = pytest.mark.django_db


@pytest.fixture
def to_video(world, now):
    """Hovedbiblioteket (hotspot A) meets by video on day 2 only."""
    from django.utils import timezone

    day2 = timezone.make_aware(timezone.datetime.combine(world.day2, timezone.datetime.min.time()))
    world.action = start_to_video(
        world, starts_at=day2, message="Vi mødes på video i dag.", scope=[world.hotspot_a], now=now
    )
    return world


def test_a_new_booking_in_the_crisis_is_for_video_and_the_sms_says_so(
    to_video, now, sms_outbox, django_capture_on_commit_callbacks
):
    w = to_video
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(slots_of(w.session_a, w.day2)[0], "20123411", channel="web")
    assert booking.mode == "video"
    assert "video" in sms_outbox[-1].body


@pytest.mark.parametrize("channel", ["staff", "sms"])
def test_staff_and_sms_bookings_default_to_the_crisis_mode(to_video, now, channel):
    booking = book(slots_of(to_video.session_a, to_video.day2)[1], "20123412", channel=channel)
    assert booking.mode == "video"


def test_other_hotspots_and_other_days_still_meet_in_person(to_video, now):
    w = to_video
    assert book(slots_of(w.session_b, w.day2)[0], "20123413").mode == "in_person"
    assert book(slots_of(w.session_a, w.day3)[0], "20123414").mode == "in_person"


def test_switching_back_to_in_person_is_refused_until_the_action_ends(
    to_video, now, django_capture_on_commit_callbacks
):
    w = to_video
    booking = book(slots_of(w.session_a, w.day2)[0], "20123415")
    with pytest.raises(ModeNotOffered):
        services.switch_mode(booking=booking, mode="in_person", now=now)
    with django_capture_on_commit_callbacks(execute=True):
        crisis.end_crisis_action(action=w.action, user=w.coordinator, now=now)
    switched = services.switch_mode(booking=booking, mode="in_person", now=now)
    assert switched.mode == "in_person"


def test_the_booking_form_offers_only_remote_help_during_the_crisis(
    client, to_video, now, monkeypatch
):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: now)
    w = to_video
    in_crisis = client.get(reverse("bookings:book", args=[slots_of(w.session_a, w.day2)[0].pk]))
    html = in_crisis.content.decode()
    # The session offers video and phone: both stay open, video first; no meeting in person.
    assert 'value="in_person"' not in html
    assert 'value="video"' in html and 'value="phone"' in html
    assert html.index('value="video"') < html.index('value="phone"')
    elsewhere = client.get(reverse("bookings:book", args=[slots_of(w.session_b, w.day2)[0].pk]))
    assert 'value="in_person"' in elsewhere.content.decode()


def test_a_booking_moved_into_the_crisis_becomes_video(to_video, now):
    w = to_video
    booking = book(slots_of(w.session_a, w.day3)[0], "20123416")
    moved = services.move_booking(
        booking=booking, to_slot_id=slots_of(w.session_a, w.day2)[2].pk, now=now
    )
    assert moved.mode == "video"


def test_a_waiting_list_seat_taken_during_the_action_is_remote(to_video, now):
    from bookings.models import Slot

    w = to_video
    slot = slots_of(w.session_a, w.day2)[0]
    occurrence = slot.occurrence
    Slot.objects.filter(occurrence=occurrence).update(capacity=1)
    for n, s in enumerate(occurrence.slots.order_by("starts_at")):
        book(s, f"2050000{n}")
    services.join_waitlist(occurrence_id=occurrence.pk, phone="30123456", channel="sms", now=now)
    first = occurrence.slots.order_by("starts_at").first().bookings.get()
    services.cancel_booking(booking=first, now=now)
    taken = services.accept_waitlist_offer(phone="30123456", now=now)
    assert (taken.mode, taken.mode_imposed) == ("video", True)
