"""A caseworker can never have two meetings at the same time, even when citizens book
overlapping times of two services at once (real threads; SQLite and PostgreSQL)."""

from itertools import combinations

import pytest
from django.db import IntegrityError, transaction

from bookings.errors import BookingError
from bookings.models import Slot
from meetings import services
from meetings.materialise import materialise_all_meetings
from meetings.models import CaseworkerAvailability
from tests.meetings.conftest import build_world, make_service, slot_of
from tests.threads import run_together


@pytest.fixture
def world(home, now, settings):
    """Built for each test: these tests commit from several threads, and rows shared by a
    module (tests/shared_rows.py) are never committed."""
    settings.VIDEO_PROVIDER = "fake"
    return build_world(now)


def _two_services(world, now):
    other = make_service(world.organisation, "Bostøttesamtale", duration_minutes=30)
    for availability in CaseworkerAvailability.objects.filter(caseworker=world.anna):
        availability.services.add(other)
    materialise_all_meetings(now=now)
    return other


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_database_refuses_overlapping_booked_slots(world, now):
    other = _two_services(world, now)
    first = slot_of(world.service, world.anna, now, 0)  # 9.00–9.45
    clash = slot_of(other, world.anna, now, 1)  # 9.30–10.00
    Slot.objects.filter(pk=first.pk).update(booked=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Slot.objects.filter(pk=clash.pk).update(booked=1)
    # Touching, not overlapping: 9.45 after 9.00–9.45 is fine.
    Slot.objects.filter(pk=slot_of(world.service, world.anna, now, 1).pk).update(booked=1)
    # Another caseworker at the same time is fine.
    Slot.objects.filter(pk=slot_of(world.service, world.bo, now, 0).pk).update(booked=1)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_overlapping_bookings_never_double_book(world, now):
    other = _two_services(world, now)
    targets = [
        slot_of(world.service, world.anna, now, 0).pk,  # 9.00–9.45
        slot_of(other, world.anna, now, 0).pk,  # 9.00–9.30
        slot_of(other, world.anna, now, 1).pk,  # 9.30–10.00
        slot_of(world.service, world.anna, now, 1).pk,  # 9.45–10.30
    ]
    threads_per_slot = 4

    def attempt(n, slot_id):
        def book():
            booking = services.book_meeting(
                slot_id=slot_id, first_name=f"P{n}", phone=f"+45203{n:05d}", mode="video", now=now
            )
            return booking.slot_id

        return book

    outcomes, errors = run_together(
        [
            attempt(i * threads_per_slot + j, slot_id)
            for i, slot_id in enumerate(targets)
            for j in range(threads_per_slot)
        ],
        expected=(BookingError,),
    )
    results = [slot_id for slot_id in outcomes.elements() if isinstance(slot_id, int)]
    assert not errors, errors
    assert results, "nobody got a meeting"
    booked = list(Slot.objects.filter(caseworker=world.anna, booked__gt=0))
    assert len(booked) == len(results)
    for a, b in combinations(booked, 2):
        assert a.ends_at <= b.starts_at or b.ends_at <= a.starts_at, (a, b)
