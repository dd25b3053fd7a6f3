"""A worker killed while it sends: the message goes out again within 2 minutes (delivery is at
least once), and the provider's delivery report, which names our message, keeps it from going
out twice when the provider already had it.

Before: the message stayed in "sending" for 10 minutes and was then sent again."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

import sms
from config.periodic import registered_jobs
from sms import services
from sms.backends import locmem
from sms.backends import twilio as twilio_backend
from sms.models import Message, Status

from .test_outbox import PHONE, FakeTwilioHttp
from .test_webhooks import signed_post

pytestmark = pytest.mark.django_db


class WorkerKilled(BaseException):
    """What SIGKILL looks like from inside: nothing after this line of the worker runs."""


class DyingBackend(locmem.SmsBackend):
    """The provider takes the message, then the worker dies before it can record that."""

    def send(self, **kwargs):
        super().send(**kwargs)
        raise WorkerKilled


class DyingTwilioHttp(FakeTwilioHttp):
    def request(self, *args, **kwargs):
        super().request(*args, **kwargs)
        raise WorkerKilled


def send_and_die(body="Husk din tid i morgen kl. 10") -> Message:
    with transaction.atomic():
        message = services.queue_sms(to=PHONE, body=body, purpose="test")
    with pytest.raises(WorkerKilled):
        services.deliver_message(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == Status.SENDING
    return message


def killed_ago(message, seconds: int) -> None:
    Message.objects.filter(pk=message.pk).update(
        updated_at=timezone.now() - timedelta(seconds=seconds)
    )


def run_outbox_job():
    return registered_jobs()["sms_outbox"](timezone.now())


def test_a_message_a_killed_worker_left_goes_out_again_within_two_minutes(settings):
    settings.SMS_BACKEND = "tests.sms.test_killed_worker.DyingBackend"
    message = send_and_die()
    assert [m.body for m in sms.outbox] == [message.body]
    settings.SMS_BACKEND = "sms.backends.locmem.SmsBackend"  # the restarted worker lives
    # Half a minute on, the worker might still be waiting for the provider: leave it.
    killed_ago(message, 30)
    assert "reclaimed 0" in run_outbox_job()
    message.refresh_from_db()
    assert message.status == Status.SENDING
    # Two minutes on (the outbox job runs every minute), it is sent again.
    killed_ago(message, 2 * 60 - 15)
    assert "reclaimed 1" in run_outbox_job()
    message.refresh_from_db()
    assert message.status == Status.SENT and message.attempts == 2
    # At least once: the citizen may get this text twice, never zero times.
    assert [m.body for m in sms.outbox] == [message.body, message.body]


@pytest.mark.parametrize("reported", ["sent", "queued"])
def test_a_delivery_report_keeps_a_message_the_provider_had_from_going_out_twice(
    client, twilio_settings, monkeypatch, reported
):
    twilio_settings.SMS_BACKEND = "sms.backends.twilio.SmsBackend"
    dying = DyingTwilioHttp()
    monkeypatch.setattr(twilio_backend, "make_http_client", lambda: dying)
    message = send_and_die()
    [sent] = dying.requests
    callback = sent["data"]["StatusCallback"]
    assert callback == f"https://digihjaelp.example/sms/twilio/status/?message={message.pk}"
    # Twilio reports on the message it accepted, at the address it was given.
    sid = "SM" + "1".zfill(32)
    path = callback.removeprefix("https://digihjaelp.example")
    report = signed_post(client, path, {"MessageSid": sid, "MessageStatus": reported})
    assert report.status_code == 204
    living = FakeTwilioHttp()
    monkeypatch.setattr(twilio_backend, "make_http_client", lambda: living)
    killed_ago(message, 2 * 60)
    run_outbox_job()
    message.refresh_from_db()
    assert message.status == Status.SENT and message.provider_sid == sid
    assert living.requests == []  # not sent a second time


def test_a_report_cannot_move_another_message(client, twilio_settings):
    first, second = (
        Message.objects.create(direction="out", to_number=PHONE, body=b, status=Status.SENDING)
        for b in ("a", "b")
    )
    Message.objects.filter(pk=first.pk).update(provider_sid="SMfirst")
    path = f"/sms/twilio/status/?message={first.pk}"
    signed_post(client, path, {"MessageSid": "SMother", "MessageStatus": "delivered"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.provider_sid == "SMfirst" and second.provider_sid == ""
