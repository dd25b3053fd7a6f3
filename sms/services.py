"""Writes for the SMS channel: the outbox, delivery with retries, status callbacks, opt-outs,
inbound messages through the dialog, and reminders.

The outbox row is written in the caller's transaction and handed to a worker only when that
transaction commits; the worker claims the row (queued -> sending) before calling the provider,
so a task that runs twice sends once, and a periodic job re-enqueues anything a dead worker or a
lost enqueue left behind."""

import contextlib
import contextvars
import logging
import threading
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from . import dialog, texts
from .backends.base import SmsSendError
from .models import (
    CONVERSATION_LIFETIME,
    FINAL_STATUSES,
    STATUS_RANK,
    Conversation,
    Direction,
    Message,
    OptOut,
    Reminder,
    ReminderKind,
    Status,
)

logger = logging.getLogger(__name__)

# Keep trying a failing provider for about four hours, then give up visibly.
RETRY_FOR = timedelta(hours=4)
MAX_RETRY_DELAY = timedelta(minutes=30)
# A message claimed by a worker that then died is handed out again after this long.
STUCK_SENDING_AFTER = timedelta(minutes=10)
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


def status_callback_url() -> str:
    if not settings.PUBLIC_BASE_URL:
        return ""
    return f"{settings.PUBLIC_BASE_URL}/sms/twilio/status/"


def is_opted_out(phone: str) -> bool:
    return OptOut.objects.filter(phone=phone).exists()


# --- outbox --------------------------------------------------------------------------------


def _tasks_share_the_database() -> bool:
    from .tasks import send_message

    return type(send_message.get_backend()).__module__.startswith("django_tasks_db")


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


