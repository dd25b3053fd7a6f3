"""/metrics: what Prometheus scrapes, and who may scrape it."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from bookings import services as booking_services
from ops.models import PeriodicJobRecord, WorkerHeartbeat
from sms import services as sms_services

from .factories import task_row

pytestmark = pytest.mark.django_db


def scrape(client, **headers) -> dict:
    response = client.get("/metrics", **headers)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def value(samples, name, **labels):
    return samples.get(("digihjaelp_" + name, tuple(sorted(labels.items()))))


def test_metrics_count_bookings_sms_queues_workers_and_periodic_jobs(
    client, slot, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {
        "default": {
            "BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["interactive", "default", "bulk"],
        }
    }
    now = timezone.now()
    # Two bookings on the web, one cancelled: each sends a text through the outbox.
    with django_capture_on_commit_callbacks(execute=True):
        for phone in ("20 12 34 56", "20 12 34 57"):
            booking = booking_services.book_slot(
                slot_id=slot.pk, first_name="Bodil", phone=phone, channel="web"
            )
        booking_services.cancel_booking(booking=booking)
    # A provider that refuses a text for good, with its error code.
    settings.SMS_BACKEND = "tests.crisis.failing_backend.SmsBackend"
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        sms_services.queue_sms(to="+4520304050", body="Hej", purpose="test")
    # A task that has waited five minutes on the bulk queue, and a live worker for it.
    task_row(queue="bulk", enqueued_at=now - timedelta(minutes=5))
    WorkerHeartbeat.objects.create(
        worker_id="w1",
        hostname="node-a",
        pid=4242,
        queues="bulk",
        started_at=now - timedelta(hours=1),
        last_seen_at=now - timedelta(seconds=10),
    )
    PeriodicJobRecord.objects.create(
        name="materialise",
        last_succeeded_at=now - timedelta(minutes=3),
        last_duration=1.5,
        consecutive_failures=0,
    )
    PeriodicJobRecord.objects.create(name="sms_outbox", consecutive_failures=4)

    samples = scrape(client)

    assert value(samples, "bookings", channel="web", mode="in_person", status="confirmed") == 1
    assert value(samples, "bookings", channel="web", mode="in_person", status="cancelled") == 1
    assert value(samples, "booking_events_total", kind="booked") == 2
    assert value(samples, "booking_events_total", kind="cancelled") == 1
    assert value(samples, "sms_outgoing_messages", status="sent") == 3  # 2 booked, 1 cancelled
    assert value(samples, "sms_outgoing_messages", status="failed") == 1
    assert value(samples, "sms_failed_messages", reason="30003") == 1
    assert value(samples, "sms_oldest_waiting_seconds") == 0
    assert value(samples, "task_queue_ready", queue="bulk") == 1
    assert value(samples, "task_queue_ready", queue="default") == 0
    assert 299 <= value(samples, "task_queue_oldest_ready_seconds", queue="bulk") < 330
    assert value(samples, "task_queue_live_workers", queue="bulk") == 1
    assert value(samples, "task_queue_live_workers", queue="default") == 0
    assert value(samples, "worker_heartbeat_age_seconds", worker="node-a:4242", queues="bulk") >= 9
    assert value(samples, "periodic_job_last_duration_seconds", job="materialise") == 1.5
    assert value(samples, "periodic_job_consecutive_failures", job="sms_outbox") == 4
    assert (
        value(samples, "periodic_job_last_success_timestamp_seconds", job="materialise")
        == (now - timedelta(minutes=3)).timestamp()
    )
    # Counts and states only: no number or name is in what Prometheus stores.
    text = client.get("/metrics").content.decode()
    assert "Bodil" not in text and "2012345" not in text and "4520304050" not in text


def test_metrics_are_not_public(client, settings):
    settings.OPS_TOKEN = "a-long-random-operations-token"
    outsider = {"REMOTE_ADDR": "198.51.100.20"}
    response = client.get("/metrics", **outsider)
    assert response.status_code == 403
    assert b"digihjaelp_" not in response.content
    scrape(client, HTTP_AUTHORIZATION="Bearer a-long-random-operations-token", **outsider)
    scrape(client, REMOTE_ADDR="127.0.0.1")
    assert client.post("/metrics").status_code == 405
