"""One citizen's booking: book, cancel, move, switch mode, mark attendance, and the double-submit
record that makes a second click land on the first booking."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import registry, tokens
from ..errors import (
    AlreadyBooked,
    BookingClosed,
    InvalidBookingInput,
    ModeNotOffered,
    NotChangeable,
    OccurrenceCancelled,
    SlotFull,
)
from ..models import (
    Actor,
    Booking,
    BookingStatus,
    BookingSubmission,
    Channel,
    EventKind,
    Mode,
    StaffCancelReason,
)
from ..phones import is_practice_phone, normalise_phone
from ..precompiled import insert
from ._common import (
    FIRST_NAME_MAX,
    NOTE_MAX,
    REFERENCE_ATTEMPTS,
    _check_bookable,
    _check_mode,
    _clean_text,
    _existing_booking,
    _get_slot,
    _help_topic_id,
    _language,
    _modes,
    _occurrence_still_scheduled,
    _record,
    _refetch,
    _release_seat,
    _take_seat,
    modes_for_slot,
)
from .waitlist import offer_freed_seats


def book_slot(
    *,
    slot_id,
    first_name,
    phone,
    channel,
    mode=None,
    help_topic=None,
    note="",
    language="da",
    now=None,
    slot=None,
    modes=None,
    submission="",
) -> Booking:
    """Take one seat on a slot. A second identical submission raises AlreadyBooked carrying the
    first booking, so a double click or a retried request never makes two bookings.

    `slot`: optionally the Slot for `slot_id`, already loaded by the caller in this request with
    its occurrence, session and meeting service (the web view has it), so it is not read twice.
    Its counters are never trusted: seats are taken by the conditional UPDATE as always.
    `modes`: optionally modes_for_slot(slot) as that caller already computed it for its form.

    `submission`: the web form's one-off id; recorded with the booking and its plain token in
    this transaction (BookingSubmission), so a double click's second request, which waits for
    this one's commit, finds the token and shows the same confirmation."""
    now = now or timezone.now()
    if channel not in Channel.values:
        raise InvalidBookingInput()
    first_name = _clean_text(first_name, max_length=FIRST_NAME_MAX, field_label=_("Name"))
    note = _clean_text(note, max_length=NOTE_MAX, field_label=_("Note"))
    phone = normalise_phone(phone) if phone or channel != Channel.STAFF else ""
    help_topic_id = _help_topic_id(help_topic)
    if slot is None or str(slot.pk) != str(slot_id):
        slot = _get_slot(slot_id)
        modes = None  # any modes the caller passed were for another slot
    _check_bookable(slot, staff=channel == Channel.STAFF, now=now)
    if modes is None:
        modes = modes_for_slot(slot, now=now)
    if mode is None:
        # No choice of their own (an SMS "1"): the first way the time offers, which is in
        # person unless the session has none, or a policy (a crisis action) put its preferred
        # way first.
        mode = modes[0] if modes else Mode.IN_PERSON
    if mode not in Mode.values or mode not in modes:
        raise ModeNotOffered()

    if slot.free <= 0:
        # Full by the counts just read (committed; the answer the citizen would have got a
        # moment earlier): told so without a transaction, so a crowd on a time's last seats
        # does not queue on its row lock only to hear it is full. A free count is never
        # trusted: the seat is still taken by the conditional UPDATE.
        existing = _existing_booking(phone, slot.occurrence_id)
        if existing is not None:
            raise AlreadyBooked(booking=existing)
        raise SlotFull()
    booking = Booking(
        slot=slot,
        mode=mode,
        channel=channel,
        first_name=first_name,
        phone=phone,
        language=_language(language),
        help_topic_id=help_topic_id,
        note=note,
        is_practice=is_practice_phone(phone),
    )
    # The reference is left to its UNIQUE constraint rather than looked up first (one query
    # fewer on the busiest path): a clash, about one in 900 million per booking at today's
    # volume, rolls the whole write back, seat included, and the next round draws a new one.
    # The round is its own transaction rather than a savepoint in one (two statements fewer);
    # inside a caller's transaction (the SMS dialog) it is a savepoint as before.
    for attempt in range(REFERENCE_ATTEMPTS):
        reference = tokens.new_reference()
        try:
            return _write_booking(booking, reference, now=now, submission=submission)
        except IntegrityError:
            existing = _existing_booking(phone, slot.occurrence_id)
            if existing is not None:
                raise AlreadyBooked(booking=existing) from None
            if (
                attempt + 1 < REFERENCE_ATTEMPTS
                and Booking.objects.filter(reference=reference).exists()
            ):
                booking.pk = None
                continue
            raise
    raise AssertionError("unreachable")  # pragma: no cover


