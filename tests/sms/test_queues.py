"""A citizen's reply never waits behind bulk work: it goes on a queue of its own, and bulk sends
are paced so that the provider's queue does not fill ahead of it."""

import pytest
from django.db import transaction

from sms import pacing, services
from sms.models import Direction, Message
from sms.queues import BULK, INTERACTIVE, queue_for_purpose


@pytest.fixture(autouse=True)
def _no_sender_prefix(settings):
    # Transport tests compare bodies byte for byte; the "Digihjælp: " prefix every text gets
    # is tested in test_every_queued_text_says_who_writes.
    settings.SMS_SENDER_PREFIX = ""


PHONE = "+4520123456"
QUEUES = {"QUEUES": ["interactive", "default", "bulk"]}


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "bookings.task_backend.DatabaseBackend", **QUEUES}}


def queued_tasks():
    from django_tasks_db.models import DBTaskResult

    return {(task.task_path, task.queue_name) for task in DBTaskResult.objects.all()}


@pytest.mark.parametrize(
    ("purpose", "queue"),
    [
        ("reply", INTERACTIVE),
        ("booking_booked", INTERACTIVE),
        ("volunteer_login_code", INTERACTIVE),
        ("stop_confirmation", INTERACTIVE),
        ("reminder_day_before", BULK),
        ("crisis:12", BULK),
    ],
)
def test_what_someone_waits_for_is_interactive_and_mass_sends_are_bulk(purpose, queue):
    assert queue_for_purpose(purpose) == queue


@pytest.mark.django_db
@pytest.mark.usefixtures("database_tasks")
def test_inbound_text_and_reply_go_on_the_interactive_queue_reminders_on_bulk():
    with transaction.atomic():
        services.receive_inbound(from_number=PHONE, body="TID", sid="SM" + "1" * 32)
        services.queue_sms(to=PHONE, body="Husk i morgen kl. 10.00", purpose="reminder_day_before")
    assert queued_tasks() == {
        ("sms.tasks.process_inbound", INTERACTIVE),
        ("sms.tasks.send_bulk_message", BULK),
    }


@pytest.mark.django_db
@pytest.mark.usefixtures("database_tasks")
def test_the_safety_net_requeues_each_text_on_its_own_queue():
    from datetime import timedelta

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    with transaction.atomic():
        reply = services.queue_sms(to=PHONE, body="Svar", purpose="reply")
        crisis = services.queue_sms(to=PHONE, body="Lukket", purpose="crisis:3")
    DBTaskResult.objects.all().delete()  # as if the enqueue was lost
    Message.objects.filter(pk__in=[reply.pk, crisis.pk]).update(
        created_at=timezone.now() - timedelta(minutes=5)
    )
    services.requeue_due_messages()
    assert queued_tasks() == {
        ("sms.tasks.send_message", INTERACTIVE),
        ("sms.tasks.send_bulk_message", BULK),
    }


class FakeClock:
    def __init__(self, start: float = 1_000_000.25):
        self.now = start
        self.slept = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 2))
        self.now += seconds


@pytest.fixture
def pace(settings):
    from django.core.cache import cache

    cache.clear()
    settings.SMS_SEND_RATE = 4
    settings.SMS_INTERACTIVE_RESERVE = 1
    return FakeClock()


def test_bulk_sends_take_turns_at_the_providers_pace_leaving_room_for_replies(pace):
    waits = [pacing.wait_for_bulk_turn(clock=pace, sleep=pace.sleep) for _ in range(7)]
    # Three bulk texts per second (4 minus 1 kept for replies): the 4th waits for the next second.
    assert waits[:3] == [0, 0, 0]
    assert waits[3] == pytest.approx(0.75)
    assert int(pace.now) == 1_000_002  # seven texts took into the third second


def test_replies_go_at_once_and_push_bulk_sends_to_the_next_second(pace):
    for _ in range(3):
        pacing.note_interactive_send(now=pace.now)
    assert pacing.wait_for_bulk_turn(clock=pace, sleep=pace.sleep) == pytest.approx(0.75)


def test_with_the_cache_down_bulk_sends_go_unpaced(pace, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(pacing.cache, "add", broken)
    monkeypatch.setattr(pacing.cache, "incr", broken)
    assert [pacing.wait_for_bulk_turn(clock=pace, sleep=pace.sleep) for _ in range(10)] == [0] * 10


@pytest.mark.django_db
def test_a_paced_send_still_reaches_the_backend(pace):
    import sms

    message = services.queue_sms(to=PHONE, body="Lukket i dag", purpose="crisis:1")
    assert services.deliver_message(message_id=message.pk, paced=True) == "sent"
    assert [sent.body for sent in sms.outbox][-1:] == ["Lukket i dag"]
    assert Message.objects.get(pk=message.pk, direction=Direction.OUT).status == "sent"
