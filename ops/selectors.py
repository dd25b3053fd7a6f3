"""Reads of the ops app: the task queue's state per queue, the periodic jobs' records and the
workers' heartbeats. Used by the readiness checks, the metrics and the admin report."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Case, Count, F, Max, Min, Q, When
from django.db.models.functions import Greatest
from django.tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from .heartbeat import HEARTBEAT_TIMEOUT
from .models import PeriodicJobRecord, WorkerHeartbeat


@dataclass(frozen=True)
class QueueState:
    ready: int = 0
    running: int = 0
    # How long the task that has been ready the longest has waited for a worker, in seconds.
    oldest_ready_seconds: float = 0.0


def configured_queue_names() -> list[str]:
    names = set()
    for backend in settings.TASKS.values():
        names.update(backend.get("QUEUES") or [])
    return sorted(names)


def queue_states(*, now: datetime) -> dict[str, QueueState]:
    """Every configured queue, and any other queue that has work, in one GROUP BY."""
    # A task becomes ready when it is enqueued, or at its run_after if it was deferred.
    ready_since = Case(
        When(run_after=get_date_max(), then=F("enqueued_at")),
        default=Greatest(F("run_after"), F("enqueued_at")),
    )
    rows = (
        DBTaskResult.objects.filter(
            Q(status=TaskResultStatus.RUNNING)
            | Q(status=TaskResultStatus.READY)
            & (Q(run_after=get_date_max()) | Q(run_after__lte=now))
        )
        .values("queue_name", "status")
        .annotate(count=Count("id"), oldest=Min(ready_since))
        .order_by()
    )
    counts: dict[str, dict] = {name: {} for name in configured_queue_names()}
    for row in rows:
        counts.setdefault(row["queue_name"], {})[row["status"]] = row
    states = {}
    for name, by_status in sorted(counts.items()):
        ready = by_status.get(TaskResultStatus.READY, {})
        oldest = ready.get("oldest")
        states[name] = QueueState(
            ready=ready.get("count", 0),
            running=by_status.get(TaskResultStatus.RUNNING, {}).get("count", 0),
            oldest_ready_seconds=max((now - oldest).total_seconds(), 0.0) if oldest else 0.0,
        )
    return states


def abandoned_task_results(*, now: datetime) -> list[DBTaskResult]:
    """Rows left RUNNING by a worker that is gone (killed, or its machine lost): started longer
    than TASK_ABANDONED_AFTER ago by a worker with no live heartbeat. No worker will ever
    finish them; a task still running on a living worker is never one of them."""
    started_before = now - timedelta(seconds=settings.TASK_ABANDONED_AFTER)
    rows = list(
        DBTaskResult.objects.running().filter(started_at__lt=started_before).order_by("started_at")
    )
    if not rows:
        return []
    alive = {
        heartbeat.worker_id
        for heartbeat in WorkerHeartbeat.objects.filter(last_seen_at__gte=now - HEARTBEAT_TIMEOUT)
    }
    return [row for row in rows if not (row.worker_ids and row.worker_ids[-1] in alive)]


def queue_wait_limit(queue: str) -> timedelta:
    limits = settings.READINESS_QUEUE_MAX_WAIT
    return timedelta(seconds=limits.get(queue, limits.get("*", 300)))


def last_periodic_run() -> datetime | None:
    """When a `runperiodic` last finished a job, whatever the job's outcome."""
    return PeriodicJobRecord.objects.aggregate(last=Max("last_finished_at"))["last"]


def periodic_job_records() -> list[PeriodicJobRecord]:
    return list(PeriodicJobRecord.objects.order_by("name"))


def worker_heartbeats() -> list[WorkerHeartbeat]:
    return list(WorkerHeartbeat.objects.order_by("hostname", "pid"))


def is_alive(heartbeat: WorkerHeartbeat, *, now: datetime) -> bool:
    return now - heartbeat.last_seen_at <= HEARTBEAT_TIMEOUT


def live_workers_per_queue(*, now: datetime, heartbeats: list[WorkerHeartbeat]) -> dict[str, int]:
    """For each queue, how many live workers take its tasks ("*" workers take every queue)."""
    queues = set(configured_queue_names())
    for heartbeat in heartbeats:
        queues.update(q for q in heartbeat.queues.split(",") if q != "*")
    return {
        queue: sum(1 for h in heartbeats if h.serves(queue) and is_alive(h, now=now))
        for queue in sorted(queues)
    }
