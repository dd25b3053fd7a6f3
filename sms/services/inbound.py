"""Inbound texts: logged once per MessageSid, run through the dialog under the conversation's
row lock, answered through the outbox. The staff simulator drives the same pipeline."""

import contextlib
import logging
import threading

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from bookings.validators import mask_cpr_numbers

from .. import dialog, texts
from ..models import (
    CONVERSATION_LIFETIME,
    Conversation,
    Direction,
    Message,
    Status,
)
from .outbox import (
    PURPOSE_STOP_CONFIRMATION,
    _enqueue_after_commit,
    _enqueue_process,
    queue_sms,
    simulating,
)
from .world import DatabaseWorld

logger = logging.getLogger(__name__)


_sqlite_writer = threading.Lock()


@contextlib.contextmanager
def _one_writer_per_process():
    """SQLite lets one writer in at a time and makes the others poll with growing sleeps (its
    busy handler waits 1, 2, 5 … up to 100 ms), which is what stretched the webhook's p95 under
    load. Threads of one process queue on a lock instead and get the database the moment it is
    free; other processes still meet SQLite's own lock. PostgreSQL needs none of this."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    with _sqlite_writer:
        yield


def receive_inbound(
    *,
    sid: str,
    from_number: str,
    to_number: str = "",
    body: str = "",
    now=None,
    simulated: bool = False,
) -> tuple[Message, bool]:
    """Log an inbound text and hand it to a worker. A MessageSid seen before returns the first
    row and does nothing else: Twilio may deliver a webhook twice."""
    now = now or timezone.now()
    # The column holds 64 characters (Twilio's are 34): the replay look-up below must use the
    # same value the row was stored with.
    sid = sid[:64]
    # PostgreSQL text cannot hold NUL; nothing a citizen means is lost by dropping it.
    body, from_number = body.replace("\x00", ""), from_number.replace("\x00", "")
    # A CPR number never reaches the database: the text keeps its meaning with it masked, and
    # the dialog, the staff views and the simulator all read the masked text.
    body = mask_cpr_numbers(body)
    # No look-up first: a new sid is the common case, and the unique constraint catches a replay.
    try:
        with _one_writer_per_process(), transaction.atomic():
            message = Message.objects.create(
                direction=Direction.IN,
                from_number=from_number[:20],
                to_number=to_number[:20],
                body=body[:1600],
                purpose="inbound",
                status=Status.RECEIVED,
                provider_sid=sid,
                simulated=simulated,
                created_at=now,
            )
            _enqueue_after_commit(lambda **kw: _enqueue_process(message.pk, **kw))
    except IntegrityError:
        # A replayed MessageSid (Twilio retried, or delivered twice at once): one row, one effect.
        return Message.objects.get(direction=Direction.IN, provider_sid=sid), False
    return message, True


def _conversation_for_update(phone: str, now) -> Conversation:
    if not Conversation.objects.filter(phone=phone).exists():
        try:
            with transaction.atomic():
                Conversation.objects.create(phone=phone, language=_known_language(phone))
        except IntegrityError:
            pass  # created by a parallel message from the same phone
    return Conversation.objects.select_for_update().get(phone=phone)


def _known_language(phone: str) -> str:
    from bookings.models import Booking

    latest = Booking.objects.filter(phone=phone).order_by("-created_at").first()
    return texts.sms_language(latest.language) if latest else "da"


def process_inbound_message(*, message_id: int, now=None) -> str | None:
    """Run one inbound text through the dialog and queue the reply. Holds the conversation row
    lock while it changes (on SQLite the IMMEDIATE transaction already serialises writers)."""
    now = now or timezone.now()
    with transaction.atomic():
        message = (
            Message.objects.select_for_update()
            .filter(pk=message_id, direction=Direction.IN)
            .first()
        )
        if message is None or message.processed_at is not None:
            return None
        phone = message.from_number
        conversation = _conversation_for_update(phone, now)
        expired = conversation.expires_at is not None and conversation.expires_at <= now
        state = dialog.fresh_state(conversation.language) if expired else dict(conversation.state)
        state.setdefault("lang", conversation.language)
        if expired:
            state["needs_person"] = conversation.needs_person
            # The last place is remembered: "TID" next week lists the same place's times.
            if conversation.state.get("place_code"):
                state["place_code"] = conversation.state["place_code"]
        world = DatabaseWorld(phone=phone, now=now, simulated=message.simulated)
        with simulating(message.simulated):
            try:
                with transaction.atomic():
                    new_state, reply, actions = dialog.respond(
                        state, message.body, now, world=world
                    )
            except Exception:
                # A bug must not turn into a silent citizen: a person calls them back.
                logger.exception("SMS dialog failed for message %s", message.pk)
                new_state, reply, actions = dict(state), None, [("error", "error")]
                new_state["needs_person"] = True
            if new_state.get("needs_person") and not conversation.needs_person:
                conversation.needs_person = True
                conversation.needs_person_since = now
                conversation.handled_at = None
                conversation.handled_by = None
            conversation.state = new_state
            conversation.language = texts.sms_language(new_state.get("lang"))
            conversation.misses = int(new_state.get("misses") or 0)
            conversation.expires_at = now + CONVERSATION_LIFETIME
            conversation.save()
            if reply:
                is_stop = ("opt_out", "ok") in actions
                queue_sms(
                    to=phone,
                    body=reply,
                    purpose=PURPOSE_STOP_CONFIRMATION if is_stop else "reply",
                    in_reply_to=message,
                    allow_opted_out=is_stop,
                    booking=world.last_booking,
                )
        message.processed_at = now
        message.status = Status.PROCESSED
        message.last_error = ";".join(f"{name}:{code}" for name, code in actions)[:255]
        message.save(update_fields=["processed_at", "status", "last_error", "updated_at"])
    return reply


def simulate_inbound(*, phone: str, body: str, now=None) -> tuple[Message, str | None]:
    """The staff simulator: the same pipeline as a real text (log, dialog, outbox), run at
    once instead of by a worker, and never sent to a provider."""
    now = now or timezone.now()
    import uuid

    message, _created = receive_inbound(
        sid=f"SIM{uuid.uuid4().hex}", from_number=phone, body=body, now=now, simulated=True
    )
    reply = process_inbound_message(message_id=message.pk, now=now)
    return message, reply


@transaction.atomic
def mark_conversation_handled(*, conversation: Conversation, user, now=None) -> None:
    now = now or timezone.now()
    conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
    state = dict(conversation.state or {})
    state.update(needs_person=False, misses=0)
    conversation.state = state
    conversation.needs_person = False
    conversation.misses = 0
    conversation.handled_at = now
    conversation.handled_by = user if getattr(user, "pk", None) else None
    conversation.save()
