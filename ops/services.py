"""Writes of the ops app: pruning what the machinery leaves behind, and worker heartbeats."""

import os
import socket
from datetime import datetime, timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
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


def prune_finished_task_results(*, now: datetime) -> tuple[int, int]:
    """Finished rows of the task queue: succeeded ones after TASK_RESULTS_KEEP_DAYS, failed ones
    (kept longer, to investigate) after FAILED_TASK_RESULTS_KEEP_DAYS. Ready and running rows
    are work, never pruned."""
    succeeded = _delete_in_batches(
        DBTaskResult.objects.successful().filter(
            finished_at__lt=now - timedelta(days=settings.TASK_RESULTS_KEEP_DAYS)
        )
    )
    failed = _delete_in_batches(
        DBTaskResult.objects.failed().filter(
            finished_at__lt=now - timedelta(days=settings.FAILED_TASK_RESULTS_KEEP_DAYS)
        )
    )
    return succeeded, failed


def prune_expired_sessions(*, now: datetime) -> int:
    """Django's `clearsessions`, counted. Only database sessions leave rows behind; the cache
    expires its own."""
    if settings.SESSION_ENGINE in {
        "django.contrib.sessions.backends.db",
        "django.contrib.sessions.backends.cached_db",
    }:
        return _delete_in_batches(Session.objects.filter(expire_date__lt=now))
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
    return 0


@transaction.atomic
def prune_stale_heartbeats(*, now: datetime) -> int:
    """Rows of workers killed without a chance to remove their own."""
    return WorkerHeartbeat.objects.filter(last_seen_at__lt=now - HEARTBEAT_KEEP).delete()[0]


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
