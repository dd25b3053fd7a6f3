"""Writes of the ops app: pruning what the machinery leaves behind, and worker heartbeats."""

import os
import socket
from datetime import datetime, timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .models import WorkerHeartbeat

PRUNE_BATCH = 5_000
HEARTBEAT_KEEP = timedelta(days=1)


def _delete_in_batches(queryset) -> int:
    """Short transactions: SQLite has one writer, and the workers must keep claiming tasks."""
    deleted = 0
    while True:
        with transaction.atomic():
            ids = list(queryset.values_list("pk", flat=True)[:PRUNE_BATCH])
            if not ids:
                return deleted
            deleted += queryset.model.objects.filter(pk__in=ids).delete()[0]


def _keep_days(setting: str) -> int:
    """A stored task's arguments and result may hold a phone number or a reply text, so no
    finished row outlives PERSONAL_DATA_RETENTION_DAYS, whatever the operator set."""
    return min(getattr(settings, setting), settings.PERSONAL_DATA_RETENTION_DAYS)


def prune_finished_task_results(*, now: datetime) -> tuple[int, int]:
    """Finished rows of the task queue: succeeded ones after TASK_RESULTS_KEEP_DAYS, failed ones
    (kept longer, to investigate) after FAILED_TASK_RESULTS_KEEP_DAYS, neither after
    PERSONAL_DATA_RETENTION_DAYS. Ready and running rows are work, never pruned."""
    succeeded = _delete_in_batches(
        DBTaskResult.objects.successful().filter(
            finished_at__lt=now - timedelta(days=_keep_days("TASK_RESULTS_KEEP_DAYS"))
        )
    )
    failed = _delete_in_batches(
        DBTaskResult.objects.failed().filter(
            finished_at__lt=now - timedelta(days=_keep_days("FAILED_TASK_RESULTS_KEEP_DAYS"))
        )
    )
    return succeeded, failed


def prune_expired_sessions(*, now: datetime) -> int:
    """Django's `clearsessions`, counted, and every session last saved longer ago than
    PERSONAL_DATA_RETENTION_DAYS even if its cookie has not run out (a booking draft, a
    volunteer's number). Only database sessions leave rows behind; the cache expires its own."""
    if settings.SESSION_ENGINE in {
        "django.contrib.sessions.backends.db",
        "django.contrib.sessions.backends.cached_db",
    }:
        # A session's expiry is its last save plus SESSION_COOKIE_AGE.
        last_saved_before = now - timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS)
        stale = last_saved_before + timedelta(seconds=settings.SESSION_COOKIE_AGE)
        return _delete_in_batches(Session.objects.filter(expire_date__lt=max(now, stale)))
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
    return 0


def prune_login_attempts(*, now: datetime) -> int:
    """django-axes keeps each failed login under its user name, which for a volunteer is the
    phone number, and the form as typed. Once the lockout has cooled off the row locks no one,
    so it goes (axes itself only clears them when someone logs in); the optional access logs go
    after PERSONAL_DATA_RETENTION_DAYS."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    cooled_off = now - settings.AXES_COOLOFF_TIME
    retention = now - timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS)
    deleted = _delete_in_batches(AccessAttempt.objects.filter(attempt_time__lt=cooled_off))
    deleted += _delete_in_batches(AccessFailureLog.objects.filter(attempt_time__lt=retention))
    deleted += _delete_in_batches(AccessLog.objects.filter(attempt_time__lt=retention))
    return deleted


@transaction.atomic
def prune_stale_heartbeats(*, now: datetime) -> int:
    """Rows of workers killed without a chance to remove their own."""
    return WorkerHeartbeat.objects.filter(last_seen_at__lt=now - HEARTBEAT_KEEP).delete()[0]


# Where the traceback of a task would be, on a row whose worker died while it ran.
ABANDONED_EXCEPTION = "ops.services.WorkerLost"
ABANDONED_TRACEBACK = (
    "The worker that ran this task stopped (killed, or its machine lost) before it could "
    "record the outcome. The task may have done part of its work. Marked failed by the "
    "periodic job fail_abandoned_tasks."
)


@transaction.atomic
def fail_abandoned_tasks(*, now: datetime) -> int:
    """Mark the rows a dead worker left RUNNING (selectors.abandoned_task_results) as failed,
    so that the queue's counts, the metrics and the admin tell the truth, and the rows are
    pruned like any failure. Work that must not be lost has its own recovery (the SMS outbox
    sends a message stuck in "sending" again). A row a worker finishes meanwhile keeps its
    outcome: only rows still RUNNING change."""
    from .selectors import abandoned_task_results

    ids = [row.pk for row in abandoned_task_results(now=now)]
    if not ids:
        return 0
    return DBTaskResult.objects.filter(pk__in=ids, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.FAILED,
        finished_at=now,
        exception_class_path=ABANDONED_EXCEPTION,
        traceback=ABANDONED_TRACEBACK,
        return_value=None,
    )


def this_process() -> tuple[str, int]:
    return socket.gethostname()[:255], os.getpid()


@transaction.atomic
def beat(*, worker_id: str, queues: str, started_at: datetime, now: datetime) -> None:
    hostname, pid = this_process()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"last_seen_at": now},
        create_defaults={
            "hostname": hostname,
            "pid": pid,
            "queues": queues[:255],
            "started_at": started_at,
            "last_seen_at": now,
        },
    )


@transaction.atomic
def stop_beating(*, worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()
