"""Property test: whatever sequence of bookings, cancellations, moves and waiting-list steps
happens, each slot's counters equal its rows and never exceed its capacity."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.db.models import Count, Q
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookings import services
from bookings.errors import BookingError
from bookings.models import Booking, Occurrence, Slot, WaitlistEntry
from bookings.selectors import bookable_slots

pytestmark = pytest.mark.django_db

PHONES = ["20123456", "20123457", "30123456", "40123456", "22334455"]

operation = st.one_of(
    st.tuples(st.just("book"), st.integers(0, 3), st.sampled_from(PHONES)),
    st.tuples(st.just("cancel"), st.integers(0, 10), st.just("")),
    st.tuples(st.just("move"), st.integers(0, 10), st.integers(0, 3)),
    st.tuples(st.just("join"), st.integers(0, 0), st.sampled_from(PHONES)),
    st.tuples(st.just("accept"), st.integers(0, 0), st.sampled_from(PHONES)),
    st.tuples(st.just("expire"), st.integers(0, 0), st.just("")),
)


def check_invariants():
    for slot in Slot.objects.annotate(
        rows=Count("bookings", filter=~Q(bookings__status="cancelled"))
    ):
        assert 0 <= slot.booked + slot.held <= slot.capacity
        assert slot.booked == slot.rows
    offered = WaitlistEntry.objects.filter(status="offered").values("offered_slot")
    for slot in Slot.objects.all():
        assert slot.held == sum(1 for o in offered if o["offered_slot"] == slot.pk)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=st.lists(operation, min_size=1, max_size=12))
def test_counters_always_match_rows(session, now, operations):
    slots = bookable_slots(session=session, now=now, limit=4)
    occurrence = Occurrence.objects.get(pk=slots[0].occurrence_id)
    with transaction.atomic():
        Slot.objects.filter(occurrence=occurrence).update(capacity=1)
        clock = now
        for kind, index, argument in operations:
            clock += timedelta(minutes=1)
            confirmed = list(Booking.objects.filter(status="confirmed").order_by("pk"))
            try:
                if kind == "book":
                    services.book_slot(
                        slot_id=slots[index].pk,
                        first_name="P",
                        phone=argument,
                        channel="sms",
                        now=clock,
                    )
                elif kind == "cancel" and confirmed:
                    services.cancel_booking(booking=confirmed[index % len(confirmed)], now=clock)
                elif kind == "move" and confirmed:
                    services.move_booking(
                        booking=confirmed[index % len(confirmed)],
                        to_slot_id=slots[argument].pk,
                        now=clock,
                    )
                elif kind == "join":
                    services.join_waitlist(
                        occurrence_id=occurrence.pk, phone=argument, channel="sms", now=clock
                    )
                elif kind == "accept":
                    services.accept_waitlist_offer(phone=argument, now=clock)
                elif kind == "expire":
                    clock += timedelta(hours=3)
                    services.expire_waitlist_offers(now=clock)
            except BookingError:
                pass
            check_invariants()
        transaction.set_rollback(True)
