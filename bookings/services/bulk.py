"""The booking engine's bulk API: change many bookings in one transaction, set-based.

For callers that decide about thousands of bookings at once (crisis mode, an organisation
closing a place). Each function takes a queryset (the selection), changes the rows with
conditional UPDATEs in primary-key chunks, writes one BookingEvent per changed booking with
INSERT … SELECT, keeps Slot.booked right with relative aggregate UPDATEs (never a recount, so
a booking committed meanwhile by another transaction is never lost), hands freed seats to the
waiting list, and tells the apps registered for bulk events (bookings.registry) which bookings
changed. It returns the ids it changed: a booking a citizen cancelled a moment ago is skipped,
not changed twice.

The per-booking services (booking.py) do the same one row at a time and text each change;
here `notify_citizens=False` lets a caller that composes its own texts (crisis mode) keep the
channels quiet."""

from collections import defaultdict

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .. import registry
from ..errors import InvalidBookingInput, ModeNotOffered
from ..models import (
    Actor,
    Booking,
    BookingEvent,
    BookingStatus,
    CancellationSource,
    EventKind,
    Mode,
    Occurrence,
    OccurrenceStatus,
    Slot,
    WaitlistEntry,
    WaitlistStatus,
)
from ..sql import constant, insert_select
from .waitlist import offer_freed_seats

CHUNK = 2000  # primary keys per statement: far below SQLite's variable limit
MODE_FIELD = {
    Mode.IN_PERSON: "offers_in_person",
    Mode.VIDEO: "offers_video",
    Mode.PHONE: "offers_phone",
}


def _chunks(items, size=CHUNK):
    for i in range(0, len(items), size):
        yield items[i : i + size]


def source_offers(mode: str, prefix: str = "slot__occurrence__") -> Q:
    """Bookings (or, with prefix "", occurrences) whose session or meeting service offers
    `mode` at their time: the BookingRules flags of either source, in SQL, narrowed like
    `modes_for` by the conditions apps register (bookings.registry.add_mode_condition)."""
    field = MODE_FIELD[mode]
    offers = Q(**{f"{prefix}session__{field}": True}) | Q(
        **{f"{prefix}meeting_service__{field}": True}
    )
    # What a source narrows per time (a caseworker's meeting time without video), as the
    # apps that own those rules register it.
    for condition in registry.mode_conditions(mode, prefix):
        offers &= condition
    return offers


def _check_reason(reason_code: str) -> None:
    if reason_code and reason_code not in CancellationSource.values:
        raise InvalidBookingInput()


def _insert_events(rows, *, now, kind, actor, reason, from_mode=None, to_mode="") -> int:
    """One BookingEvent per booking in `rows`; from_mode None copies the booking's mode."""
    return insert_select(
        BookingEvent,
        select={
            "booking": ("src.id", []),
            "kind": ("%s", [kind]),
            "from_mode": ("src.mode", []) if from_mode is None else ("%s", [from_mode]),
            "to_mode": ("%s", [to_mode]),
            "actor": ("%s", [actor]),
            "reason": ("%s", [reason]),
            "at": constant(BookingEvent, "at", now),
        },
        source=rows.order_by().values("id", "mode"),
        now=now,
    )


@transaction.atomic
def switch_mode(
    *,
    bookings,
    mode: str,
    imposed: bool = True,
    actor: str = Actor.STAFF,
    reason_code: str = "",
    notify_citizens: bool = True,
    now=None,
) -> list[int]:
    """Switch the confirmed bookings in `bookings` to `mode`, each only if its session or
    meeting service offers that mode (a booking is never promised a way of meeting nobody can
    deliver). `imposed` marks the mode as not the citizen's choice. Returns the changed ids."""
    if mode not in Mode.values:
        raise ModeNotOffered()
    _check_reason(reason_code)
    now = now or timezone.now()
    rows = (
        bookings.filter(source_offers(mode), status=BookingStatus.CONFIRMED)
        .exclude(mode=mode)
        .order_by()
        .values_list("pk", "mode")
    )
    by_mode = defaultdict(list)
    for pk, from_mode in rows:
        by_mode[from_mode].append(pk)
    changed: list[int] = []
    for from_mode, ids in sorted(by_mode.items()):
        for chunk in _chunks(ids):
            # On PostgreSQL the UPDATE locks each row and re-checks the WHERE, so a booking
            # changed since the read above is skipped; the stamp (updated_at = now) then names
            # exactly the rows this statement changed.
            Booking.objects.filter(
                pk__in=chunk, status=BookingStatus.CONFIRMED, mode=from_mode
            ).update(mode=mode, mode_imposed=imposed, updated_at=now)
            stamped = Booking.objects.filter(
                pk__in=chunk, status=BookingStatus.CONFIRMED, mode=mode, updated_at=now
            )
            _insert_events(
                stamped,
                now=now,
                kind=EventKind.MODE_SWITCHED,
                actor=actor,
                reason=reason_code,
                from_mode=from_mode,
                to_mode=mode,
            )
            changed += stamped.values_list("pk", flat=True)
    changed.sort()
    registry.bulk_booking_event(
        "mode_switched", changed, now=now, notify_citizens=notify_citizens, mode=mode
    )
    return changed