def _enqueue_send(message_id: int, *, run_after=None, raise_errors=False) -> None:
    from .tasks import send_message

    try:
        if run_after is not None:
            if not send_message.get_backend().supports_defer:
                return  # the periodic job picks it up when it is due
            send_message.using(run_after=run_after).enqueue(message_id)
        else:
            send_message.enqueue(message_id)
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
) -> Message:
    """Put a text for the E.164 number `to` in the outbox; it is sent once the surrounding
    transaction commits. Numbers that opted out get nothing, except the STOP confirmation."""
    simulated = _simulating.get() or bool(in_reply_to and in_reply_to.simulated)
    opted_out = not allow_opted_out and not simulated and is_opted_out(to)
    message = Message.objects.create(
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
    if not opted_out:
        _enqueue_after_commit(lambda **kw: _enqueue_send(message.pk, **kw))
    return message


def retry_delay(attempts: int) -> timedelta:
    """1, 2, 4, 8, 16, 30, 30 … minutes: about ten tries in the four hours."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_RETRY_DELAY)


def deliver_message(*, message_id: int, now=None) -> str:
    """Send one queued message through the backend. Safe to call twice for the same message."""
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
            to=message.to_number, body=message.body, status_callback=status_callback_url() or None
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
        _enqueue_send(message.pk, run_after=fields["next_attempt_at"])
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
def record_delivery_status(*, sid: str, status: str, error_code: str = "", now=None) -> bool:
    """Apply a provider status callback. Callbacks come twice and out of order, so a message
    only moves forward (sent after delivered is ignored)."""
    now = now or timezone.now()
    new = TWILIO_STATUS.get((status or "").lower())
    if not sid or new is None:
        return False
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
        if message.created_at + RETRY_FOR < now:
            changed = Message.objects.filter(pk=message.pk, status=Status.SENDING).update(
                status=Status.FAILED, last_error="The worker stopped while sending.", updated_at=now
            )
        else:
            changed = Message.objects.filter(pk=message.pk, status=Status.SENDING).update(
                status=Status.QUEUED, next_attempt_at=now, updated_at=now
            )
            reclaimed += changed
    due_ids = list(
        Message.objects.filter(
            direction=Direction.OUT, status=Status.QUEUED, next_attempt_at__lte=now
        ).values_list("pk", flat=True)[:1000]
    ) + list(
        Message.objects.filter(
            direction=Direction.OUT,
            status=Status.QUEUED,
            next_attempt_at__isnull=True,
            created_at__lte=now - LOST_ENQUEUE_AFTER,
        ).values_list("pk", flat=True)[:1000]
    )
    for message_id in due_ids:
        _enqueue_send(message_id)
    inbound_ids = list(
        Message.objects.filter(
            direction=Direction.IN,
            processed_at__isnull=True,
            created_at__lte=now - LOST_ENQUEUE_AFTER,
        ).values_list("pk", flat=True)[:1000]
    )
    for message_id in inbound_ids:
        _enqueue_process(message_id)
    return {"requeued": len(due_ids), "reclaimed": reclaimed, "inbound": len(inbound_ids)}


# --- inbound -------------------------------------------------------------------------------


def _enqueue_process(message_id: int, *, raise_errors=False) -> None:
    from .tasks import process_inbound

    try:
        process_inbound.enqueue(message_id)
    except Exception:
        if raise_errors:
            raise
        logger.exception("Could not enqueue inbound SMS %s", message_id)


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
    # PostgreSQL text cannot hold NUL; nothing a citizen means is lost by dropping it.
    body, from_number = body.replace("\x00", ""), from_number.replace("\x00", "")
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
                provider_sid=sid[:64],
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
    return texts.language_of(latest.language) if latest else "da"


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
            conversation.language = texts.language_of(new_state.get("lang"))
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


class DatabaseWorld:
    """The dialog's port onto the booking engine, for one phone."""

    def __init__(self, *, phone: str, now, simulated: bool = False):
        self.phone = phone
        self.now = now
        self.simulated = simulated
        self.last_booking = None

    # -- helpers
    def _offer(self, slot) -> dialog.Offer:
        return dialog.Offer(
            slot_id=slot.pk, starts_at=slot.starts_at, place=texts.place_of_slot(slot)
        )

    def _describe(self, booking) -> dict:
        language = booking.language
        return {
            "when": texts.when(booking.slot.starts_at, language),
            "place": texts.shorten(texts.place_of_slot(booking.slot), texts.PLACE_MAX),
            "mode": texts.mode_name(booking.mode, language),
        }

    def _next_booking(self):
        from bookings.selectors import next_booking_for_phone

        return next_booking_for_phone(self.phone, now=self.now)

    def _hotspots_for(self, code: str):
        from hotspots.models import HotspotPage

        live = HotspotPage.objects.live()
        hotspots = list(live.filter(sms_code=code)) or list(live.filter(postcode=code))
        if hotspots:
            return hotspots
        # No place in that postcode: the nearest postcodes (Danish postcodes run roughly by
        # region, so numeric closeness is a fair first guess), within the same hundred-block.
        nearby = [
            h
            for h in live.filter(postcode__startswith=code[:2])
            if h.postcode.isdigit() and abs(int(h.postcode) - int(code)) <= 100
        ]
        nearby.sort(key=lambda h: abs(int(h.postcode) - int(code)))
        return nearby[:3]

    def _slots(self, *, hotspots=None, limit: int, exclude=()) -> list:
        from bookings.selectors import bookable_slots

        if hotspots is None:
            slots = bookable_slots(now=self.now, limit=limit + len(exclude))
        else:
            slots = []
            for hotspot in hotspots[:5]:
                slots += bookable_slots(hotspot=hotspot, now=self.now, limit=limit + len(exclude))
        slots = [s for s in slots if s.pk not in set(exclude)]
        slots.sort(key=lambda s: (s.starts_at, s.pk))
        return slots[:limit]

    def _alternatives(self, slot_id, *, exclude=()) -> list[dialog.Offer]:
        from bookings.models import Slot

        slot = Slot.objects.select_related("occurrence__session").filter(pk=slot_id).first()
        if slot is not None and slot.occurrence.meeting_service_id:
            return self._meeting_offers(slot, exclude=(slot_id, *exclude))
        hotspots = [slot.occurrence.session.hotspot] if slot else None
        return [
            self._offer(s)
            for s in self._slots(
                hotspots=hotspots, limit=dialog.MAX_OFFERS, exclude=(slot_id, *exclude)
            )
        ]

    def _meeting_offers(self, slot, *, exclude=()) -> list[dialog.Offer]:
        # Caseworker meetings (meetings app) have no hotspot: other free times of the same
        # meeting service instead.
        from meetings.selectors import bookable_meeting_slots

        slots = bookable_meeting_slots(
            service=slot.occurrence.meeting_service,
            now=self.now,
            limit=dialog.MAX_OFFERS + len(exclude),
        )
        return [self._offer(s) for s in slots if s.pk not in set(exclude)][: dialog.MAX_OFFERS]

    def _failure(self, error) -> dialog.Outcome:
        from bookings.errors import AlreadyBooked

        code = getattr(error, "code", "cannot_book")
        data = {}
        if isinstance(error, AlreadyBooked) and error.booking is not None:
            data = self._describe(error.booking)
        if code in ("closed", "not_open_yet", "cancelled_session"):
            code = "not_changeable"
        return dialog.Outcome(code, data)

    # -- the port
    def is_opted_out(self) -> bool:
        return not self.simulated and is_opted_out(self.phone)

    def opt_out(self) -> dialog.Outcome:
        record_opt_out(phone=self.phone, source="keyword")
        return dialog.Outcome()

    def opt_in(self) -> dialog.Outcome:
        remove_opt_out(phone=self.phone)
        return dialog.Outcome()

    def find_offers(self, *, place_code, limit) -> dialog.Outcome:
        hotspots = None
        if place_code:
            hotspots = self._hotspots_for(place_code)
            if not hotspots:
                return dialog.Outcome("unknown_place")
        offers = [self._offer(s) for s in self._slots(hotspots=hotspots, limit=limit)]
        return dialog.Outcome(data={"offers": offers})

    def book(self, *, slot_id, language, mode=None) -> dialog.Outcome:
        from bookings.errors import BookingError, SlotFull
        from bookings.models import Slot
        from bookings.services import book_slot, modes_for_slot

        slot = Slot.objects.select_related("occurrence__session").filter(pk=slot_id).first()
        if slot is None:
            return dialog.Outcome("cannot_book")
        modes = modes_for_slot(slot, now=self.now)
        if mode is not None and mode not in modes:
            # "1 VIDEO" to a meeting invitation (meetings app) where that time has no video.
            names = ", ".join(texts.mode_name(m, language) for m in modes)
            return dialog.Outcome("mode_not_offered", {"modes": names})
        if mode is None:
            mode = "in_person" if "in_person" in modes or not modes else modes[0]
        try:
            booking = book_slot(
                slot_id=slot_id,
                first_name="",
                phone=self.phone,
                channel="sms",
                mode=mode,
                language=language,
                now=self.now,
            )
        except SlotFull:
            return dialog.Outcome("full", {"offers": self._alternatives(slot_id)})
        except BookingError as error:
            return self._failure(error)
        self.last_booking = booking
        return dialog.Outcome(data={"notified": True, **self._describe(booking)})

    def cancel_next(self) -> dialog.Outcome:
        from bookings.errors import BookingError
        from bookings.services import cancel_booking

        booking = self._next_booking()
        if booking is None:
            return dialog.Outcome("no_booking")
        try:
            cancel_booking(booking=booking, actor="citizen", now=self.now)
        except BookingError as error:
            return self._failure(error)
        return dialog.Outcome(data={"notified": True})

    def move_offers(self, *, limit) -> dialog.Outcome:
        booking = self._next_booking()
        if booking is None:
            return dialog.Outcome("no_booking")
        if booking.slot.occurrence.meeting_service_id:
            offers = self._meeting_offers(booking.slot, exclude=(booking.slot_id,))
            return dialog.Outcome(data={"offers": offers})
        hotspot = booking.slot.occurrence.session.hotspot
        slots = self._slots(hotspots=[hotspot], limit=limit, exclude=(booking.slot_id,))
        return dialog.Outcome(data={"offers": [self._offer(s) for s in slots]})

    def move(self, *, slot_id) -> dialog.Outcome:
        from bookings.errors import BookingError, SlotFull
        from bookings.services import move_booking

        booking = self._next_booking()
        if booking is None:
            return dialog.Outcome("no_booking")
        try:
            moved = move_booking(booking=booking, to_slot_id=slot_id, actor="citizen", now=self.now)
        except SlotFull:
            return dialog.Outcome(
                "full", {"offers": self._alternatives(slot_id, exclude=(booking.slot_id,))}
            )
        except BookingError as error:
            return self._failure(error)
        self.last_booking = moved
        return dialog.Outcome(data={"notified": True})

    def switch_mode(self, *, mode) -> dialog.Outcome:
        from bookings.errors import BookingError, ModeNotOffered
        from bookings.services import switch_mode

        booking = self._next_booking()
        if booking is None:
            return dialog.Outcome("no_booking")
        if booking.mode == mode:
            return dialog.Outcome("mode_unchanged", self._describe(booking))
        try:
            switch_mode(booking=booking, mode=mode, actor="citizen", now=self.now)
        except ModeNotOffered:
            from bookings.services import modes_for_slot

            offered = modes_for_slot(booking.slot, now=self.now)
            names = ", ".join(texts.mode_name(m, booking.language) for m in offered)
            return dialog.Outcome("mode_not_offered", {"modes": names})
        except BookingError as error:
            return self._failure(error)
        return dialog.Outcome(data={"notified": True})

    def join_waitlist(self, *, place_code, language) -> dialog.Outcome:
        """The first full occurrence at the place, soonest first."""
        from django.db.models import F

        from bookings.errors import BookingError
        from bookings.selectors import occurrences_for
        from bookings.services import join_waitlist

        if not place_code:
            return dialog.Outcome("no_place")
        hotspots = self._hotspots_for(place_code)
        if not hotspots:
            return dialog.Outcome("unknown_place")
        full = []
        for hotspot in hotspots[:5]:
            occurrence = (
                occurrences_for(hotspot=hotspot, now=self.now)
                .filter(session__booking_kind="booked", slots__isnull=False)
                .exclude(slots__capacity__gt=F("slots__booked") + F("slots__held"))
                .order_by("starts_at")
                .first()
            )
            if occurrence is not None:
                full.append((occurrence, hotspot))
        if not full:
            return dialog.Outcome("nothing_full")
        occurrence, hotspot = min(full, key=lambda pair: pair[0].starts_at)
        try:
            join_waitlist(
                occurrence_id=occurrence.pk,
                phone=self.phone,
                channel="sms",
                language=language,
                now=self.now,
            )
        except BookingError as error:
            return self._failure(error)
        return dialog.Outcome(
            data={
                "when": texts.when(occurrence.starts_at, language),
                "place": texts.shorten(hotspot.title, texts.PLACE_MAX),
            }
        )

    def accept_waitlist_offer(self) -> dialog.Outcome:
        from bookings.errors import BookingError, NoWaitlistOffer
        from bookings.services import accept_waitlist_offer
        from volunteers.services import accept_callout

        # Volunteers answer JA to a shift call-out ("Kan du tage tirsdag kl. 10? Svar JA"). That
        # comes first; accept_callout texts its own reply and returns None when this number has
        # no call-out to answer, so citizens' JA for a waiting-list seat is unchanged.
        if accept_callout(phone=self.phone, now=self.now) is not None:
            return dialog.Outcome(data={"notified": True})

        try:
            booking = accept_waitlist_offer(phone=self.phone, now=self.now)
        except NoWaitlistOffer:
            return dialog.Outcome("no_waitlist_offer")
        except BookingError as error:
            return self._failure(error)
        self.last_booking = booking
        return dialog.Outcome(data={"notified": True})


# --- reminders -----------------------------------------------------------------------------


def reminder_times(starts_at, *, now=None) -> dict[str, datetime]:
    """When each reminder for a meeting starting at `starts_at` is due."""
    local = timezone.localtime(starts_at)
    day_before = datetime.combine(
        local.date() - timedelta(days=1), time(settings.SMS_REMINDER_DAY_BEFORE_HOUR)
    )
    return {
        ReminderKind.DAY_BEFORE: timezone.make_aware(day_before),
        ReminderKind.BEFORE_START: starts_at
        - timedelta(minutes=settings.SMS_REMINDER_BEFORE_MINUTES),
    }


def send_due_reminders(*, now=None) -> int:
    """Queue the reminders that are due. Run every few minutes; each (booking, kind, start) is
    sent at most once, a moved booking is reminded of its new time, a cancelled one not at
    all, and the text is written at send time so it shows the current mode."""
    from bookings.models import Booking, BookingStatus

    now = now or timezone.now()
    candidates = list(
        Booking.objects.filter(
            status=BookingStatus.CONFIRMED,
            slot__starts_at__gt=now,
            slot__starts_at__lte=now + timedelta(days=2),
        )
        .exclude(phone="")
        .select_related("slot__occurrence__session")
    )
    if not candidates:
        return 0
    opted_out = set(
        OptOut.objects.filter(phone__in={b.phone for b in candidates}).values_list(
            "phone", flat=True
        )
    )
    done = set(
        Reminder.objects.filter(booking__in=candidates).values_list(
            "booking_id", "kind", "starts_at"
        )
    )
    sent = 0
    for booking in candidates:
        if booking.phone in opted_out:
            continue
        start = booking.slot.starts_at
        times = reminder_times(start)
        kind = None
        if times[ReminderKind.BEFORE_START] <= now:
            kind = ReminderKind.BEFORE_START  # supersedes a day-before reminder we missed
        elif times[ReminderKind.DAY_BEFORE] <= now:
            kind = ReminderKind.DAY_BEFORE
        # A booking made after the reminder time has just had its confirmation.
        if kind is None or booking.created_at >= times[kind]:
            continue
        if (booking.pk, kind, start) in done:
            continue
        try:
            with transaction.atomic():
                reminder = Reminder.objects.create(booking=booking, kind=kind, starts_at=start)
                reminder.message = queue_sms(
                    to=booking.phone,
                    body=texts.booking_message(booking, f"reminder_{kind}"),
                    purpose=f"reminder_{kind}",
                    booking=booking,
                )
                reminder.save(update_fields=["message"])
        except IntegrityError:
            continue  # an overlapping run sent it
        sent += 1
    return sent


def purge_old_messages(*, now=None, days: int | None = None) -> int:
    """Texts hold phone numbers and sometimes more: wipe them with the bookings' retention."""
    now = now or timezone.now()
    days = settings.PERSONAL_DATA_RETENTION_DAYS if days is None else days
    cutoff = now - timedelta(days=days)
    wiped = (
        Message.objects.filter(
            created_at__lt=cutoff,
            status__in=[*FINAL_STATUSES, Status.SENT, Status.PROCESSED, Status.RECEIVED],
        )
        .exclude(body="", to_number="", from_number="")
        .update(body="", to_number="", from_number="", updated_at=now)
    )
    Conversation.objects.filter(updated_at__lt=cutoff, needs_person=False).delete()
    return wiped
