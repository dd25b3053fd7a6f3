"""The outbox: rows written in the caller's transaction, delivery through the real twilio
client (with a fake HTTP layer), retries with backoff, a visible failure, opt-outs."""

import json
from datetime import timedelta
from pathlib import Path

import pytest
import requests
from django.db import transaction
from django.utils import timezone
from twilio.http import HttpClient
from twilio.http.response import Response

import sms
from bookings.models import Booking
from sms import services
from sms.backends import twilio as twilio_backend
from sms.models import Direction, Message, OptOut, Status

from .conftest import make_bookable_session


@pytest.fixture(autouse=True)
def _no_sender_prefix(settings):
    # Transport tests compare bodies byte for byte; the "Digihjælp: " prefix every text gets
    # is tested in test_every_queued_text_says_who_writes.
    settings.SMS_SENDER_PREFIX = ""


PHONE = "+4520304050"


class FakeTwilioHttp(HttpClient):
    """Stands in for Twilio's REST API below the official client: records what was sent and
    answers with a scripted list of outcomes (an int status, or an exception to raise)."""

    def __init__(self, script=None):
        super().__init__(logger=None, is_async=False, timeout=10)
        self.script = list(script or [])
        self.requests = []

    def request(
        self,
        method,
        uri,
        params=None,
        data=None,
        headers=None,
        auth=None,
        timeout=None,
        allow_redirects=False,
    ):
        self.requests.append(
            {
                "method": method,
                "uri": uri,
                "data": dict(data or {}),
                "auth": auth,
                "timeout": timeout,
            }
        )
        outcome = self.script.pop(0) if self.script else 201
        if isinstance(outcome, Exception):
            raise outcome
        if isinstance(outcome, tuple):
            status, code = outcome
        else:
            status, code = outcome, None
        if status >= 400:
            body = {"code": code or 20500, "message": "Scripted failure", "status": status}
            return Response(status, json.dumps(body))
        n = len(self.requests)
        body = {
            "sid": f"SM{n:032d}",
            "status": "queued",
            "to": data.get("To"),
            "body": data.get("Body"),
            "account_sid": "AC" + "0" * 32,
        }
        return Response(status, json.dumps(body))


@pytest.fixture
def fake_twilio(twilio_settings, monkeypatch):
    twilio_settings.SMS_BACKEND = "sms.backends.twilio.SmsBackend"
    fake = FakeTwilioHttp()
    monkeypatch.setattr(twilio_backend, "make_http_client", lambda: fake)
    return fake


def queued(body="Hej", to=PHONE, **kwargs):
    with transaction.atomic():
        return services.queue_sms(to=to, body=body, purpose="test", **kwargs)


@pytest.mark.django_db
def test_twilio_backend_sends_the_right_parameters(fake_twilio, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = services.queue_sms(to=PHONE, body="Husk din tid i morgen", purpose="test")
    message.refresh_from_db()
    assert message.status == Status.SENT
    assert message.provider_sid == "SM" + "1".zfill(32)
    [sent] = fake_twilio.requests
    assert sent["method"] == "POST"
    assert sent["uri"].endswith(f"/Accounts/AC{'0' * 32}/Messages.json")
    assert sent["auth"] == ("AC" + "0" * 32, "test-auth-token")
    assert sent["data"] == {
        "To": PHONE,
        "Body": "Husk din tid i morgen",
        "MessagingServiceSid": "MG" + "1" * 32,
        "StatusCallback": f"https://digihjaelp.example/sms/twilio/status/?message={message.pk}",
        "ValidityPeriod": 14400,
    }


@pytest.mark.django_db
def test_twilio_backend_with_a_from_number(fake_twilio, settings):
    settings.TWILIO_MESSAGING_SERVICE_SID = ""
    settings.TWILIO_FROM_NUMBER = "+4570707070"
    message = queued()
    services.deliver_message(message_id=message.pk)
    data = fake_twilio.requests[0]["data"]
    assert data["From"] == "+4570707070" and "MessagingServiceSid" not in data


@pytest.mark.django_db
def test_nothing_is_sent_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.queue_sms(to=PHONE, body="x", purpose="test")
        raise RuntimeError
    assert not Message.objects.exists()
    assert sms.outbox == []


@pytest.mark.parametrize("failure", [500, requests.exceptions.ReadTimeout("read timed out")])
@pytest.mark.django_db
def test_provider_failure_retries_with_backoff_then_fails_visibly(fake_twilio, failure):
    fake_twilio.script = [failure] * 100
    message = queued()
    now = message.created_at
    delays = []
    while True:
        result = services.deliver_message(message_id=message.pk, now=now)
        message.refresh_from_db()
        if message.status != Status.QUEUED:
            break
        assert result == "retry later"
        delays.append(message.next_attempt_at - now)
        now = message.next_attempt_at
    assert message.status == Status.FAILED
    assert message.last_error
    assert delays[:3] == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]
    assert timedelta(hours=3) < now - message.created_at <= timedelta(hours=4)
    assert message.attempts == len(fake_twilio.requests) == len(delays) + 1
    # Staff see it in the failed list.
    assert Message.objects.filter(status=Status.FAILED).count() == 1


