"""Liveness and readiness, as a load balancer and a monitor see them: /healthz answers while
the process runs; /readyz says which of the database, the cache, the queues and the periodic
runs is in trouble, with 503."""

import re
from datetime import timedelta

import pytest
from django.db import connections
from django.test import override_settings
from django.utils import timezone

from ops.models import PeriodicJobRecord

from .factories import task_row

pytestmark = pytest.mark.django_db

QUEUES = {
    "default": {
        "BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["interactive", "default", "bulk"],
    }
}


@pytest.fixture
def healthy(settings):
    """Two queues, and a periodic run a minute ago."""
    settings.TASKS = QUEUES
    settings.READINESS_QUEUE_MAX_WAIT = {"interactive": 120, "bulk": 1800, "*": 300}
    settings.READINESS_PERIODIC_MAX_AGE = 900
    PeriodicJobRecord.objects.create(
        name="materialise", last_finished_at=timezone.now() - timedelta(minutes=1)
    )


def readiness(client, query="", **headers):
    response = client.get("/readyz" + query, **headers)
    return response.status_code, response.json() if response.status_code in (200, 503) else None


def failing(body: dict) -> dict:
    return {check: state for check, state in body.items() if state != "OK"}


def test_liveness_answers_without_a_host_it_knows_and_without_auth(client, settings):
    settings.ALLOWED_HOSTS = ["digihjaelp.example"]
    # A load balancer asks for the node by its address, over plain http.
    response = client.get("/healthz", HTTP_HOST="10.0.0.7:8000", REMOTE_ADDR="10.0.0.2")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]


def test_ready_when_everything_works(client, healthy):
    status, body = readiness(client)
    assert status == 200
    assert set(body) == {
        "Database(alias='default')",
        "CacheCheck(alias='default')",
        "QueueWait(queue='bulk')",
        "QueueWait(queue='default')",
        "QueueWait(queue='interactive')",
        "PeriodicRuns()",
    }
    assert failing(body) == {}


def test_database_down(client, healthy, monkeypatch):
    """The check opens a connection of its own, as a new web worker would: point it at a
    database that is not there."""
    settings_dict = connections["default"].settings_dict
    if settings_dict["ENGINE"].endswith("sqlite3"):
        monkeypatch.setitem(settings_dict, "NAME", "/nonexistent/directory/db.sqlite3")
    else:
        monkeypatch.setitem(settings_dict, "PORT", "1")  # nothing listens there
    status, body = readiness(client)
    assert status == 503
    assert list(failing(body)) == ["Database(alias='default')"]
    assert failing(body)["Database(alias='default')"].startswith("Unavailable")


# Outside a test transaction, as in production: on PostgreSQL the cache's failing statement
# would otherwise abort the transaction the other checks read in.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_cache_down(client, healthy):
    # The production shape: the fail-soft wrapper (pages keep working) around a database cache
    # whose table is gone. Readiness still says the cache is down.
    missing_table = {
        "default": {
            "BACKEND": "config.cache.FailSoftCache",
            "OPTIONS": {
                "CACHE": {
                    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
                    "LOCATION": "cache_table_that_does_not_exist",
                }
            },
        }
    }
    with override_settings(CACHES=missing_table):
        status, body = readiness(client)
    assert status == 503
    assert list(failing(body)) == ["CacheCheck(alias='default')"]
    assert body["CacheCheck(alias='default')"].startswith("Unavailable")


def test_a_queue_whose_oldest_task_waits_too_long(client, healthy):
    now = timezone.now()
    task_row(queue="interactive", enqueued_at=now - timedelta(minutes=10))
    # Bulk work may wait longer (a crisis send drains at the provider's pace), and a task
    # deferred to later is not waiting yet.
    task_row(queue="bulk", enqueued_at=now - timedelta(minutes=10))
    task_row(queue="interactive", enqueued_at=now - timedelta(hours=1), run_after=now)
    status, body = readiness(client)
    assert status == 503
    assert list(failing(body)) == ["QueueWait(queue='interactive')"]
    message = body["QueueWait(queue='interactive')"]
    waited = re.search(r"has waited (\d+) s \(limit 120 s\)", message)
    assert waited and 600 <= int(waited.group(1)) < 700, message


def test_a_stale_periodic_run(client, healthy):
    PeriodicJobRecord.objects.update(last_finished_at=timezone.now() - timedelta(minutes=20))
    status, body = readiness(client)
    assert status == 503
    assert list(failing(body)) == ["PeriodicRuns()"]
    assert "runperiodic last ran" in body["PeriodicRuns()"]


def test_periodic_jobs_that_never_ran(client, healthy):
    PeriodicJobRecord.objects.all().delete()
    status, body = readiness(client)
    assert status == 503
    assert body["PeriodicRuns()"] == "Unavailable: runperiodic has never run"


def test_a_load_balancer_can_ask_for_some_checks_only(client, healthy):
    PeriodicJobRecord.objects.all().delete()  # the timer is down: not the web node's fault
    status, body = readiness(client, "?checks=database,cache")
    assert status == 200
    assert set(body) == {"Database(alias='default')", "CacheCheck(alias='default')"}
    response = client.get("/readyz?checks=database,disk")
    assert response.status_code == 400
    assert b"Unknown checks: disk" in response.content


def test_readiness_is_for_internal_addresses_or_the_token(client, healthy, settings):
    settings.OPS_TOKEN = "a-long-random-operations-token"
    outsider = {"REMOTE_ADDR": "203.0.113.9"}
    assert client.get("/readyz", **outsider).status_code == 403
    wrong = client.get("/readyz", HTTP_AUTHORIZATION="Bearer guess", **outsider)
    assert wrong.status_code == 403
    right = client.get(
        "/readyz", HTTP_AUTHORIZATION="Bearer a-long-random-operations-token", **outsider
    )
    assert right.status_code == 200
    settings.OPS_INTERNAL_NETWORKS = ["10.0.0.0/8"]
    assert client.get("/readyz", REMOTE_ADDR="10.1.2.3").status_code == 200


def test_behind_the_proxy_the_address_nginx_saw_decides(client, healthy, settings):
    """Behind nginx every request comes from 127.0.0.1: what counts is the address nginx
    appended to X-Forwarded-For, and not what the client wrote there itself."""
    settings.TRUSTED_PROXY_COUNT = 1
    through_nginx = {"REMOTE_ADDR": "127.0.0.1"}
    spoofed = client.get("/readyz", HTTP_X_FORWARDED_FOR="127.0.0.1, 203.0.113.9", **through_nginx)
    assert spoofed.status_code == 403
    assert (
        client.get("/metrics", HTTP_X_FORWARDED_FOR="203.0.113.9", **through_nginx).status_code
        == 403
    )
    assert (
        client.get("/readyz", HTTP_X_FORWARDED_FOR="127.0.0.1", **through_nginx).status_code == 200
    )
