"""Writes for crisis mode.

Starting an action only records the decision (fast, inside the admin request); a task then
applies it. Applying is one transaction with set-based statements: UPDATEs by primary-key
chunks, and bulk INSERTs of the booking events and of every outbox row. That keeps 10,000
bookings well inside two seconds, and it means the bookings change if and only if their SMS
are queued. The per-booking services (switch_mode, cancel_occurrence) would do the same change
one row at a time and each send its own text; here the citizen gets the coordinator's one
message instead, one per phone number, however many bookings that number has."""

import logging
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from bookings.models import (
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
from sms.models import Direction, Message, OptOut, Status

from . import selectors
from .models import CrisisAction, CrisisKind, CrisisStatus

logger = logging.getLogger(__name__)

BANNER_CACHE_KEY = "crisis:banners"
MESSAGE_MAX = 612  # four GSM-7 segments: longer than that stops being a text message
CHUNK = 2000  # primary keys per UPDATE: far below SQLite's variable limit
ACTIVE_STATUSES = (BookingStatus.CONFIRMED, BookingStatus.ATTENDED, BookingStatus.NO_SHOW)
TARGET_MODE = {CrisisKind.TO_VIDEO: Mode.VIDEO, CrisisKind.TO_PHONE: Mode.PHONE}


class CrisisError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def forget_banners() -> None:
    cache.delete(BANNER_CACHE_KEY)


def _chunks(items, size=CHUNK):
    for i in range(0, len(items), size):
        yield items[i : i + size]


@transaction.atomic
def start_crisis_action(
    *,
    organisation,
    user,
    kind: str,
    starts_at: datetime,
    ends_at: datetime,
    message: str,
    scope_page_ids=(),
    now=None,
) -> CrisisAction:
    """Record the coordinator's decision and hand the work to a task once it commits."""
    now = now or timezone.now()
    if not selectors.coordinated_organisations(user).filter(pk=organisation.pk).exists():
        raise CrisisError(_("You are not a coordinator of this organisation."))
    if kind not in CrisisKind.values:
        raise CrisisError(_("Choose what should happen."))
    if ends_at <= starts_at:
        raise CrisisError(_("The period must end after it starts."))
    message = (message or "").strip()
    if not message:
        raise CrisisError(_("Write the message the citizens will get."))
    if len(message) > MESSAGE_MAX:
        raise CrisisError(_("The message is too long for a text message."))
    page_ids = sorted({int(pk) for pk in scope_page_ids})
    paths = selectors.scope_paths_for(organisation, page_ids)
    if page_ids and len(paths) != len(page_ids):
        raise CrisisError(_("Choose places that belong to this organisation."))
    action = CrisisAction.objects.create(
        organisation=organisation,
        scope_page_ids=page_ids,
        scope_paths=paths,
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        message=message,
        created_by=user,
    )
    logger.info("Crisis action %s (%s) started by user %s", action.pk, kind, user.pk)
    transaction.on_commit(forget_banners)
    transaction.on_commit(lambda: _enqueue_apply(action.pk))
    return action


def _enqueue_apply(action_id: int) -> None:
    from .tasks import apply_crisis

    apply_crisis.enqueue(action_id)


@transaction.atomic
def apply_crisis_action(*, action_id: int, now=None) -> CrisisAction:
    """Change the bookings and queue every SMS, all or nothing. Safe to run twice: only a
    pending action is applied."""
    now = now or timezone.now()
    action = CrisisAction.objects.select_for_update().filter(pk=action_id).first()
    if action is None or action.status != CrisisStatus.PENDING:
        return action
    paths = action.scope_paths
    if action.kind == CrisisKind.CLOSE:
        rows, occurrences = _close_occurrences(action, paths, now)
    else:
        rows, occurrences = _switch_mode(action, paths, now), 0

    # One text per phone number, linked to that number's first booking for the message log.
    first_booking = {}
    no_phone = []
    for pk, phone in rows:
        if not phone:
            no_phone.append(pk)
        elif phone not in first_booking:
            first_booking[phone] = pk
    opted_out = _opted_out(list(first_booking))
    from_number = settings.TWILIO_FROM_NUMBER or ""
    Message.objects.bulk_create(
        [
            Message(
                direction=Direction.OUT,
                to_number=phone,
                from_number=from_number,
                body=action.message,
                purpose=action.sms_purpose,
                booking_id=booking_id,
                status=Status.OPTED_OUT if phone in opted_out else Status.QUEUED,
                created_at=now,
                updated_at=now,
            )
            for phone, booking_id in first_booking.items()
        ],
        batch_size=1000,
    )
    CrisisAction.objects.filter(pk=action.pk).update(
        status=CrisisStatus.ACTIVE,
        applied_at=now,
        bookings_changed=len(rows),
        occurrences_cancelled=occurrences,
        phones_texted=len(first_booking) - len(opted_out),
        phones_opted_out=len(opted_out),
        no_phone_booking_ids=no_phone,
    )
    transaction.on_commit(lambda: _enqueue_dispatch(action.pk))
    action.refresh_from_db()
    return action


def _opted_out(phones: list[str]) -> set[str]:
    found = set()
    for chunk in _chunks(phones):
        found.update(OptOut.objects.filter(phone__in=chunk).values_list("phone", flat=True))
    return found


def _switch_mode(action, paths, now) -> list[tuple[int, str]]:
    target = TARGET_MODE[action.kind]
    selection = selectors.affected_bookings(
        kind=action.kind, paths=paths, starts_at=action.starts_at, ends_at=action.ends_at
    )
    # FOR UPDATE (PostgreSQL; SQLite's IMMEDIATE transaction already holds the write lock) so
    # no citizen changes one of these bookings between the list and the UPDATE.
    rows = list(selection.select_for_update(of=("self",)).order_by("pk").values_list("pk", "phone"))
    ids = [pk for pk, _phone in rows]
    for chunk in _chunks(ids):
        Booking.objects.filter(
            pk__in=chunk, status=BookingStatus.CONFIRMED, mode=Mode.IN_PERSON
        ).update(mode=target, updated_at=now)
    BookingEvent.objects.bulk_create(
        [
            BookingEvent(
                booking_id=pk,
                kind=EventKind.MODE_SWITCHED,
                from_mode=Mode.IN_PERSON,
                to_mode=target,
                actor=Actor.STAFF,
                at=now,
            )
            for pk in ids
        ],
        batch_size=2000,
    )
    return rows


def _close_occurrences(action, paths, now) -> tuple[list[tuple[int, str]], int]:
    """The set-based twin of bookings.services.cancel_occurrence, for many occurrences."""
    occurrence_ids = list(
        selectors.affected_occurrences(
            paths=paths, starts_at=action.starts_at, ends_at=action.ends_at
        )
        .select_for_update(of=("self",))
        .values_list("pk", flat=True)
    )
    reason = _("Closed by a crisis action")
    for chunk in _chunks(occurrence_ids):
        Occurrence.objects.filter(pk__in=chunk).update(
            status=OccurrenceStatus.CANCELLED,
            cancelled_reason=reason,
            cancelled_by=CancellationSource.CRISIS,
            updated_at=now,
        )
    rows, modes = [], []
    for chunk in _chunks(occurrence_ids):
        # Lock the slots (as cancel_occurrence does) so a booking in flight either committed
        # before this list, or waits and then finds the occurrence cancelled.
        list(Slot.objects.select_for_update().filter(occurrence_id__in=chunk).values_list("pk"))
        for pk, phone, mode in (
            Booking.objects.filter(slot__occurrence_id__in=chunk, status=BookingStatus.CONFIRMED)
            .order_by("pk")
            .values_list("pk", "phone", "mode")
        ):
            rows.append((pk, phone))
            modes.append(mode)
    ids = [pk for pk, _phone in rows]
    for chunk in _chunks(ids):
        Booking.objects.filter(pk__in=chunk, status=BookingStatus.CONFIRMED).update(
            status=BookingStatus.CANCELLED,
            cancelled_at=now,
            cancelled_by=Actor.SYSTEM,
            updated_at=now,
        )
    BookingEvent.objects.bulk_create(
        [
            BookingEvent(
                booking_id=pk, kind=EventKind.CANCELLED, from_mode=mode, actor=Actor.SYSTEM, at=now
            )
            for pk, mode in zip(ids, modes, strict=True)
        ],
        batch_size=2000,
    )
    active = (
        Booking.objects.filter(slot=OuterRef("pk"), status__in=ACTIVE_STATUSES)
        .order_by()
        .values("slot")
        .annotate(n=Count("pk"))
        .values("n")
    )
    for chunk in _chunks(occurrence_ids):
        WaitlistEntry.objects.filter(
            occurrence_id__in=chunk,
            status__in=[WaitlistStatus.WAITING, WaitlistStatus.OFFERED],
        ).update(status=WaitlistStatus.EXPIRED, updated_at=now)
        Slot.objects.filter(occurrence_id__in=chunk).update(
            booked=Coalesce(Subquery(active, output_field=IntegerField()), Value(0)), held=0
        )
    return rows, len(occurrence_ids)


def _enqueue_dispatch(action_id: int) -> None:
    from .tasks import dispatch_crisis_sms

    dispatch_crisis_sms.enqueue(action_id)


def dispatch_crisis_messages(*, action_id: int) -> int:
    """Hand every queued text of the action to the SMS outbox worker, which sends at the
    provider's pace with its usual retries. Anything this misses (a crash half-way) the
    outbox's periodic job re-enqueues."""
    from sms.services import _enqueue_send

    action = CrisisAction.objects.filter(pk=action_id).first()
    if action is None or action.applied_at is None:
        return 0
    ids = list(
        selectors.crisis_messages(action)
        .filter(status=Status.QUEUED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for message_id in ids:
        _enqueue_send(message_id)
    return len(ids)


@transaction.atomic
def end_crisis_action(*, action: CrisisAction, user, now=None) -> CrisisAction:
    """End early: the banner goes at once. Changed bookings stay changed (citizens were told;
    undoing it silently would confuse them more) and texts already queued still go out."""
    now = now or timezone.now()
    if not selectors.actions_for_user(user).filter(pk=action.pk).exists():
        raise CrisisError(_("You are not a coordinator of this organisation."))
    changed = CrisisAction.objects.filter(
        pk=action.pk, status__in=[CrisisStatus.PENDING, CrisisStatus.ACTIVE]
    ).update(status=CrisisStatus.ENDED, ended_by=user, ended_at=now)
    if not changed:
        raise CrisisError(_("This crisis action has already ended."))
    logger.info("Crisis action %s ended by user %s", action.pk, user.pk)
    transaction.on_commit(forget_banners)
    action.refresh_from_db()
    return action
