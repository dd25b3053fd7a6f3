"""The outbox: texts are queued in the caller's transaction, claimed by a worker (queued ->
sending) before the provider is called, retried with backoff, moved forward by status callbacks,
and re-enqueued by the periodic safety net when a worker died or an enqueue was lost."""

import contextlib
import contextvars
import logging
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from bookings.phones import is_practice_phone
from bookings.precompiled import insert

from .. import pacing, texts
from ..backends.base import SmsSendError
from ..models import (
    STATUS_RANK,
    Direction,
    Message,
    OptOut,
    Status,
)
from ..queues import BULK, queue_for_purpose

logger = logging.getLogger(__name__)


# Keep trying a failing provider for about four hours, then give up visibly.
RETRY_FOR = timedelta(hours=4)
MAX_RETRY_DELAY = timedelta(minutes=30)
# A message claimed by a worker that then died is handed out again after this long. The provider
# call times out after 10 s (backends/twilio.py), so a live worker never holds a row this long;
# with the outbox job run every minute (README) a dead worker's message goes out again within
# 2 minutes.
STUCK_SENDING_AFTER = timedelta(seconds=45)
# An enqueue that never ran (queue lost, worker down) is retried after this long.
LOST_ENQUEUE_AFTER = timedelta(minutes=2)
OPTED_OUT_ERROR = "21610"
NOT_SMS_CAPABLE_ERRORS = {"21614"}
PURPOSE_STOP_CONFIRMATION = "stop_confirmation"

# Set while the staff simulator drives the pipeline: everything queued (the dialog's replies and
# the booking engine's confirmations) is marked simulated and never reaches a provider.
_simulating = contextvars.ContextVar("sms_simulating", default=False)


@contextlib.contextmanager
def simulating(active: bool = True):
    token = _simulating.set(active)
    try:
        yield
    finally:
        _simulating.reset(token)


def get_backend():
    return import_string(settings.SMS_BACKEND)()


def status_callback_url(message_id: int | None = None) -> str:
    """Where the provider reports delivery. It names our message, so the report finds the row
    even when the worker died before it could record the provider's id (see
    record_delivery_status): such a message is then not sent a second time."""
    if not settings.PUBLIC_BASE_URL:
        return ""
    query = f"?message={message_id}" if message_id else ""
    return f"{settings.PUBLIC_BASE_URL}/sms/twilio/status/{query}"


def is_opted_out(phone: str) -> bool:
    return OptOut.objects.filter(phone=phone).exists()


def _tasks_share_the_database() -> bool:
    from django_tasks_db.backend import DatabaseBackend

    from ..tasks import send_message

    return isinstance(send_message.get_backend(), DatabaseBackend)


def _enqueue_after_commit(enqueue) -> None:
    """Hand work to the task queue once the rows it needs are committed. With the database task
    backend the task row simply joins the caller's transaction: both commit or neither, and it
    is one commit instead of two (SQLite serialises writers, so that halves the lock waits on
    the webhook). Other backends (RQ, Celery) must wait for the commit, or a fast worker could
    look for a row that is not there yet."""
    if not _tasks_share_the_database():
        transaction.on_commit(enqueue)
        return
    try:
        with transaction.atomic():  # a savepoint: a failed enqueue must not poison the caller
            enqueue(raise_errors=True)
    except Exception:
        logger.exception("Could not enqueue with the transaction; the periodic job will")


def _send_task(purpose: str):
    from ..tasks import send_bulk_message, send_message

    return send_bulk_message if queue_for_purpose(purpose) == BULK else send_message


def _enqueue_send(message_id: int, *, purpose: str, run_after=None, raise_errors=False) -> None:
    task = _send_task(purpose)
    try:
        if run_after is not None:
            if not task.get_backend().supports_defer:
                return  # the periodic job picks it up when it is due
            task.using(run_after=run_after).enqueue(message_id)
        else:
            task.enqueue(message_id)
    except Exception:
        if raise_errors:
            raise
        # The row is safe in the outbox; the periodic job enqueues it again.
        logger.exception("Could not enqueue SMS %s", message_id)


