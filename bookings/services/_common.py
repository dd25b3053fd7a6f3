"""Helpers every engine write shares: input cleaning, the booking window, the modes a time
allows, seat counting and the event record."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from config.languages import CITIZEN_LANGUAGES

from .. import registry, tokens
from ..errors import (
    BookingClosed,
    BookingError,
    BookingNotOpenYet,
    InvalidBookingInput,
    ModeNotOffered,
    OccurrenceCancelled,
)
from ..models import (
    Booking,
    BookingEvent,
    BookingStatus,
    Mode,
    Occurrence,
    OccurrenceStatus,
    Slot,
)
from ..precompiled import Precompiled, insert
from ..validators import reject_cpr_number

FIRST_NAME_MAX = 40
NOTE_MAX = 200
# The languages a booking may carry: its SMS follow it.
LANGUAGES = set(CITIZEN_LANGUAGES)
ACTIVE_STATUSES = (BookingStatus.CONFIRMED, BookingStatus.ATTENDED, BookingStatus.NO_SHOW)


def _clean_text(value, *, max_length: int, field_label: str) -> str:
    text = " ".join(str(value or "").split())
    if len(text) > max_length:
        raise InvalidBookingInput(
            _("%(field)s can be at most %(n)s characters.")
            % {"field": field_label, "n": max_length}
        )
    try:
        reject_cpr_number(text)
    except ValidationError as error:
        raise InvalidBookingInput(error.messages[0]) from error
    return text


def _language(value: str) -> str:
    value = (value or "da")[:2].lower()
    return value if value in LANGUAGES else "da"


def _help_topic_id(help_topic):
    if help_topic in (None, ""):
        return None
    if hasattr(help_topic, "pk"):
        return help_topic.pk
    try:
        return int(help_topic)
    except (TypeError, ValueError) as error:
        raise InvalidBookingInput(_("Please choose what you need help with.")) from error


def _get_slot(slot_id) -> Slot:
    try:
        return Slot.objects.select_related(
            "occurrence__session", "occurrence__meeting_service"
        ).get(pk=slot_id)
    except (Slot.DoesNotExist, ValueError, TypeError) as error:
        raise InvalidBookingInput(
            _("We could not find that time. It may have been moved. Please choose again.")
        ) from error


def _check_bookable(slot: Slot, *, staff: bool, now) -> None:
    """The booking window: open `booking_opens_days` before, closed `booking_cutoff_minutes`
    before the start. Staff may still book a citizen who phones in after the cut-off, and the
    system may move one whose time left the schedule, but never into the past."""
    occurrence = slot.occurrence
    session = occurrence.source
    if occurrence.status == OccurrenceStatus.CANCELLED or not session.live:
        raise OccurrenceCancelled()
    if slot.starts_at <= now:
        raise BookingClosed()
    if staff:
        return
    if now > slot.starts_at - timedelta(minutes=session.booking_cutoff_minutes):
        raise BookingClosed()
    if now < occurrence.starts_at - timedelta(days=session.booking_opens_days):
        raise BookingNotOpenYet()


def _modes(source, occurrence, starts_at=None, *, now=None) -> list[str]:
    """The ways of meeting possible at this time: what the session or meeting service offers
    (a caseworker's meeting time may narrow it: no location, no meeting in person), narrowed by
    any policy an app registered with the engine (a crisis action closes in-person help)."""
    modes = source.modes_for(occurrence)
    when = starts_at or (occurrence.starts_at if occurrence is not None else None)
    if when is None:
        return modes
    allowed, _reason = registry.restrict_modes(
        modes, source=source, starts_at=when, now=now or timezone.now()
    )
    return allowed


def closed_reason_for_slot(slot, *, now=None) -> str:
    """Why no way of meeting is open at this slot: the code a policy gave ("crisis": a crisis
    action closed in-person help where there is no remote help), or "" when some mode is."""
    occurrence = slot.occurrence
    source = occurrence.source
    allowed, reason = registry.restrict_modes(
        source.modes_for(occurrence),
        source=source,
        starts_at=slot.starts_at,
        now=now or timezone.now(),
    )
    return "" if allowed else (reason or "closed")


def modes_for_slot(slot, *, now=None) -> list[str]:
    """What the booking form, the SMS dialog and the manage page may offer for this slot."""
    return _modes(slot.occurrence.source, slot.occurrence, slot.starts_at, now=now)


def _check_mode(session, mode: str, occurrence=None, starts_at=None, *, now=None) -> None:
    if mode not in Mode.values or mode not in _modes(session, occurrence, starts_at, now=now):
        raise ModeNotOffered()


def _existing_booking(phone: str, occurrence_id, *, exclude_pk=None) -> Booking | None:
    if not phone:
        return None
    queryset = Booking.objects.filter(
        phone=phone, status=BookingStatus.CONFIRMED, slot__occurrence_id=occurrence_id
    )
    if exclude_pk:
        queryset = queryset.exclude(pk=exclude_pk)
    # Almost always there is none: ask for the id alone (a cheap query on the busiest path) and
    # load the whole booking only when there is one.
    pk = queryset.values_list("pk", flat=True).first()
    return None if pk is None else Booking.objects.select_related("slot").get(pk=pk)


def _take_seat(slot_id, *, caseworker_id=None, unless_booked_by: str = "") -> bool:
    """Take a seat if one is free. `unless_booked_by`: a phone that must not already hold a
    confirmed booking on the slot's date (one seat per phone and date), asked in the same
    UPDATE so the common case (no such booking) costs no statement of its own; a False then
    means full *or* booked, and the caller tells which apart (_existing_booking)."""
    if caseworker_id is not None:
        # A caseworker meeting slot: the database refuses it (exclusion constraint / trigger,
        # migration 0003_meetings) when the caseworker already has an overlapping booked
        # meeting. For the citizen that time is simply taken. The savepoint keeps the outer
        # transaction usable on PostgreSQL.
        _serialise_caseworker(caseworker_id)
        try:
            with transaction.atomic():
                return _take_seat(slot_id, unless_booked_by=unless_booked_by)
        except IntegrityError:
            return False
    if unless_booked_by:
        taken = _SEAT_UNLESS_BOOKED.update(
            _ONE_MORE_BOOKED, slot_id=int(slot_id), phone=unless_booked_by
        )
    else:
        taken = _SEAT.update(_ONE_MORE_BOOKED, slot_id=int(slot_id))
    return bool(taken)


def _free_seat(slot_id):
    return Slot.objects.filter(pk=slot_id, capacity__gt=F("booked") + F("held"))


def _free_seat_unless_booked(slot_id, phone):
    return _free_seat(slot_id).filter(
        ~Exists(
            Booking.objects.filter(
                phone=phone,
                status=BookingStatus.CONFIRMED,
                slot__occurrence_id=OuterRef("occurrence_id"),
            )
        )
    )


# The seat's UPDATE is compiled once per connection (bookings/precompiled.py): building it,
# with its EXISTS, cost the ORM about 1.5 ms of CPU on every booking.
_ONE_MORE_BOOKED = {"booked": F("booked") + 1}
_SEAT = Precompiled(_free_seat, slot_id=int)
_SEAT_UNLESS_BOOKED = Precompiled(_free_seat_unless_booked, slot_id=int, phone=str)


# The first key of PostgreSQL's two-key advisory locks: "one caseworker's calendar".
CASEWORKER_LOCK_SPACE = 0x6D656574


def _serialise_caseworker(caseworker_id: int) -> None:
    """Bookings of one caseworker's overlapping slots take turns until the transaction ends.

    Without this, two citizens booking overlapping times (9.00-9.45 and 9.30-10.00) each lock
    their own slot row and then wait in the exclusion constraint for the other's row: PostgreSQL
    breaks the deadlock by failing one of them with an error instead of "that time is taken".
    SQLite writes one transaction at a time already."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)", [CASEWORKER_LOCK_SPACE, caseworker_id]
            )