@pytest.mark.django_db
def test_a_retry_that_succeeds_sends_once(fake_twilio):
    fake_twilio.script = [503, requests.exceptions.ConnectTimeout("slow"), 201]
    message = queued()
    now = timezone.now()
    for _ in range(5):
        services.deliver_message(message_id=message.pk, now=now)
        now += timedelta(hours=1)
    message.refresh_from_db()
    assert message.status == Status.SENT
    assert len(fake_twilio.requests) == 3


@pytest.mark.django_db
def test_delivering_twice_sends_once(fake_twilio):
    message = queued()
    assert services.deliver_message(message_id=message.pk) == "sent"
    assert services.deliver_message(message_id=message.pk) == "nothing to do"
    assert len(fake_twilio.requests) == 1


@pytest.mark.django_db
def test_error_21610_records_an_opt_out_and_stops(fake_twilio):
    fake_twilio.script = [(400, 21610)]
    message = queued()
    services.deliver_message(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == Status.OPTED_OUT
    assert OptOut.objects.filter(phone=PHONE, source="provider").exists()


@pytest.mark.django_db
def test_error_21614_marks_undeliverable_without_retry(fake_twilio):
    fake_twilio.script = [(400, 21614)]
    message = queued()
    services.deliver_message(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == Status.UNDELIVERABLE
    assert message.error_code == "21614"
    assert message.next_attempt_at is None


@pytest.mark.django_db
def test_opted_out_numbers_get_nothing_but_the_stop_confirmation():
    OptOut.objects.create(phone=PHONE)
    blocked = queued("Husk din tid")
    confirmation = services.queue_sms(
        to=PHONE,
        body="Du får ikke flere SMS",
        purpose=services.PURPOSE_STOP_CONFIRMATION,
        allow_opted_out=True,
    )
    assert blocked.status == Status.OPTED_OUT
    assert services.deliver_message(message_id=confirmation.pk) == "sent"
    assert [m.body for m in sms.outbox] == ["Du får ikke flere SMS"]


@pytest.mark.django_db
def test_periodic_job_recovers_what_a_killed_worker_left(django_capture_on_commit_callbacks):
    now = timezone.now()
    stuck = Message.objects.create(
        direction=Direction.OUT,
        to_number=PHONE,
        body="stuck",
        status=Status.SENDING,
        attempts=1,
        created_at=now - timedelta(minutes=30),
    )
    Message.objects.filter(pk=stuck.pk).update(updated_at=now - timedelta(minutes=20))
    lost = Message.objects.create(
        direction=Direction.OUT,
        to_number=PHONE,
        body="lost enqueue",
        status=Status.QUEUED,
        created_at=now - timedelta(minutes=5),
    )
    inbound = Message.objects.create(
        direction=Direction.IN,
        from_number=PHONE,
        body="hjælp",
        status=Status.RECEIVED,
        provider_sid="SMlost",
        created_at=now - timedelta(minutes=5),
    )
    with django_capture_on_commit_callbacks(execute=True):
        result = services.requeue_due_messages(now=now)
    assert result["reclaimed"] == 1 and result["inbound"] == 1
    for row in (stuck, lost, inbound):
        row.refresh_from_db()
    assert stuck.status == Status.SENT and lost.status == Status.SENT
    assert inbound.status == Status.PROCESSED
    bodies = sorted(m.body for m in sms.outbox)
    assert "stuck" in bodies and "lost enqueue" in bodies
    assert any(b.startswith("Svar TID") for b in bodies)


@pytest.mark.django_db
def test_file_backend_writes_one_file_per_message(settings, tmp_path):
    settings.SMS_BACKEND = "sms.backends.filebased.SmsBackend"
    settings.SMS_FILE_PATH = str(tmp_path / "sms")
    for body in ("Første", "Anden"):
        services.deliver_message(message_id=queued(body).pk)
    files = sorted(Path(settings.SMS_FILE_PATH).glob("*.txt"))
    assert len(files) == 2
    contents = {f.read_text(encoding="utf-8") for f in files}
    assert contents == {f"To: {PHONE}\n\nFørste\n", f"To: {PHONE}\n\nAnden\n"}


@pytest.mark.django_db
def test_console_backend_prints(settings, capsys):
    settings.SMS_BACKEND = "sms.backends.console.SmsBackend"
    services.deliver_message(message_id=queued("Hej konsol").pk)
    assert "Hej konsol" in capsys.readouterr().out


@pytest.mark.django_db
def test_failing_provider_never_loses_or_duplicates_a_booking(
    fake_twilio, client, django_capture_on_commit_callbacks
):
    """Booking by SMS while Twilio is down: one booking, its confirmation waits in the outbox
    and is finally marked failed for staff to see; replays of the inbound text change nothing."""
    from .test_webhooks import inbound_params, signed_post

    make_bookable_session(sms_code="4021")
    fake_twilio.script = [500] * 100
    for sid, body in (("SMa", "tid 4021"), ("SMb", "1"), ("SMb", "1"), ("SMb", "1")):
        with django_capture_on_commit_callbacks(execute=True):
            assert (
                signed_post(
                    client, "/sms/twilio/inbound/", inbound_params(body, sid=sid, sender=PHONE)
                ).status_code
                == 200
            )
    assert Booking.objects.filter(phone=PHONE).count() == 1
    confirmation = Message.objects.get(purpose="booking_confirmed")
    assert confirmation.status == Status.QUEUED and confirmation.attempts == 1
    now = timezone.now() + timedelta(hours=5)
    services.deliver_message(message_id=confirmation.pk, now=now)
    confirmation.refresh_from_db()
    assert confirmation.status == Status.FAILED
    assert Booking.objects.filter(phone=PHONE).count() == 1


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["interactive", "default", "bulk"],
        }
    }