def queue_sms(
    *,
    to: str,
    body: str,
    purpose: str,
    booking=None,
    in_reply_to: Message | None = None,
    allow_opted_out: bool = False,
    checked_at_send: bool = False,
) -> Message:
    """Put a text for the E.164 number `to` in the outbox; it is sent once the surrounding
    transaction commits. Numbers that opted out get nothing, except the STOP confirmation.

    `checked_at_send`: the booking engine's texts (sms.notifications), written by the busiest
    request of the site. The row is written as queued without asking the opt-out list (a
    number that sent STOP is refused by deliver_message, which leaves the row opted_out, never
    sent), and the send task is enqueued once the caller's transaction commits rather than
    inside it (no savepoint): two statements fewer in the booking's transaction. The row itself
    still commits with the booking; an enqueue that fails after the commit is logged and the
    periodic job (requeue_due_messages) sends the row."""
    # Every text says who writes ("Digihjælp: …").
    body = texts.signed(body)
    # A practice number (bookings.phones) is nobody's phone: its texts never leave the house.
    simulated = (
        _simulating.get() or bool(in_reply_to and in_reply_to.simulated) or is_practice_phone(to)
    )
    opted_out = not allow_opted_out and not simulated and not checked_at_send and is_opted_out(to)
    message = Message(
        direction=Direction.OUT,
        to_number=to,
        from_number=settings.TWILIO_FROM_NUMBER or "",
        body=body,
        purpose=purpose[:40],
        booking=booking if getattr(booking, "pk", None) else None,
        status=Status.OPTED_OUT if opted_out else Status.QUEUED,
        simulated=simulated,
        in_reply_to=in_reply_to,
    )
    # Message.objects.create(), its INSERT compiled once: every booking writes one.
    insert(message)
    if checked_at_send:
        # _enqueue_send logs its own failures; robust: nothing after the commit may turn a
        # booking that is made into an error page.
        transaction.on_commit(lambda: _enqueue_send(message.pk, purpose=purpose), robust=True)
    elif not opted_out:
        _enqueue_after_commit(lambda **kw: _enqueue_send(message.pk, purpose=purpose, **kw))
    return message


def retry_delay(attempts: int) -> timedelta:
    """1, 2, 4, 8, 16, 30, 30 … minutes: about ten tries in the four hours."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_RETRY_DELAY)


def deliver_message(*, message_id: int, now=None, paced: bool = False) -> str:
    """Send one queued message through the backend. Safe to call twice for the same message.
    A bulk send (`paced`) first waits for its turn in the provider's pace (pacing.py)."""
    if paced and now is None:
        pacing.wait_for_bulk_turn()
    elif now is None:
        pacing.note_interactive_send()
    now = now or timezone.now()
    with transaction.atomic():
        message = (
            Message.objects.select_for_update()
            .filter(pk=message_id, direction=Direction.OUT)
            .first()
        )
        if message is None or message.status != Status.QUEUED:
            return "nothing to do"
        if message.next_attempt_at and message.next_attempt_at > now:
            return "not due"
        if (
            not message.simulated
            and message.purpose != PURPOSE_STOP_CONFIRMATION
            and is_opted_out(message.to_number)
        ):
            message.status = Status.OPTED_OUT
            message.save(update_fields=["status", "updated_at"])
            return "opted out"
        message.status = Status.SENDING
        message.attempts += 1
        message.save(update_fields=["status", "attempts", "updated_at"])

    if message.simulated:
        _mark_sent(message, provider_id=f"sim-{message.pk}", now=now)
        return "simulated"
    try:
        result = get_backend().send(
            to=message.to_number,
            body=message.body,
            status_callback=status_callback_url(message.pk) or None,
        )
    except SmsSendError as error:
        return _record_failure(message, error, now=now)
    except Exception as error:  # a backend bug must not strand the row in "sending"
        logger.exception("SMS backend failed for message %s", message.pk)
        return _record_failure(message, SmsSendError(f"{type(error).__name__}: {error}"), now=now)
    _mark_sent(message, provider_id=result.provider_id, now=now)
    return "sent"


def _mark_sent(message: Message, *, provider_id: str, now) -> None:
    # Conditional: a status callback may already have moved it further.
    Message.objects.filter(pk=message.pk, status=Status.SENDING).update(
        status=Status.SENT, provider_sid=provider_id or "", sent_at=now, updated_at=now
    )
    if provider_id:
        Message.objects.filter(pk=message.pk, provider_sid="").update(provider_sid=provider_id)


def _record_failure(message: Message, error: SmsSendError, *, now) -> str:
    code = error.code
    fields = {"last_error": str(error)[:255], "error_code": code[:10], "updated_at": now}
    if code == OPTED_OUT_ERROR:
        record_opt_out(phone=message.to_number, source="provider")
        fields["status"] = Status.OPTED_OUT
    elif code in NOT_SMS_CAPABLE_ERRORS:
        fields["status"] = Status.UNDELIVERABLE
    elif (
        not error.retryable or now + retry_delay(message.attempts) > message.created_at + RETRY_FOR
    ):
        fields["status"] = Status.FAILED
    else:
        fields["status"] = Status.QUEUED
        fields["next_attempt_at"] = now + retry_delay(message.attempts)
    Message.objects.filter(pk=message.pk, status=Status.SENDING).update(**fields)
    if fields["status"] == Status.QUEUED:
        _enqueue_send(message.pk, purpose=message.purpose, run_after=fields["next_attempt_at"])
        return "retry later"
    logger.warning("SMS %s gave up: %s", message.pk, error)
    return str(fields["status"])


