"""Every write of the booking engine. The web, SMS, volunteer and caseworker features all call
these functions; none of them changes a Slot or a Booking on its own.

Seats are counted by conditional UPDATEs on the slot row (`booked = booked + 1 WHERE booked +
held < capacity`) and guarded by a CHECK constraint. That is correct on PostgreSQL (the UPDATE
takes the row lock and re-checks the condition) and on SQLite (IMMEDIATE transactions serialise
writers), with no SELECT … FOR UPDATE dance that SQLite would silently ignore.

Counters: `Slot.booked` is the number of bookings on the slot that are not cancelled
(confirmed, attended or no-show); `Slot.held` is the number of seats offered to the waiting list
and not yet answered."""

from ..errors import (
    AlreadyBooked,
    BookingClosed,
    BookingError,
    BookingNotOpenYet,
    InvalidBookingInput,
    InvalidPhone,
    ModeNotOffered,
    NotChangeable,
    NotOnWaitlist,
    NoWaitlistOffer,
    OccurrenceCancelled,
    SlotFull,
)
from ._common import closed_reason_for_slot, modes_for_slot
from .booking import (
    book_slot,
    cancel_booking,
    mark_attendance,
    move_booking,
    prune_expired_submissions,
    remembered_submission,
    switch_mode,
)
from .occurrences import cancel_occurrence, recompute_capacity, target_capacity, volunteer_counts
from .practice import delete_practice_bookings
from .retention import anonymise_expired_bookings
from .waitlist import (
    accept_waitlist_offer,
    expire_waitlist_offers,
    join_waitlist,
    leave_waitlist,
    offer_freed_seats,
)

__all__ = [
    "delete_practice_bookings",
    "AlreadyBooked",
    "BookingClosed",
    "BookingError",
    "BookingNotOpenYet",
    "InvalidBookingInput",
    "InvalidPhone",
    "ModeNotOffered",
    "NoWaitlistOffer",
    "NotChangeable",
    "NotOnWaitlist",
    "OccurrenceCancelled",
    "SlotFull",
    "accept_waitlist_offer",
    "anonymise_expired_bookings",
    "book_slot",
    "cancel_booking",
    "cancel_occurrence",
    "closed_reason_for_slot",
    "expire_waitlist_offers",
    "join_waitlist",
    "leave_waitlist",
    "mark_attendance",
    "modes_for_slot",
    "move_booking",
    "offer_freed_seats",
    "prune_expired_submissions",
    "recompute_capacity",
    "remembered_submission",
    "switch_mode",
    "target_capacity",
    "volunteer_counts",
]