def _release_seat(slot_id) -> None:
    Slot.objects.filter(pk=slot_id, booked__gt=0).update(booked=F("booked") - 1)


def _occurrence_still_scheduled(occurrence_id) -> bool:
    # Read after the slot's row lock is held, so a cancellation that committed while we waited
    # for the lock is seen (READ COMMITTED takes a fresh snapshot per statement).
    return _SCHEDULED.exists(occurrence_id=int(occurrence_id))


_SCHEDULED = Precompiled(
    lambda occurrence_id: Occurrence.objects.filter(
        pk=occurrence_id, status=OccurrenceStatus.SCHEDULED
    ),
    occurrence_id=int,
)


REFERENCE_ATTEMPTS = 5


def _unique_reference() -> str:
    for _attempt in range(20):
        reference = tokens.new_reference()
        if not Booking.objects.filter(reference=reference).exists():
            return reference
    raise BookingError()  # 31**6 references: only reachable if the generator is broken


def _record(
    booking: Booking, kind: str, *, actor: str, now, from_mode="", to_mode="", reason=""
) -> None:
    # BookingEvent.objects.create(), without compiling its INSERT each time.
    insert(
        BookingEvent(
            booking=booking,
            kind=kind,
            actor=actor,
            at=now,
            from_mode=from_mode,
            to_mode=to_mode,
            reason=reason,
        )
    )


def _refetch(booking: Booking) -> Booking:
    return Booking.objects.select_related(
        "slot__occurrence__session", "slot__occurrence__meeting_service", "help_topic"
    ).get(pk=booking.pk)
