"""A whole session date: cancelling it, and the capacity its volunteers give it."""

from django.db import transaction
from django.db.models import Count, F, Value
from django.db.models.functions import Greatest
from django.utils import timezone

from hotspots.page_cache import bump_now_and_on_commit

from .. import registry
from ..models import (
    Actor,
    Booking,
    BookingEvent,
    BookingStatus,
    CancellationSource,
    EventKind,
    Occurrence,
    OccurrenceStatus,
    Slot,
    WaitlistEntry,
    WaitlistStatus,
)
from ._common import (
    ACTIVE_STATUSES,
)
from .waitlist import offer_freed_seats


def cancel_occurrence(
    *,
    occurrence: Occurrence,
    reason: str = "",
    source=CancellationSource.STAFF,
    now=None,
    closure_reason: str = "",
) -> int:
    """Cancel one session date: every confirmed booking is cancelled and its citizen told; open
    waiting-list offers are withdrawn. `reason` is for staff; `closure_reason` is an editor's
    closure reason, which citizens see (also in their SMS). Slots and bookings stay (never deleted) for the record.
    Returns the number of bookings cancelled."""
    now = now or timezone.now()
    bump_now_and_on_commit()  # the date disappears from the public pages
    Occurrence.objects.filter(pk=occurrence.pk).update(
        status=OccurrenceStatus.CANCELLED,
        cancelled_reason=reason[:255],
        cancelled_by=source,
        updated_at=now,
    )
    # Lock the slots (PostgreSQL) so a booking in flight either commits before we list the
    # bookings below, or waits and then sees the cancelled status and gives up.
    list(Slot.objects.select_for_update().filter(occurrence_id=occurrence.pk).values_list("pk"))
    bookings = list(
        Booking.objects.select_related("slot__occurrence__session").filter(
            slot__occurrence_id=occurrence.pk, status=BookingStatus.CONFIRMED
        )
    )
    Booking.objects.filter(pk__in=[b.pk for b in bookings]).update(
        status=BookingStatus.CANCELLED, cancelled_at=now, cancelled_by=Actor.SYSTEM, updated_at=now
    )
    BookingEvent.objects.bulk_create(
        BookingEvent(
            booking=b, kind=EventKind.CANCELLED, actor=Actor.SYSTEM, at=now, from_mode=b.mode
        )
        for b in bookings
    )
    WaitlistEntry.objects.filter(
        occurrence_id=occurrence.pk,
        status__in=[WaitlistStatus.WAITING, WaitlistStatus.OFFERED],
    ).update(status=WaitlistStatus.EXPIRED, updated_at=now)
    _recount_slots(occurrence.pk)
    for booking in bookings:
        booking.status = BookingStatus.CANCELLED
        registry.booking_event(
            booking, "session_cancelled", reason=reason, closure_reason=closure_reason
        )
    return len(bookings)


def _recount_slots(occurrence_id) -> None:
    """Set each slot's counters from the rows, for bulk changes (a cancelled occurrence)."""
    counts = dict(
        Booking.objects.filter(slot__occurrence_id=occurrence_id, status__in=ACTIVE_STATUSES)
        .values_list("slot_id")
        .annotate(n=Count("pk"))
        .values_list("slot_id", "n")
    )
    for slot in Slot.objects.filter(occurrence_id=occurrence_id):
        booked = counts.get(slot.pk, 0)
        Slot.objects.filter(pk=slot.pk).update(
            booked=booked, held=0, capacity=Greatest(F("capacity"), Value(booked))
        )


# --- capacity ------------------------------------------------------------------------------


def volunteer_counts(occurrence_ids) -> dict[int, int]:
    """Helpers on shift per occurrence, as the apps that know them (volunteers) count them."""
    return registry.helpers_on_shift(list(occurrence_ids))


def target_capacity(session, *, volunteers: int = 0) -> int:
    if session.capacity_rule == "per_volunteer":
        return session.seats_per_volunteer * volunteers
    return session.fixed_capacity


@transaction.atomic
def recompute_capacity(*, occurrence: Occurrence, volunteers: int | None = None, now=None) -> None:
    """Apply the session's capacity rule to every slot of the occurrence. Capacity never goes
    below the seats already taken (booked + held): lowering it only stops new bookings, it never
    drops one. Extra seats go to the waiting list first."""
    if occurrence.session_id is None:
        return  # a caseworker meeting: always one seat
    if volunteers is None:
        volunteers = volunteer_counts([occurrence.pk]).get(occurrence.pk, 0)
    target = target_capacity(occurrence.session, volunteers=volunteers)
    Slot.objects.filter(occurrence_id=occurrence.pk).update(
        capacity=Greatest(Value(target), F("booked") + F("held"))
    )
    # Let the next materialisation look at this date again rather than trust its stored plan.
    Occurrence.objects.filter(pk=occurrence.pk).update(slot_plan="")
    offer_freed_seats(occurrence=occurrence, now=now)