# Twilio's MessageStatus values mapped onto ours.
TWILIO_STATUS = {
    "accepted": Status.QUEUED,
    "scheduled": Status.QUEUED,
    "queued": Status.QUEUED,
    "sending": Status.SENDING,
    "sent": Status.SENT,
    "delivered": Status.DELIVERED,
    "read": Status.DELIVERED,
    "undelivered": Status.FAILED,
    "failed": Status.FAILED,
    "canceled": Status.FAILED,
}


@transaction.atomic
def record_delivery_status(
    *, sid: str, status: str, error_code: str = "", message_id: int | None = None, now=None
) -> bool:
    """Apply a provider status callback. Callbacks come twice and out of order, so a message
    only moves forward (sent after delivered is ignored). `message_id` (from the callback URL)
    ties the provider's id to a row whose worker died before recording it."""
    now = now or timezone.now()
    new = TWILIO_STATUS.get((status or "").lower())
    if not sid or new is None:
        return False
    if message_id:
        Message.objects.filter(pk=message_id, direction=Direction.OUT, provider_sid="").update(
            provider_sid=sid[:64]
        )
    error_code = (error_code or "").strip()
    if error_code == OPTED_OUT_ERROR:
        new = Status.OPTED_OUT
    elif error_code in NOT_SMS_CAPABLE_ERRORS:
        new = Status.UNDELIVERABLE
    lower = [s for s, rank in STATUS_RANK.items() if rank < STATUS_RANK[new]]
    fields = {"status": new, "updated_at": now}
    if error_code:
        fields["error_code"] = error_code[:10]
    changed = Message.objects.filter(
        direction=Direction.OUT, provider_sid=sid, status__in=lower
    ).update(**fields)
    if error_code == OPTED_OUT_ERROR:
        message = Message.objects.filter(direction=Direction.OUT, provider_sid=sid).first()
        if message:
            record_opt_out(phone=message.to_number, source="provider")
    return bool(changed)


def record_opt_out(*, phone: str, source: str = "keyword") -> None:
    try:
        with transaction.atomic():
            OptOut.objects.get_or_create(phone=phone, defaults={"source": source})
    except IntegrityError:
        pass  # two STOPs at once: one row is enough


def remove_opt_out(*, phone: str) -> None:
    OptOut.objects.filter(phone=phone).delete()


def requeue_due_messages(*, now=None) -> dict:
    """The safety net run by the periodic job: due retries, rows whose enqueue was lost, rows a
    killed worker left in "sending", and inbound messages nobody processed."""
    now = now or timezone.now()
    stuck = Message.objects.filter(
        direction=Direction.OUT, status=Status.SENDING, updated_at__lte=now - STUCK_SENDING_AFTER
    )
    reclaimed = 0
    for message in stuck:
        if message.provider_sid:
            # The provider has it (its delivery report told us): sent, whatever the worker did.
            Message.objects.filter(pk=message.pk, status=Status.SENDING).update(
                status=Status.SENT, sent_at=now, updated_at=now
            )
        elif message.created_at + RETRY_FOR < now:
            changed = Message.objects.filter(pk=message.pk, status=Status.SENDING).update(
                status=Status.FAILED, last_error="The worker stopped while sending.", updated_at=now
            )
        else:
            changed = Message.objects.filter(pk=message.pk, status=Status.SENDING).update(
                status=Status.QUEUED, next_attempt_at=now, updated_at=now
            )
            reclaimed += changed
    due = list(
        Message.objects.filter(
            direction=Direction.OUT, status=Status.QUEUED, next_attempt_at__lte=now
        ).values_list("pk", "purpose")[:1000]
    ) + list(
        Message.objects.filter(
            direction=Direction.OUT,
            status=Status.QUEUED,
            next_attempt_at__isnull=True,
            created_at__lte=now - LOST_ENQUEUE_AFTER,
        ).values_list("pk", "purpose")[:1000]
    )
    for message_id, purpose in due:
        _enqueue_send(message_id, purpose=purpose)
    inbound_ids = list(
        Message.objects.filter(
            direction=Direction.IN,
            processed_at__isnull=True,
            created_at__lte=now - LOST_ENQUEUE_AFTER,
        ).values_list("pk", flat=True)[:1000]
    )
    for message_id in inbound_ids:
        _enqueue_process(message_id)
    return {"requeued": len(due), "reclaimed": reclaimed, "inbound": len(inbound_ids)}


def enqueue_queued_sends(*, message_ids, purpose: str) -> None:
    """Hand outbox rows already written (by a bulk writer) to the queue their purpose belongs on."""
    for message_id in message_ids:
        _enqueue_send(message_id, purpose=purpose)


def _enqueue_process(message_id: int, *, raise_errors=False) -> None:
    from ..tasks import process_inbound

    try:
        process_inbound.enqueue(message_id)
    except Exception:
        if raise_errors:
            raise
        logger.exception("Could not enqueue inbound SMS %s", message_id)
