"""Practice bookings: what staff book with a practice number (bookings.phones) in the SMS
simulator, in training or in a demo. They take a real seat while they exist, so they do not
outlive PRACTICE_LIFETIME: this deletes them, gives their seats back and offers those seats to
the waiting list, as a cancellation would, but without an event (practice is not history)."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ..models import Booking, BookingStatus, Occurrence, Slot, WaitlistEntry, WaitlistStatus
from ..phones import PRACTICE_LIFETIME, is_practice_phone
from ._common import _release_seat
from .waitlist import offer_freed_seats


@transaction.atomic
def delete_practice_bookings(*, now=None) -> dict[str, int]:
    """Delete practice bookings and practice waiting-list entries untouched for
    PRACTICE_LIFETIME. Idempotent."""
    now = now or timezone.now()
    cutoff = now - PRACTICE_LIFETIME
    freed_occurrences = set()
    bookings = list(
        Booking.objects.select_for_update()
        .filter(is_practice=True, updated_at__lt=cutoff)
        .select_related("slot")
    )
    for booking in bookings:
        if booking.status != BookingStatus.CANCELLED:
            _release_seat(booking.slot_id)
            if booking.slot.starts_at > now:
                freed_occurrences.add(booking.slot.occurrence_id)
    Booking.objects.filter(pk__in=[b.pk for b in bookings]).delete()

    entries = [
        entry
        for entry in WaitlistEntry.objects.select_for_update().filter(
            phone__startswith="+457000", updated_at__lt=cutoff
        )
        if is_practice_phone(entry.phone)
    ]
    for entry in entries:
        if entry.status == WaitlistStatus.OFFERED and entry.offered_slot_id:
            Slot.objects.filter(pk=entry.offered_slot_id, held__gt=0).update(held=F("held") - 1)
            freed_occurrences.add(entry.occurrence_id)
    WaitlistEntry.objects.filter(pk__in=[e.pk for e in entries]).delete()

    for occurrence in Occurrence.objects.filter(pk__in=freed_occurrences):
        offer_freed_seats(occurrence=occurrence, now=now)
    return {"bookings": len(bookings), "waitlist": len(entries)}