# One transaction for the seat, the booking, its event, the submission and the confirmation
# text: a web node killed in between must not leave a booking nobody was told about
# (bench/cluster.py found one when the decorator went missing in the split into a package).
@transaction.atomic
def _write_booking(booking: Booking, reference: str, *, now, submission: str) -> Booking:
    slot, phone = booking.slot, booking.phone
    # One seat per phone and date is asked in the seat's UPDATE; only a refusal looks further.
    if not _take_seat(slot.pk, caseworker_id=slot.caseworker_id, unless_booked_by=phone):
        # The same phone may hold a booking that day already, or have taken the last seat a
        # moment ago (a double click): tell them they are booked rather than that it is full.
        existing = _existing_booking(phone, slot.occurrence_id)
        if existing is not None:
            raise AlreadyBooked(booking=existing)
        raise SlotFull()
    # Read after the seat's row lock is held: a cancellation committed meanwhile is seen. This
    # stays a statement of its own: folded into the seat UPDATE as an EXISTS it would be asked
    # in the UPDATE's snapshot, and when a cancellation commits while we wait for the slot's
    # lock, PostgreSQL re-checks the new slot row but not the occurrence (the subquery keeps
    # its old snapshot), so the seat would be taken on a cancelled date even though
    # cancel_occurrence rewrites the slots (tests/concurrency: booking against cancelling).
    if not _occurrence_still_scheduled(slot.occurrence_id):
        raise OccurrenceCancelled()
    token = tokens.new_manage_token()
    booking.reference = reference
    booking.manage_token_hash = tokens.hash_token(token)
    insert(booking)  # booking.save(force_insert=True), its INSERT compiled once
    _record(
        booking,
        EventKind.BOOKED,
        actor=_actor_for_channel(booking.channel),
        now=now,
        to_mode=booking.mode,
    )
    if submission:
        _remember_submission(submission, booking=booking, token=token, now=now)
    # No re-read: `slot` already carries its occurrence and session (one query fewer on the
    # busiest path); only its counters are stale, and nothing after this reads them.
    booking.manage_token = token
    registry.booking_event(booking, "confirmed")
    return booking


SUBMISSION_TTL = timedelta(minutes=15)


def _remember_submission(submission: str, *, booking: Booking, token: str, now) -> None:
    # One statement; a reused id (the same form sent again for someone else) takes over the row
    # (bulk_create(update_conflicts=True), its INSERT … ON CONFLICT compiled once).
    insert(
        BookingSubmission(
            key=submission[:64], booking=booking, token=token, expires_at=now + SUBMISSION_TTL
        ),
        update_conflicts_on=("key",),
        update_fields=("booking", "token", "expires_at"),
    )


def prune_expired_submissions(*, now=None) -> int:
    """Double-submit records past their 15 minutes (`runperiodic`'s prune_request_records job):
    they hold a plain manage token, so they must not outlive their purpose."""
    now = now or timezone.now()
    return BookingSubmission.objects.filter(expires_at__lt=now).delete()[0]


def remembered_submission(submission: str, *, now=None) -> tuple[int, str] | None:
    """(booking id, plain token) recorded for an unexpired submission id, else None."""
    now = now or timezone.now()
    row = (
        BookingSubmission.objects.filter(key=submission[:64], expires_at__gt=now)
        .values_list("booking_id", "token")
        .first()
    )
    return tuple(row) if row else None


def _actor_for_channel(channel: str) -> str:
    return Actor.STAFF if channel == Channel.STAFF else Actor.CITIZEN


@transaction.atomic
def cancel_booking(
    *,
    booking: Booking,
    actor=Actor.CITIZEN,
    now=None,
    reoffer: bool = True,
    notify_as: str = "cancelled",
    reason: str = "",
) -> Booking:
    """`reoffer=False` and `notify_as="session_cancelled"` are for a time that left the
    schedule: its seat no longer exists, so nobody may be offered it, and the citizen did not
    cancel, so they are told we did. `reason` is staff's StaffCancelReason code, kept on the
    event for staff and the statistics (the citizen's SMS does not say it)."""
    if reason and reason not in StaffCancelReason.values:
        raise InvalidBookingInput()
    now = now or timezone.now()
    booking = _refetch(booking)
    if actor == Actor.CITIZEN and booking.slot.starts_at <= now:
        raise NotChangeable(_("This time has already started, so it cannot be cancelled now."))
    changed = Booking.objects.filter(pk=booking.pk, status=BookingStatus.CONFIRMED).update(
        status=BookingStatus.CANCELLED, cancelled_at=now, cancelled_by=actor, updated_at=now
    )
    if not changed:
        raise NotChangeable()
    _release_seat(booking.slot_id)
    booking = _refetch(booking)
    _record(
        booking, EventKind.CANCELLED, actor=actor, now=now, from_mode=booking.mode, reason=reason
    )
    registry.booking_event(booking, notify_as)
    if reoffer:
        offer_freed_seats(occurrence=booking.slot.occurrence, now=now)
    return booking


