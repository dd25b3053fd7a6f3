"""A worker killed while it runs a task leaves the task's row RUNNING: no worker will ever
finish it. Readiness names the queue, and runperiodic marks the row failed once its worker's
heartbeat has stopped; a task still running on a living worker is left alone."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.tasks.base import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ops.models import PeriodicJobRecord, WorkerHeartbeat

from .factories import task_row
from .test_health import QUEUES, failing, readiness

pytestmark = pytest.mark.django_db


@pytest.fixture
def workers(settings):
    """A killed worker (its heartbeat stopped 20 minutes ago) and a living one."""
    settings.TASKS = QUEUES
    settings.TASK_ABANDONED_AFTER = 600
    settings.READINESS_QUEUE_MAX_WAIT = {"*": 300}
    settings.READINESS_PERIODIC_MAX_AGE = 900
    now = timezone.now()
    PeriodicJobRecord.objects.create(name="materialise", last_finished_at=now)
    for worker_id, seen in (("killed", now - timedelta(minutes=20)), ("alive", now)):
        WorkerHeartbeat.objects.create(
            worker_id=worker_id,
            hostname="web1",
            pid=100,
            queues="*",
            started_at=now - timedelta(hours=1),
            last_seen_at=seen,
        )
    return now


def running(worker_id, *, minutes_ago, queue="interactive", now):
    started = now - timedelta(minutes=minutes_ago)
    return task_row(
        queue=queue,
        status=TaskResultStatus.RUNNING,
        enqueued_at=started,
        started_at=started,
        worker_ids=[worker_id],
    ).pk


def test_a_task_left_running_by_a_killed_worker_is_marked_failed(workers):
    now = workers
    abandoned = running("killed", minutes_ago=30, now=now)
    # Just started by the worker that was then killed: it may still be a slow start-up.
    recent = running("killed", minutes_ago=2, now=now)
    # A long task on a living worker is work in progress.
    long_but_alive = running("alive", minutes_ago=45, now=now)
    # Its heartbeat row already pruned: gone all the same.
    no_heartbeat = running("pruned-long-ago", minutes_ago=30, queue="bulk", now=now)

    out = StringIO()
    call_command("runperiodic", only=["fail_abandoned_tasks"], stdout=out)
    assert "fail_abandoned_tasks: abandoned=2" in out.getvalue()

    statuses = dict(DBTaskResult.objects.values_list("pk", "status"))
    assert statuses[abandoned] == statuses[no_heartbeat] == TaskResultStatus.FAILED
    assert statuses[recent] == statuses[long_but_alive] == TaskResultStatus.RUNNING
    failed = DBTaskResult.objects.get(pk=abandoned)
    assert failed.finished_at is not None
    assert "worker that ran this task stopped" in failed.traceback

    # Idempotent: a second run finds nothing more.
    out = StringIO()
    call_command("runperiodic", only=["fail_abandoned_tasks"], stdout=out)
    assert "fail_abandoned_tasks: abandoned=0" in out.getvalue()


def test_readiness_names_the_queue_with_an_abandoned_task_until_it_is_marked(client, workers):
    now = workers
    running("alive", minutes_ago=45, queue="bulk", now=now)
    status, body = readiness(client)
    assert status == 200, body

    running("killed", minutes_ago=30, queue="interactive", now=now)
    status, body = readiness(client)
    assert status == 503
    assert list(failing(body)) == ["QueueWait(queue='interactive')"]
    assert "still marked running by a worker that is gone" in body["QueueWait(queue='interactive')"]

    call_command("runperiodic", only=["fail_abandoned_tasks"], stdout=StringIO())
    status, body = readiness(client)
    assert status == 200, body
