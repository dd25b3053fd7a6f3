"""The SMS channel's bulk enqueue: one text for many citizens, written in the caller's
transaction as one INSERT … SELECT over their bookings, and handed to the workers of the
`bulk` queue once it commits, so a crisis send never delays a reply on the interactive queue.

Like queue_sms, a number that opted out gets a row marked opted_out (never sent) and each text
is sent once, however often its task runs; unlike it, one phone number with several bookings
gets the text once."""

import logging

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from bookings.phones import PRACTICE_PHONE_FIRST, PRACTICE_PHONE_LAST
from bookings.sql import constant, insert_select

from .. import texts
from ..models import Direction, Message, OptOut, Status
from ..queues import BULK
from .outbox import _simulating, enqueue_queued_sends

logger = logging.getLogger(__name__)


def enqueue_many(*, bookings, body: str, purpose: str, now=None, dispatch: bool = True) -> int:
    """Queue `body` for every phone number among `bookings` (a Booking queryset), one row per
    number, linked to its first booking, stamped `created_at = now` so the caller can count
    its rows later (purpose + created_at). Returns the number of rows written.

    `dispatch=False`: a caller writing several bodies under one purpose calls
    dispatch_after_commit(purpose) once at the end instead, so each text gets one task."""
    body = texts.signed(body)  # every text says who writes
    now = now or timezone.now()
    optout_table = connection.ops.quote_name(OptOut._meta.db_table)
    at = constant(Message, "created_at", now)
    yes, no = (
        Message._meta.get_field("simulated").get_db_prep_save(v, connection) for v in (True, False)
    )
    if _simulating.get():
        simulated = ("%s", [yes])
        status = ("%s", [Status.QUEUED])
    else:
        # A practice number (bookings.phones) is nobody's phone: its texts never leave the
        # house, and an opt-out does not apply to them (as in queue_sms).
        practice = "(LENGTH(src.phone) = %s AND src.phone BETWEEN %s AND %s)"
        practice_params = [len(PRACTICE_PHONE_FIRST), PRACTICE_PHONE_FIRST, PRACTICE_PHONE_LAST]
        simulated = (f"CASE WHEN {practice} THEN %s ELSE %s END", [*practice_params, yes, no])
        status = (
            f"CASE WHEN NOT {practice} AND src.phone IN (SELECT phone FROM {optout_table}) "
            "THEN %s ELSE %s END",
            [*practice_params, Status.OPTED_OUT, Status.QUEUED],
        )
    written = insert_select(
        Message,
        select={
            "direction": ("%s", [Direction.OUT]),
            "to_number": ("src.phone", []),
            "from_number": ("%s", [settings.TWILIO_FROM_NUMBER or ""]),
            "body": ("%s", [body]),
            "purpose": ("%s", [purpose[:40]]),
            "booking": ("MIN(src.id)", []),
            "status": status,
            "simulated": simulated,
            "created_at": at,
            "updated_at": at,
        },
        source=bookings.exclude(phone="").order_by().values("id", "phone"),
        tail="GROUP BY src.phone",
        now=now,
    )
    if written and dispatch:
        dispatch_after_commit(purpose)
    return written


def dispatch_after_commit(purpose: str) -> None:
    """Once the caller's transaction commits, hand the queued texts of `purpose` to the bulk
    queue (one task that enqueues a send per text)."""
    transaction.on_commit(lambda: _enqueue_dispatch(purpose))


def _enqueue_dispatch(purpose: str) -> None:
    from ..tasks import dispatch_bulk

    try:
        dispatch_bulk.using(queue_name=BULK).enqueue(purpose)
    except Exception:
        # The rows are safe in the outbox; the periodic outbox job enqueues them.
        logger.exception("Could not enqueue the bulk dispatch for %s", purpose)


def dispatch_queued(*, purpose: str) -> int:
    """Hand every queued text of `purpose` to the queue its purpose belongs on (a crisis send:
    `bulk`, paced to the provider, sms/queues.py) with the outbox's usual retries. Safe to run
    twice: a worker claims a row before sending it. Anything this misses (a crash half-way) the
    outbox's periodic job re-enqueues."""
    ids = list(
        Message.objects.filter(
            direction=Direction.OUT,
            status=Status.QUEUED,
            purpose=purpose,
            next_attempt_at__isnull=True,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    enqueue_queued_sends(message_ids=ids, purpose=purpose)
    return len(ids)