@pytest.mark.django_db
@pytest.mark.usefixtures("database_tasks")
def test_with_the_database_task_backend_the_task_row_shares_the_transaction():
    from django_tasks_db.models import DBTaskResult

    with pytest.raises(RuntimeError), transaction.atomic():
        services.queue_sms(to=PHONE, body="rolled back", purpose="test")
        assert DBTaskResult.objects.count() == 1  # written with the outbox row…
        raise RuntimeError
    assert DBTaskResult.objects.count() == 0  # …and gone with it
    with transaction.atomic():
        message = services.queue_sms(to=PHONE, body="kept", purpose="test")
    [task] = DBTaskResult.objects.all()
    assert task.task_path == "sms.tasks.send_message"
    assert task.args_kwargs["args"] == [message.pk]


@pytest.mark.django_db
def test_old_texts_are_wiped_with_the_retention_period(settings):
    from sms.models import Conversation

    settings.PERSONAL_DATA_RETENTION_DAYS = 30
    now = timezone.now()
    old = Message.objects.create(
        direction=Direction.IN,
        from_number=PHONE,
        body="min mor hedder …",
        status=Status.PROCESSED,
        provider_sid="SMold",
        created_at=now - timedelta(days=31),
    )
    fresh = Message.objects.create(
        direction=Direction.OUT,
        to_number=PHONE,
        body="Husk din tid",
        status=Status.SENT,
        created_at=now - timedelta(days=2),
    )
    Conversation.objects.create(phone=PHONE)
    Conversation.objects.filter(phone=PHONE).update(updated_at=now - timedelta(days=31))
    assert services.purge_old_messages(now=now) == 1
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert (old.body, old.from_number) == ("", "")
    assert old.provider_sid == "SMold"  # a late replay of it still does nothing
    assert fresh.body == "Husk din tid"
    assert not Conversation.objects.exists()


def test_periodic_jobs_are_registered():
    from config.periodic import registered_jobs

    assert {"sms_outbox", "sms_reminders", "sms_purge"} <= set(registered_jobs())


@pytest.mark.django_db
def test_every_queued_text_says_who_writes(settings):
    settings.SMS_SENDER_PREFIX = "Digihjælp: "
    assert services.queue_sms(to=PHONE, body="Husk din tid", purpose="test").body == (
        "Digihjælp: Husk din tid"
    )