def _release_seats(slot_counts: dict[int, int]) -> None:
    """Give back n seats per slot: one relative UPDATE per distinct n (a handful: slots hold a
    few seats), never a recount that could miss a booking another transaction is committing."""
    by_count = defaultdict(list)
    for slot_id, n in slot_counts.items():
        by_count[n].append(slot_id)
    for n, slot_ids in by_count.items():
        for chunk in _chunks(slot_ids):
            Slot.objects.filter(pk__in=chunk, booked__gte=n).update(booked=F("booked") - n)


@transaction.atomic
def cancel_bookings(
    *,
    bookings,
    reason_code: str,
    actor: str = Actor.SYSTEM,
    reoffer: bool = True,
    notify_citizens: bool = True,
    now=None,
    _event: str = "cancelled",
) -> list[int]:
    """Cancel the confirmed bookings in `bookings`, give their seats back and (with
    `reoffer`) offer them to the waiting lists of their occurrences. Returns the changed ids."""
    _check_reason(reason_code)
    now = now or timezone.now()
    ids = list(
        bookings.filter(status=BookingStatus.CONFIRMED).order_by().values_list("pk", flat=True)
    )
    changed: list[int] = []
    slot_counts: dict[int, int] = defaultdict(int)
    occurrence_ids: set[int] = set()
    for chunk in _chunks(ids):
        Booking.objects.filter(pk__in=chunk, status=BookingStatus.CONFIRMED).update(
            status=BookingStatus.CANCELLED, cancelled_at=now, cancelled_by=actor, updated_at=now
        )
        stamped = Booking.objects.filter(
            pk__in=chunk, status=BookingStatus.CANCELLED, cancelled_at=now
        )
        _insert_events(stamped, now=now, kind=EventKind.CANCELLED, actor=actor, reason=reason_code)
        for pk, slot_id, occurrence_id in stamped.values_list(
            "pk", "slot_id", "slot__occurrence_id"
        ):
            changed.append(pk)
            slot_counts[slot_id] += 1
            occurrence_ids.add(occurrence_id)
    _release_seats(slot_counts)
    changed.sort()
    registry.bulk_booking_event(
        _event, changed, now=now, notify_citizens=notify_citizens, reason_code=reason_code
    )
    if reoffer:
        # One call per occurrence (a handful), not per booking.
        for occurrence in Occurrence.objects.filter(
            pk__in=occurrence_ids, status=OccurrenceStatus.SCHEDULED, starts_at__gt=now
        ):
            offer_freed_seats(occurrence=occurrence, now=now)
    return changed


@transaction.atomic
def cancel_occurrences(
    *,
    occurrences,
    reason_code: str,
    actor: str = Actor.SYSTEM,
    notify_citizens: bool = True,
    now=None,
) -> tuple[int, list[int]]:
    """Cancel the scheduled occurrences in `occurrences` with every booking on them; their
    waiting lists end (the seats no longer exist). The reason is stored as a code
    (Occurrence.cancelled_by), so materialising never brings such a date back. Returns
    (occurrences cancelled, ids of the bookings cancelled)."""
    if reason_code not in CancellationSource.values:
        raise InvalidBookingInput()
    now = now or timezone.now()
    ids = list(
        occurrences.filter(status=OccurrenceStatus.SCHEDULED)
        .order_by()
        .values_list("pk", flat=True)
    )
    cancelled = 0
    for chunk in _chunks(ids):
        cancelled += Occurrence.objects.filter(
            pk__in=chunk, status=OccurrenceStatus.SCHEDULED
        ).update(
            status=OccurrenceStatus.CANCELLED,
            cancelled_by=reason_code,
            cancelled_reason="",
            updated_at=now,
        )
    closed = Occurrence.objects.filter(
        pk__in=ids, status=OccurrenceStatus.CANCELLED, updated_at=now
    ).values("pk")
    # Lock the slots (as cancel_occurrence does) so a booking in flight either committed
    # before this, or waits and then finds its occurrence cancelled.
    list(Slot.objects.select_for_update().filter(occurrence__in=closed).values_list("pk"))
    booking_ids = cancel_bookings(
        bookings=Booking.objects.filter(slot__occurrence__in=closed),
        reason_code=reason_code,
        actor=actor,
        reoffer=False,
        notify_citizens=notify_citizens,
        now=now,
        _event="session_cancelled",
    )
    WaitlistEntry.objects.filter(
        occurrence__in=closed, status__in=[WaitlistStatus.WAITING, WaitlistStatus.OFFERED]
    ).update(status=WaitlistStatus.EXPIRED, updated_at=now)
    Slot.objects.filter(occurrence__in=closed, held__gt=0).update(held=0)
    return cancelled, booking_ids
