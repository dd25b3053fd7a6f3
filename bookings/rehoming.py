"""When a session's times change under a date that stays: the citizens and waiting-list offers on
a time that left the plan. Each booking moves to the nearest planned time that day with a free
seat, or is cancelled, and the citizen is told; an open offer of a vanished seat is withdrawn.
Called by bookings.materialise inside its transaction."""

from collections import defaultdict

from django.db.models import F

from .errors import BookingError, NotChangeable, OccurrenceCancelled, SlotFull
from .models import Actor, Booking, BookingStatus, Slot, WaitlistEntry, WaitlistStatus
from .services import cancel_booking, move_booking


def withdraw_offers(orphans, *, now, stats) -> set:
    """Open waiting-list offers of a seat on a future slot that left the plan: that time no
    longer exists, so a JA must not book it. The entry waits again in its old place in line
    (the list is ordered by when they joined) and the held seat is released; an offer already
    past its deadline expires, as expire_waitlist_offers would. Returns the occurrences whose
    waiting list should be offered the new plan's seats."""
    if not orphans:
        return set()
    offers = list(
        WaitlistEntry.objects.filter(
            offered_slot_id__in=[s.pk for s in orphans], status=WaitlistStatus.OFFERED
        ).values_list("pk", "offered_slot_id", "occurrence_id", "offer_expires_at")
    )
    occurrences = set()
    for pk, slot_id, occurrence_id, expires_at in offers:
        if expires_at is not None and expires_at <= now:
            change = {"status": WaitlistStatus.EXPIRED}
        else:
            change = {
                "status": WaitlistStatus.WAITING,
                "offered_slot": None,
                "offer_expires_at": None,
            }
        # Conditional, so a JA or a leave that got there first keeps its outcome.
        if WaitlistEntry.objects.filter(
            pk=pk, status=WaitlistStatus.OFFERED, offered_slot_id=slot_id
        ).update(updated_at=now, **change):
            Slot.objects.filter(pk=slot_id, held__gt=0).update(held=F("held") - 1)
            stats["waitlist_offers_withdrawn"] += 1
            occurrences.add(occurrence_id)
    return occurrences


def rehome_bookings(orphans, *, planned, now, stats) -> None:
    """Citizens on a future slot that left the plan of its date: each to the planned time that
    day nearest the old one (the earlier on a tie) with a free seat, else cancelled. Both tell
    the citizen. The seat left behind no longer exists, so it is never offered to the waiting
    list; seats the new plan adds are offered as usual once everyone is rehomed."""
    if not orphans:
        return
    old_start = {s.pk: s.starts_at for s in orphans}
    bookings = list(
        Booking.objects.filter(slot_id__in=old_start, status=BookingStatus.CONFIRMED)
        .order_by("slot__starts_at", "created_at", "pk")
        .values_list("pk", "slot_id", "slot__occurrence_id")
    )
    if not bookings:
        return
    targets = defaultdict(list)
    for pk, occurrence_id, starts_at in Slot.objects.filter(
        occurrence_id__in={occurrence_id for _pk, _slot, occurrence_id in bookings},
        starts_at__gt=now,
    ).values_list("pk", "occurrence_id", "starts_at"):
        if starts_at in planned[occurrence_id]:
            targets[occurrence_id].append((starts_at, pk))
    for booking_id, slot_id, occurrence_id in bookings:
        start = old_start[slot_id]
        nearest = sorted(targets[occurrence_id], key=lambda t: (abs(t[0] - start), t[0]))
        outcome = "cancel"
        for _starts_at, target_id in nearest:
            try:
                move_booking(
                    booking=Booking(pk=booking_id),
                    to_slot_id=target_id,
                    actor=Actor.SYSTEM,
                    now=now,
                    reoffer=False,
                )
            except SlotFull:
                continue
            except (NotChangeable, OccurrenceCancelled):
                outcome = "gone"  # cancelled meanwhile, by the citizen or staff
                break
            except BookingError:
                break  # e.g. the phone already has another time that day: no move fits
            outcome = "moved"
            break
        if outcome == "moved":
            stats["bookings_moved"] += 1
        elif outcome == "cancel":
            try:
                cancel_booking(
                    booking=Booking(pk=booking_id),
                    actor=Actor.SYSTEM,
                    now=now,
                    reoffer=False,
                    notify_as="session_cancelled",
                )
            except NotChangeable:
                continue
            stats["bookings_cancelled"] += 1
