"""Real threads, each with its own connection and transaction (as gunicorn workers would), on
whichever database the suite runs on: SQLite by default, PostgreSQL with DATABASE_URL."""

from collections import Counter

import pytest

from tests.threads import run_together
from volunteers import services
from volunteers.errors import ShiftFull
from volunteers.models import CallOut, Shift, VolunteerNeed

from .conftest import NOW, cphone, make_cafe, make_volunteer, next_occurrence, sent_to, vphone

pytestmark = [
    pytest.mark.concurrency,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

RACERS = 8


def test_last_open_role_has_exactly_one_winner(home):
    organisation, _hotspot, session = make_cafe()
    VolunteerNeed.objects.create(session=session, volunteers_needed=2)
    occurrence = next_occurrence(session)
    first = make_volunteer(organisation, vphone(0), "First")
    services.take_shift(volunteer=first, occurrence_id=occurrence.pk, now=NOW)
    racers = [make_volunteer(organisation, vphone(n), f"V{n}") for n in range(1, RACERS + 1)]

    def taker(volunteer):
        return lambda: (
            services.take_shift(volunteer=volunteer, occurrence_id=occurrence.pk, now=NOW) and "won"
        )

    outcomes, errors = run_together([taker(v) for v in racers], expected=(ShiftFull,))
    assert errors == []
    assert outcomes == Counter({"won": 1, "ShiftFull": RACERS - 1})
    assert Shift.objects.filter(occurrence=occurrence, status="taken").count() == 2
    # Capacity followed the two volunteers.
    assert occurrence.slots.get().capacity == 4


def test_double_tap_from_two_requests_gives_one_shift(home):
    organisation, _hotspot, session = make_cafe()
    occurrence = next_occurrence(session)
    anna = make_volunteer(organisation, vphone(1), "Anna")

    def tap():
        services.take_shift(volunteer=anna, occurrence_id=occurrence.pk, now=NOW)
        return "won"

    outcomes, errors = run_together([tap, tap, tap], expected=(ShiftFull,))
    assert outcomes["won"] == 1 and outcomes["AlreadyOnShift"] == 2
    assert Shift.objects.filter(volunteer=anna, status="taken").count() == 1


def test_concurrent_ja_answers_have_one_winner(home):
    from bookings import services as booking_services

    organisation, _hotspot, session = make_cafe()
    occurrence = next_occurrence(session)
    anna = make_volunteer(organisation, vphone(0), "Anna")
    shift = services.take_shift(volunteer=anna, occurrence_id=occurrence.pk, now=NOW)
    booking_services.book_slot(
        slot_id=occurrence.slots.get().pk, first_name="K", phone=cphone(1), channel="web", now=NOW
    )
    racers = [make_volunteer(organisation, vphone(n), f"V{n}") for n in range(1, RACERS + 1)]
    services.drop_shift(volunteer=anna, shift_id=shift.pk, reason="ill", confirmed=True, now=NOW)
    assert CallOut.objects.get().asked.count() == RACERS

    def answer(volunteer):
        return lambda: services.accept_callout(phone=volunteer.phone, now=NOW).result

    outcomes, errors = run_together([answer(v) for v in racers], expected=(ShiftFull,))
    assert errors == []
    assert outcomes == Counter({"won": 1, "taken": RACERS - 1})
    callout = CallOut.objects.get()
    assert callout.status == "filled"
    assert Shift.objects.filter(occurrence=occurrence, status="taken").get().volunteer == (
        callout.filled_by
    )
    taken_replies = sum(len(sent_to(v.phone, "volunteer_callout_taken")) for v in racers)
    assert taken_replies == RACERS - 1
