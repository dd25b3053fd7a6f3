"""Seats of a "per volunteer" session follow the volunteers on shift, up and down."""

import pytest

from bookings import services as booking_services
from bookings.models import Slot, WaitlistEntry
from volunteers import services
from volunteers.models import Shift

from .conftest import NOW, cphone, make_volunteer, next_occurrence, vphone

pytestmark = pytest.mark.django_db


def capacity(occurrence):
    return list(Slot.objects.filter(occurrence=occurrence).values_list("capacity", flat=True))


def test_capacity_follows_shifts_up_and_down(cafe):
    organisation, _hotspot, session = cafe
    occurrence = next_occurrence(session)
    assert capacity(occurrence) == [0]  # nobody on shift: no seats
    anna = make_volunteer(organisation, vphone(1), "Anna")
    bent = make_volunteer(organisation, vphone(2), "Bent")

    shift_a = services.take_shift(volunteer=anna, occurrence_id=occurrence.pk, now=NOW)
    assert capacity(occurrence) == [2]
    shift_b = services.take_shift(volunteer=bent, occurrence_id=occurrence.pk, now=NOW)
    assert capacity(occurrence) == [4]

    services.drop_shift(volunteer=bent, shift_id=shift_b.pk, reason="ill", now=NOW)
    assert capacity(occurrence) == [2]
    services.drop_shift(volunteer=anna, shift_id=shift_a.pk, reason="ill", now=NOW)
    assert capacity(occurrence) == [0]
    assert Shift.objects.filter(status="taken").count() == 0


def test_lowering_capacity_keeps_bookings(cafe):
    organisation, _hotspot, session = cafe
    occurrence = next_occurrence(session)
    anna = make_volunteer(organisation, vphone(1), "Anna")
    shift = services.take_shift(volunteer=anna, occurrence_id=occurrence.pk, now=NOW)
    slot = occurrence.slots.get()
    for n in range(2):
        booking_services.book_slot(
            slot_id=slot.pk, first_name=f"B{n}", phone=cphone(n), channel="web", now=NOW
        )
    services.drop_shift(volunteer=anna, shift_id=shift.pk, reason="ill", confirmed=True, now=NOW)
    slot.refresh_from_db()
    assert slot.booked == 2 and slot.capacity == 2  # never below what is booked


def test_taking_a_shift_offers_new_seats_to_the_waitlist(cafe):
    organisation, _hotspot, session = cafe
    occurrence = next_occurrence(session)
    entry = booking_services.join_waitlist(
        occurrence_id=occurrence.pk, phone=cphone(99), first_name="Kaj", channel="sms", now=NOW
    )
    assert entry.status == "waiting"
    anna = make_volunteer(organisation, vphone(1), "Anna")
    services.take_shift(volunteer=anna, occurrence_id=occurrence.pk, now=NOW)
    entry = WaitlistEntry.objects.get(pk=entry.pk)
    assert entry.status == "offered"


def test_fixed_capacity_session_is_not_resized(home):
    from .conftest import make_cafe

    organisation, _hotspot, session = make_cafe(capacity_rule="fixed", fixed_capacity=3)
    occurrence = next_occurrence(session)
    assert capacity(occurrence) == [3]
    anna = make_volunteer(organisation, vphone(1), "Anna")
    services.take_shift(volunteer=anna, occurrence_id=occurrence.pk, now=NOW)
    assert capacity(occurrence) == [3]