@transaction.atomic
def move_booking(
    *,
    booking: Booking,
    to_slot_id,
    actor=Actor.CITIZEN,
    mode=None,
    now=None,
    reoffer: bool = True,
) -> Booking:
    """Move a confirmed booking to another slot (of any session), keeping its reference and
    manage link. The new seat is taken before the old one is given back, so a failed move
    leaves the citizen with the seat they had.

    The system moves citizens off a time that left the schedule: like staff it may do so after
    the booking cut-off (the citizen did not choose the change), and with `reoffer=False` the
    seat it leaves, which no longer exists, is not offered to the waiting list."""
    now = now or timezone.now()
    booking = _refetch(booking)
    if booking.status != BookingStatus.CONFIRMED:
        raise NotChangeable()
    if actor == Actor.CITIZEN and booking.slot.starts_at <= now:
        raise NotChangeable(_("This time has already started, so it cannot be moved now."))
    target = _get_slot(to_slot_id)
    if target.pk == booking.slot_id:
        return booking
    _check_bookable(target, staff=actor in (Actor.STAFF, Actor.SYSTEM), now=now)
    new_mode = mode or booking.mode
    session = target.occurrence.source
    modes = _modes(session, target.occurrence, target.starts_at, now=now)
    if mode is None and new_mode not in modes and modes:
        new_mode = modes[0]
    _check_mode(session, new_mode, target.occurrence, target.starts_at, now=now)
    existing = _existing_booking(booking.phone, target.occurrence_id, exclude_pk=booking.pk)
    if existing is not None:
        raise AlreadyBooked(booking=existing)

    source = booking.slot
    previous_mode = booking.mode
    try:
        with transaction.atomic():
            if not _take_seat(target.pk, caseworker_id=target.caseworker_id):
                raise SlotFull()
            if not _occurrence_still_scheduled(target.occurrence_id):
                raise OccurrenceCancelled()
            moved = Booking.objects.filter(
                pk=booking.pk, status=BookingStatus.CONFIRMED, slot_id=source.pk
            ).update(slot=target, mode=new_mode, updated_at=now)
            if not moved:
                raise NotChangeable()
            _release_seat(source.pk)
    except IntegrityError:
        raise AlreadyBooked(
            booking=_existing_booking(booking.phone, target.occurrence_id, exclude_pk=booking.pk)
        ) from None
    booking = _refetch(booking)
    _record(
        booking,
        EventKind.MOVED,
        actor=actor,
        now=now,
        from_mode=previous_mode,
        to_mode=new_mode,
    )
    registry.booking_event(booking, "moved", from_slot=source)
    if reoffer and source.starts_at > now:
        offer_freed_seats(occurrence=source.occurrence, now=now)
    return booking


@transaction.atomic
def switch_mode(*, booking: Booking, mode, actor=Actor.CITIZEN, now=None) -> Booking:
    """In person, video or phone. Citizens may switch until the booking cut-off; staff until
    the start."""
    now = now or timezone.now()
    booking = _refetch(booking)
    if booking.status != BookingStatus.CONFIRMED:
        raise NotChangeable()
    slot = booking.slot
    session = slot.occurrence.source
    _check_mode(session, mode, slot.occurrence, slot.starts_at, now=now)
    if mode == booking.mode:
        return booking
    if slot.starts_at <= now:
        raise BookingClosed()
    # Each source sets its own cut-off for changing mode (BookingRules).
    cutoff = session.mode_change_cutoff_minutes
    if actor == Actor.CITIZEN and now > slot.starts_at - timedelta(minutes=cutoff):
        raise BookingClosed()
    previous = booking.mode
    # One booking changed by a person (the citizen, or staff for them) is a choice, not an
    # imposition: statistics count it as chosen.
    changed = Booking.objects.filter(pk=booking.pk, status=BookingStatus.CONFIRMED).update(
        mode=mode, mode_imposed=False, updated_at=now
    )
    if not changed:
        raise NotChangeable()
    booking = _refetch(booking)
    _record(
        booking, EventKind.MODE_SWITCHED, actor=actor, now=now, from_mode=previous, to_mode=mode
    )
    registry.booking_event(booking, "mode_switched", from_mode=previous)
    return booking


@transaction.atomic
def mark_attendance(*, booking: Booking, attended: bool, actor=Actor.STAFF, now=None) -> Booking:
    """Came or did not come. Possible from the day of the session on, and may be corrected."""
    now = now or timezone.now()
    booking = _refetch(booking)
    if booking.status == BookingStatus.CANCELLED:
        raise NotChangeable(_("This booking was cancelled, so attendance cannot be marked."))
    if booking.slot.occurrence.date > timezone.localdate(now):
        raise NotChangeable(_("Attendance can be marked on the day of the session."))
    status = BookingStatus.ATTENDED if attended else BookingStatus.NO_SHOW
    if booking.status == status:
        return booking
    Booking.objects.filter(pk=booking.pk).exclude(status=BookingStatus.CANCELLED).update(
        status=status, updated_at=now
    )
    booking = _refetch(booking)
    _record(
        booking,
        EventKind.ATTENDED if attended else EventKind.NO_SHOW,
        actor=actor,
        now=now,
        from_mode=booking.mode,
    )
    return booking
