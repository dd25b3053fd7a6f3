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
from django.db import connection, transaction
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
from bookings.validators import CPR_MESSAGE, contains_cpr_number
from hotspots.tenancy import Role, may_act_for
from sms.models import Direction, Message, OptOut, Status

from . import selectors
from .models import CrisisAction, CrisisKind, CrisisStatus
from .policy import TARGET_MODE, forget_banners

logger = logging.getLogger(__name__)

MESSAGE_MAX = 612  # four GSM-7 segments: longer than that stops being a text message
CHUNK = 2000  # primary keys per UPDATE: far below SQLite's variable limit
ACTIVE_STATUSES = (BookingStatus.CONFIRMED, BookingStatus.ATTENDED, BookingStatus.NO_SHOW)


class CrisisError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


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
    if not may_act_for(user, organisation, Role.COORDINATOR):
        raise CrisisError(_("You are not a coordinator of this organisation."))
    if kind not in CrisisKind.values:
        raise CrisisError(_("Choose what should happen."))
    if ends_at <= starts_at:
        raise CrisisError(_("The period must end after it starts."))
    message = (message or "").strip()
    if not message:
        raise CrisisError(_("Write the message the citizens will get."))
    if contains_cpr_number(message):
        raise CrisisError(str(CPR_MESSAGE))
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
    pending action is applied.

    Every statement is set-based: an UPDATE that stamps the rows it changes with `now`, then
    INSERT … SELECTs that read exactly the stamped rows to write the booking events and the
    outbox rows. No row passes through Python, which is what keeps 10,000 bookings inside two
    seconds even on a busy two-core machine (bulk_create alone spends that long preparing 10,000
    model instances)."""
    now = now or timezone.now()
    action = CrisisAction.objects.select_for_update().filter(pk=action_id).first()
    if action is None or action.status != CrisisStatus.PENDING:
        return action
    if action.kind == CrisisKind.CLOSE:
        changed, occurrences = _close_occurrences(action, now)
        event = {"kind": EventKind.CANCELLED, "from_mode": "mode", "actor": Actor.SYSTEM}
    else:
        changed, occurrences = _switch_mode(action, now), 0
        event = {
            "kind": EventKind.MODE_SWITCHED,
            "from_mode": Mode.IN_PERSON,
            "to_mode": TARGET_MODE[action.kind],
            "actor": Actor.STAFF,
        }
    bookings_changed = _insert_events(changed, now=now, **event)
    _insert_messages(action, changed, now=now)

    counts = dict(
        selectors.crisis_messages_at(action, now)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    CrisisAction.objects.filter(pk=action.pk).update(
        status=CrisisStatus.ACTIVE,
        applied_at=now,
        bookings_changed=bookings_changed,
        occurrences_cancelled=occurrences,
        phones_texted=counts.get(Status.QUEUED, 0),
        phones_opted_out=counts.get(Status.OPTED_OUT, 0),
        no_phone_booking_ids=list(
            changed.filter(phone="").order_by("pk").values_list("pk", flat=True)
        ),
    )
    transaction.on_commit(lambda: _enqueue_dispatch(action.pk))
    action.refresh_from_db()
    return action


def _switch_mode(action, now):
    """Returns the changed bookings as a queryset (the rows stamped with `now`)."""
    target = TARGET_MODE[action.kind]
    selection = selectors.affected_bookings(
        kind=action.kind,
        paths=action.scope_paths,
        starts_at=action.starts_at,
        ends_at=action.ends_at,
    )
    # SQLite's IMMEDIATE transaction already holds the write lock; on PostgreSQL the UPDATE
    # locks each row and re-checks the WHERE, so a booking a citizen cancelled a moment ago is
    # skipped rather than switched.
    Booking.objects.filter(pk__in=selection.values("pk")).update(mode=target, updated_at=now)
    return Booking.objects.filter(
        updated_at=now,
        mode=target,
        status=BookingStatus.CONFIRMED,
        slot__starts_at__gte=action.starts_at,
        slot__starts_at__lt=action.ends_at,
    )


def _close_occurrences(action, now):
    """The set-based twin of bookings.services.cancel_occurrence, for many occurrences."""
    selection = selectors.affected_occurrences(
        paths=action.scope_paths, starts_at=action.starts_at, ends_at=action.ends_at
    )
    cancelled = Occurrence.objects.filter(pk__in=selection.values("pk")).update(
        status=OccurrenceStatus.CANCELLED,
        cancelled_reason=_("Closed by a crisis action"),
        cancelled_by=CancellationSource.CRISIS,
        updated_at=now,
    )
    closed = Occurrence.objects.filter(
        updated_at=now,
        cancelled_by=CancellationSource.CRISIS,
        starts_at__gte=action.starts_at,
        starts_at__lt=action.ends_at,
    )
    # Lock the slots (as cancel_occurrence does) so a booking in flight either committed before
    # the UPDATE below, or waits and then finds the occurrence cancelled.
    list(Slot.objects.select_for_update().filter(occurrence__in=closed).values_list("pk"))
    Booking.objects.filter(
        status=BookingStatus.CONFIRMED, slot__occurrence__in=closed.values("pk")
    ).update(
        status=BookingStatus.CANCELLED, cancelled_at=now, cancelled_by=Actor.SYSTEM, updated_at=now
    )
    WaitlistEntry.objects.filter(
        occurrence__in=closed.values("pk"),
        status__in=[WaitlistStatus.WAITING, WaitlistStatus.OFFERED],
    ).update(status=WaitlistStatus.EXPIRED, updated_at=now)
    active = (
        Booking.objects.filter(slot=OuterRef("pk"), status__in=ACTIVE_STATUSES)
        .order_by()
        .values("slot")
        .annotate(n=Count("pk"))
        .values("n")
    )
    Slot.objects.filter(occurrence__in=closed.values("pk")).update(
        booked=Coalesce(Subquery(active, output_field=IntegerField()), Value(0)), held=0
    )
    changed = Booking.objects.filter(
        cancelled_at=now,
        status=BookingStatus.CANCELLED,
        slot__occurrence__in=closed.values("pk"),
    )
    return changed, cancelled


def _insert_select(model, *, select: dict, source, now, tail: str = "", tail_params=()) -> int:
    """INSERT INTO <model> (…) SELECT … FROM (<source queryset>) src [tail].

    `select` maps field names to (SQL over the `src` columns, params); every other column gets
    its model default (auto_now fields: the value in `now`), so a column added to the model
    later with a default does not break this statement."""
    source_sql, source_params = source.query.sql_with_params()
    quote = connection.ops.quote_name
    columns, expressions, params = [], [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(quote(field.column))
        if field.name in select:
            sql, values = select[field.name]
            expressions.append(sql)
            params.extend(values)
        else:
            expressions.append("%s")
            auto = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
            default = now if auto else field.get_default()
            params.append(field.get_db_prep_save(default, connection))
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(columns)}) "
        f"SELECT {', '.join(expressions)} FROM ({source_sql}) src {tail}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *source_params, *tail_params])
        return cursor.rowcount


def _value(field_name: str, model, value):
    field = model._meta.get_field(field_name)
    return ("%s", [field.get_db_prep_save(value, connection)])


def _insert_events(changed, *, now, kind, from_mode, actor, to_mode="") -> int:
    """One BookingEvent per changed booking. from_mode "mode" copies the booking's mode."""
    return _insert_select(
        BookingEvent,
        select={
            "booking": ("src.id", []),
            "kind": ("%s", [kind]),
            "from_mode": ("src.mode", []) if from_mode == "mode" else ("%s", [from_mode]),
            "to_mode": ("%s", [to_mode]),
            "actor": ("%s", [actor]),
            "at": _value("at", BookingEvent, now),
        },
        source=changed.order_by().values("id", "mode"),
        now=now,
    )


