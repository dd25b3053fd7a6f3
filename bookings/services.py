"""Every write of the booking engine. The web, SMS, volunteer and caseworker features all call
these functions; none of them changes a Slot or a Booking on its own.

Seats are counted by conditional UPDATEs on the slot row (`booked = booked + 1 WHERE booked +
held < capacity`) and guarded by a CHECK constraint. That is correct on PostgreSQL (the UPDATE
takes the row lock and re-checks the condition) and on SQLite (IMMEDIATE transactions serialise
writers), with no SELECT … FOR UPDATE dance that SQLite would silently ignore.

Counters: `Slot.booked` is the number of bookings on the slot that are not cancelled
(confirmed, attended or no-show); `Slot.held` is the number of seats offered to the waiting list
and not yet answered."""

from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, Count, F, Value, When
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from . import notifications, tokens
from .errors import (
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
from .models import (
    Actor,
    Booking,
    BookingEvent,
    BookingStatus,
    BookingSubmission,
    CancellationSource,
    Channel,
    EventKind,
    Mode,
    Occurrence,
    OccurrenceStatus,
    Slot,
    WaitlistEntry,
    WaitlistStatus,
)
from .phones import normalise_phone
from .validators import reject_cpr_number

__all__ = [
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
    "book_slot",
    "cancel_booking",
    "cancel_occurrence",
    "expire_waitlist_offers",
    "join_waitlist",
    "leave_waitlist",
    "mark_attendance",
    "move_booking",
    "offer_freed_seats",
    "recompute_capacity",
    "switch_mode",
]

FIRST_NAME_MAX = 40
NOTE_MAX = 200
LANGUAGES = {"da", "en"}
ACTIVE_STATUSES = (BookingStatus.CONFIRMED, BookingStatus.ATTENDED, BookingStatus.NO_SHOW)


# --- small helpers -------------------------------------------------------------------------


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
    """The ways of meeting possible at this time. A crisis action (crisis app) that moves a
    hotspot to video or phone allows only that mode while it runs, whatever the page offers."""
    when = starts_at or (occurrence.starts_at if occurrence is not None else None)
    if when is not None and getattr(source, "path", None):
        from crisis.selectors import imposed_mode

        imposed = imposed_mode(page_path=source.path, starts_at=when, now=now)
        if imposed:
            return [imposed]
    # A caseworker meeting time may narrow its service's modes (no location: no in person).
    if occurrence is not None and hasattr(source, "modes_for"):
        return source.modes_for(occurrence)
    return source.offered_modes


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


def _take_seat(slot_id, *, meeting=False) -> bool:
    if meeting:
        # A caseworker meeting slot: the database refuses it (exclusion constraint / trigger,
        # migration 0003_meetings) when the caseworker already has an overlapping booked
        # meeting. For the citizen that time is simply taken. The savepoint keeps the outer
        # transaction usable on PostgreSQL.
        try:
            with transaction.atomic():
                return _take_seat(slot_id)
        except IntegrityError:
            return False
    return bool(
        Slot.objects.filter(pk=slot_id, capacity__gt=F("booked") + F("held")).update(
            booked=F("booked") + 1
        )
    )


def _release_seat(slot_id) -> None:
    Slot.objects.filter(pk=slot_id, booked__gt=0).update(booked=F("booked") - 1)


def _occurrence_still_scheduled(occurrence_id) -> bool:
    # Read after the slot's row lock is held, so a cancellation that committed while we waited
    # for the lock is seen (READ COMMITTED takes a fresh snapshot per statement).
    return Occurrence.objects.filter(pk=occurrence_id, status=OccurrenceStatus.SCHEDULED).exists()


REFERENCE_ATTEMPTS = 5


def _unique_reference() -> str:
    for _attempt in range(20):
        reference = tokens.new_reference()
        if not Booking.objects.filter(reference=reference).exists():
            return reference
    raise BookingError()  # 31**6 references: only reachable if the generator is broken


def _record(booking: Booking, kind: str, *, actor: str, now, from_mode="", to_mode="") -> None:
    BookingEvent.objects.create(
        booking=booking, kind=kind, actor=actor, at=now, from_mode=from_mode, to_mode=to_mode
    )


def _refetch(booking: Booking) -> Booking:
    return Booking.objects.select_related(
        "slot__occurrence__session", "slot__occurrence__meeting_service", "help_topic"
    ).get(pk=booking.pk)


# --- booking -------------------------------------------------------------------------------


@transaction.atomic
def book_slot(
    *,
    slot_id,
    first_name,
    phone,
    channel,
    mode=Mode.IN_PERSON,
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
    if mode == Mode.IN_PERSON and len(modes) == 1 and modes[0] != mode:
        # In person is everyone's default (an SMS "1", a staff booking); when a crisis action
        # allows only video or phone at this time, that is what the citizen is booked for.
        mode = modes[0]
    if mode not in Mode.values or mode not in modes:
        raise ModeNotOffered()

    existing = _existing_booking(phone, slot.occurrence_id)
    if existing is not None:
        raise AlreadyBooked(booking=existing)

    token = tokens.new_manage_token()
    # The reference is left to its UNIQUE constraint rather than looked up first (one query
    # fewer on the busiest path): a clash, about one in 900 million per booking at today's
    # volume, rolls back the savepoint, seat included, and the next round draws a new one.
    for attempt in range(REFERENCE_ATTEMPTS):
        reference = tokens.new_reference()
        try:
            with transaction.atomic():
                if not _take_seat(slot.pk, meeting=slot.caseworker_id is not None):
                    raise SlotFull()
                if not _occurrence_still_scheduled(slot.occurrence_id):
                    raise OccurrenceCancelled()
                booking = Booking.objects.create(
                    slot=slot,
                    mode=mode,
                    channel=channel,
                    first_name=first_name,
                    phone=phone,
                    language=_language(language),
                    help_topic_id=help_topic_id,
                    note=note,
                    reference=reference,
                    manage_token_hash=tokens.hash_token(token),
                )
            break
        except SlotFull:
            # The same phone may have taken the last seat a moment ago (a double click): tell
            # them they are booked rather than that the time is full.
            existing = _existing_booking(phone, slot.occurrence_id)
            if existing is not None:
                raise AlreadyBooked(booking=existing) from None
            raise
        except IntegrityError:
            existing = _existing_booking(phone, slot.occurrence_id)
            if existing is not None:
                raise AlreadyBooked(booking=existing) from None
            if (
                attempt + 1 < REFERENCE_ATTEMPTS
                and Booking.objects.filter(reference=reference).exists()
            ):
                continue
            raise
    _record(booking, EventKind.BOOKED, actor=_actor_for_channel(channel), now=now, to_mode=mode)
    if submission:
        _remember_submission(submission, booking=booking, token=token, now=now)
    # No re-read: `slot` already carries its occurrence and session (one query fewer on the
    # busiest path); only its counters are stale, and nothing after this reads them.
    booking.manage_token = token
    notifications.notify_booking_event(booking, "confirmed")
    return booking


SUBMISSION_TTL = timedelta(minutes=15)


def _remember_submission(submission: str, *, booking: Booking, token: str, now) -> None:
    # One statement; a reused id (the same form sent again for someone else) takes over the row.
    BookingSubmission.objects.bulk_create(
        [
            BookingSubmission(
                key=submission[:64], booking=booking, token=token, expires_at=now + SUBMISSION_TTL
            )
        ],
        update_conflicts=True,
        unique_fields=["key"],
        update_fields=["booking", "token", "expires_at"],
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
) -> Booking:
    """`reoffer=False` and `notify_as="session_cancelled"` are for a time that left the
    schedule: its seat no longer exists, so nobody may be offered it, and the citizen did not
    cancel, so they are told we did."""
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
    _record(booking, EventKind.CANCELLED, actor=actor, now=now, from_mode=booking.mode)
    notifications.notify_booking_event(booking, notify_as)
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
            if not _take_seat(target.pk, meeting=target.caseworker_id is not None):
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
    notifications.notify_booking_event(booking, "moved", from_slot=source)
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
    # Meetings have their own cut-off for changing mode (MeetingServicePage).
    cutoff = getattr(session, "mode_change_cutoff_minutes", session.booking_cutoff_minutes)
    if actor == Actor.CITIZEN and now > slot.starts_at - timedelta(minutes=cutoff):
        raise BookingClosed()
    previous = booking.mode
    changed = Booking.objects.filter(pk=booking.pk, status=BookingStatus.CONFIRMED).update(
        mode=mode, updated_at=now
    )
    if not changed:
        raise NotChangeable()
    booking = _refetch(booking)
    _record(
        booking, EventKind.MODE_SWITCHED, actor=actor, now=now, from_mode=previous, to_mode=mode
    )
    notifications.notify_booking_event(booking, "mode_switched", from_mode=previous)
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


# --- cancelling a whole occurrence ---------------------------------------------------------


@transaction.atomic
def cancel_occurrence(
    *,
    occurrence: Occurrence,
    reason: str = "",
    source=CancellationSource.STAFF,
    now=None,
) -> int:
    """Cancel one session date: every confirmed booking is cancelled and its citizen told; open
    waiting-list offers are withdrawn. Slots and bookings stay (never deleted) for the record.
    Returns the number of bookings cancelled."""
    now = now or timezone.now()
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
        notifications.notify_booking_event(booking, "session_cancelled", reason=reason)
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
    """Volunteers on shift per occurrence, once the volunteers app has a Shift model with an
    `occurrence` foreign key (shifts with a `status` of dropped/cancelled do not count)."""
    try:
        shift_model = apps.get_model("volunteers", "Shift")
    except LookupError:
        return {}
    queryset = shift_model.objects.filter(occurrence_id__in=list(occurrence_ids))
    field_names = {f.name for f in shift_model._meta.get_fields()}
    if "status" in field_names:
        queryset = queryset.exclude(status__in=["dropped", "cancelled"])
    return dict(
        queryset.values_list("occurrence_id")
        .annotate(n=Count("pk"))
        .values_list("occurrence_id", "n")
    )


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


# --- waiting list --------------------------------------------------------------------------


def _offer_hours() -> int:
    return settings.WAITLIST_OFFER_HOURS


@transaction.atomic
def join_waitlist(
    *, occurrence_id, phone, first_name="", channel, language="da", now=None
) -> WaitlistEntry:
    now = now or timezone.now()
    if channel not in Channel.values:
        raise InvalidBookingInput()
    phone = normalise_phone(phone)
    first_name = _clean_text(first_name, max_length=FIRST_NAME_MAX, field_label=_("Name"))
    try:
        occurrence = Occurrence.objects.select_related("session").get(pk=occurrence_id)
    except (Occurrence.DoesNotExist, ValueError, TypeError) as error:
        raise InvalidBookingInput(
            _("We could not find that session. Please choose again.")
        ) from error
    if occurrence.status == OccurrenceStatus.CANCELLED:
        raise OccurrenceCancelled()
    if occurrence.starts_at <= now:
        raise BookingClosed()
    existing = _existing_booking(phone, occurrence.pk)
    if existing is not None:
        raise AlreadyBooked(booking=existing)
    active = WaitlistEntry.objects.filter(
        occurrence=occurrence,
        phone=phone,
        status__in=[WaitlistStatus.WAITING, WaitlistStatus.OFFERED],
    ).first()
    if active is not None:
        return active
    try:
        with transaction.atomic():
            entry = WaitlistEntry.objects.create(
                occurrence=occurrence,
                phone=phone,
                first_name=first_name,
                channel=channel,
                language=_language(language),
            )
    except IntegrityError:
        return WaitlistEntry.objects.get(
            occurrence=occurrence,
            phone=phone,
            status__in=[WaitlistStatus.WAITING, WaitlistStatus.OFFERED],
        )
    # A seat may have freed while they were reading the page.
    offer_freed_seats(occurrence=occurrence, now=now)
    entry.refresh_from_db()
    return entry


@transaction.atomic
def leave_waitlist(*, entry: WaitlistEntry, now=None) -> None:
    now = now or timezone.now()
    entry = WaitlistEntry.objects.select_related("occurrence__session").get(pk=entry.pk)
    if entry.status not in (WaitlistStatus.WAITING, WaitlistStatus.OFFERED):
        raise NotOnWaitlist()
    was_offered = entry.status == WaitlistStatus.OFFERED
    changed = WaitlistEntry.objects.filter(pk=entry.pk, status=entry.status).update(
        status=WaitlistStatus.LEFT, updated_at=now
    )
    if changed and was_offered and entry.offered_slot_id:
        Slot.objects.filter(pk=entry.offered_slot_id, held__gt=0).update(held=F("held") - 1)
        offer_freed_seats(occurrence=entry.occurrence, now=now)


@transaction.atomic
def offer_freed_seats(*, occurrence: Occurrence, now=None) -> int:
    """Offer every free seat of the occurrence to the next phones on its waiting list, holding
    the seat until the offer runs out. Returns the number of offers sent."""
    now = now or timezone.now()
    occurrence = Occurrence.objects.select_related("session", "meeting_service").get(
        pk=occurrence.pk
    )
    if occurrence.status == OccurrenceStatus.CANCELLED:
        return 0
    waiting = list(
        WaitlistEntry.objects.filter(occurrence=occurrence, status=WaitlistStatus.WAITING)
    )
    if not waiting:
        return 0
    cutoff = timedelta(minutes=occurrence.source.booking_cutoff_minutes)
    offers = 0
    slots = Slot.objects.filter(
        occurrence=occurrence, starts_at__gt=now + cutoff, capacity__gt=F("booked") + F("held")
    ).order_by("starts_at")
    for slot in slots:
        while waiting:
            held = Slot.objects.filter(pk=slot.pk, capacity__gt=F("booked") + F("held")).update(
                held=F("held") + 1
            )
            if not held:
                break
            expires = min(now + timedelta(hours=_offer_hours()), slot.starts_at - cutoff)
            entry = waiting.pop(0)
            offered = WaitlistEntry.objects.filter(
                pk=entry.pk, status=WaitlistStatus.WAITING
            ).update(
                status=WaitlistStatus.OFFERED,
                offered_slot=slot,
                offer_expires_at=expires,
                updated_at=now,
            )
            if not offered:  # someone else offered it or they left: give the seat back
                Slot.objects.filter(pk=slot.pk, held__gt=0).update(held=F("held") - 1)
                continue
            entry.status = WaitlistStatus.OFFERED
            entry.offered_slot = slot
            entry.offer_expires_at = expires
            notifications.notify_waitlist_offer(entry)
            offers += 1
        if not waiting:
            break
    return offers


@transaction.atomic
def accept_waitlist_offer(*, phone, now=None) -> Booking:
    """The SMS answer JA: turn the held seat into a booking."""
    now = now or timezone.now()
    phone = normalise_phone(phone)
    entry = (
        WaitlistEntry.objects.select_related("offered_slot__occurrence__session")
        .filter(phone=phone, status=WaitlistStatus.OFFERED, offer_expires_at__gt=now)
        .order_by("offer_expires_at")
        .first()
    )
    if entry is None or entry.offered_slot is None:
        raise NoWaitlistOffer()
    claimed = WaitlistEntry.objects.filter(pk=entry.pk, status=WaitlistStatus.OFFERED).update(
        status=WaitlistStatus.ACCEPTED, updated_at=now
    )
    if not claimed:
        raise NoWaitlistOffer()
    slot = entry.offered_slot
    existing = _existing_booking(phone, slot.occurrence_id)
    if existing is not None:
        Slot.objects.filter(pk=slot.pk, held__gt=0).update(held=F("held") - 1)
        offer_freed_seats(occurrence=slot.occurrence, now=now)
        raise AlreadyBooked(booking=existing)
    converted = Slot.objects.filter(pk=slot.pk, held__gt=0).update(
        held=F("held") - 1, booked=F("booked") + 1
    )
    if not converted:
        raise NoWaitlistOffer()
    session = slot.occurrence.source
    token = tokens.new_manage_token()
    booking = Booking.objects.create(
        slot=slot,
        mode=Mode.IN_PERSON if session.offers_in_person else session.offered_modes[0],
        channel=entry.channel,
        first_name=entry.first_name,
        phone=phone,
        language=entry.language,
        reference=_unique_reference(),
        manage_token_hash=tokens.hash_token(token),
    )
    WaitlistEntry.objects.filter(pk=entry.pk).update(booking=booking)
    _record(booking, EventKind.BOOKED, actor=Actor.CITIZEN, now=now, to_mode=booking.mode)
    booking = _refetch(booking)
    booking.manage_token = token
    notifications.notify_booking_event(booking, "confirmed")
    return booking


def expire_waitlist_offers(*, now=None) -> int:
    """Release seats whose offer ran out and pass them on to the next in line."""
    now = now or timezone.now()
    expired = 0
    stale = WaitlistEntry.objects.filter(
        status=WaitlistStatus.OFFERED, offer_expires_at__lte=now
    ).values_list("pk", "offered_slot_id", "occurrence_id")
    occurrence_ids = set()
    for pk, slot_id, occurrence_id in stale:
        with transaction.atomic():
            if WaitlistEntry.objects.filter(pk=pk, status=WaitlistStatus.OFFERED).update(
                status=WaitlistStatus.EXPIRED, updated_at=now
            ):
                if slot_id:
                    Slot.objects.filter(pk=slot_id, held__gt=0).update(held=F("held") - 1)
                expired += 1
                occurrence_ids.add(occurrence_id)
    for occurrence in Occurrence.objects.filter(
        pk__in=occurrence_ids, status=OccurrenceStatus.SCHEDULED, starts_at__gt=now
    ):
        offer_freed_seats(occurrence=occurrence, now=now)
    return expired


# --- retention -----------------------------------------------------------------------------


def anonymise_expired_bookings(*, now=None, days: int | None = None) -> int:
    """Wipe name, number and note a set number of days after the slot; the anonymous booking and
    its events stay for statistics."""
    now = now or timezone.now()
    days = settings.PERSONAL_DATA_RETENTION_DAYS if days is None else days
    cutoff = now - timedelta(days=days)
    with transaction.atomic():
        count = Booking.objects.filter(slot__ends_at__lt=cutoff, anonymised_at__isnull=True).update(
            first_name="", phone="", note="", anonymised_at=now, updated_at=now
        )
        WaitlistEntry.objects.filter(
            occurrence__ends_at__lt=cutoff, anonymised_at__isnull=True
        ).update(
            first_name="",
            phone="",
            anonymised_at=now,
            status=Case(
                When(
                    status__in=[WaitlistStatus.WAITING, WaitlistStatus.OFFERED],
                    then=Value(WaitlistStatus.EXPIRED.value),
                ),
                default=F("status"),
            ),
            updated_at=now,
        )
    return count