def _insert_messages(action, changed, *, now) -> int:
    """One outbox row per phone number (however many bookings it has), linked to its first
    booking; numbers that opted out get a row marked opted_out, never sent."""
    optout_table = connection.ops.quote_name(OptOut._meta.db_table)
    at = _value("created_at", Message, now)
    return _insert_select(
        Message,
        select={
            "direction": ("%s", [Direction.OUT]),
            "to_number": ("src.phone", []),
            "from_number": ("%s", [settings.TWILIO_FROM_NUMBER or ""]),
            "body": ("%s", [action.message]),
            "purpose": ("%s", [action.sms_purpose]),
            "booking": ("MIN(src.id)", []),
            "status": (
                f"CASE WHEN src.phone IN (SELECT phone FROM {optout_table}) THEN %s ELSE %s END",
                [Status.OPTED_OUT, Status.QUEUED],
            ),
            "simulated": _value("simulated", Message, False),
            "created_at": at,
            "updated_at": at,
        },
        source=changed.exclude(phone="").order_by().values("id", "phone"),
        tail="GROUP BY src.phone",
        now=now,
    )


def _enqueue_dispatch(action_id: int) -> None:
    from .tasks import dispatch_crisis_sms

    dispatch_crisis_sms.enqueue(action_id)


def dispatch_crisis_messages(*, action_id: int) -> int:
    """Hand every queued text of the action to the SMS outbox worker, which sends at the
    provider's pace with its usual retries. Anything this misses (a crash half-way) the
    outbox's periodic job re-enqueues."""
    from sms.services import enqueue_queued_sends

    action = CrisisAction.objects.filter(pk=action_id).first()
    if action is None or action.applied_at is None:
        return 0
    ids = list(
        selectors.crisis_messages(action)
        .filter(status=Status.QUEUED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    enqueue_queued_sends(message_ids=ids, purpose=action.sms_purpose)
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
