"""Prometheus metrics at /metrics (token or internal address, see ops/access.py).

Every figure is read from the database when Prometheus scrapes, so any web node answers for
the whole installation (scrape one node, or all and take max()), and nothing is lost when a
process restarts. Apps add their own figures by registering a collector here in their
AppConfig.ready(); this module imports no domain app.

A collector is any object with a `collect()` method yielding prometheus_client metric families.
"""

from django.db import DatabaseError
from django.http import HttpResponse
from django.utils import timezone
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily

from .access import forbidden, ops_access_allowed
from .selectors import (
    live_workers_per_queue,
    periodic_job_records,
    queue_states,
    worker_heartbeats,
)

PREFIX = "digihjaelp_"

# auto_describe=False: registering must not query the database (it happens in ready()).
registry = CollectorRegistry(auto_describe=False)
_registered: set[str] = set()


def register_collector(name: str, collector) -> None:
    """Add a collector once; `name` keeps a second ready() (tests) from adding it twice."""
    if name in _registered:
        return
    registry.register(collector)
    _registered.add(name)


def gauge(name: str, documentation: str, labels=()) -> GaugeMetricFamily:
    return GaugeMetricFamily(PREFIX + name, documentation, labels=list(labels))


class QueueCollector:
    """Depth, running tasks and the oldest ready task's wait, per task queue."""

    def collect(self):
        states = queue_states(now=timezone.now())
        ready = gauge("task_queue_ready", "Tasks ready to run, waiting for a worker.", ["queue"])
        running = gauge("task_queue_running", "Tasks a worker is running now.", ["queue"])
        oldest = gauge(
            "task_queue_oldest_ready_seconds",
            "How long the oldest ready task has waited for a worker.",
            ["queue"],
        )
        for queue, state in states.items():
            ready.add_metric([queue], state.ready)
            running.add_metric([queue], state.running)
            oldest.add_metric([queue], state.oldest_ready_seconds)
        yield from (ready, running, oldest)


class WorkerCollector:
    """Task workers' heartbeats: the age of each worker's last one, and live workers per queue."""

    def collect(self):
        now = timezone.now()
        heartbeats = worker_heartbeats()
        age = gauge(
            "worker_heartbeat_age_seconds",
            "Seconds since each task worker's last heartbeat (one every 15 s while it runs).",
            ["worker", "queues"],
        )
        for heartbeat in heartbeats:
            age.add_metric(
                [f"{heartbeat.hostname}:{heartbeat.pid}", heartbeat.queues],
                (now - heartbeat.last_seen_at).total_seconds(),
            )
        live = gauge(
            "task_queue_live_workers",
            "Workers taking this queue's tasks with a heartbeat in the last 60 s.",
            ["queue"],
        )
        for queue, count in live_workers_per_queue(now=now, heartbeats=heartbeats).items():
            live.add_metric([queue], count)
        yield from (age, live)


class PeriodicJobCollector:
    """Each periodic job's last success, last duration and failures in a row."""

    def collect(self):
        last_success = gauge(
            "periodic_job_last_success_timestamp_seconds",
            "When the job last succeeded (Unix time).",
            ["job"],
        )
        duration = gauge(
            "periodic_job_last_duration_seconds", "How long the job's last run took.", ["job"]
        )
        failures = gauge(
            "periodic_job_consecutive_failures",
            "Runs in a row that failed (0 after a success).",
            ["job"],
        )
        for record in periodic_job_records():
            if record.last_succeeded_at:
                last_success.add_metric([record.name], record.last_succeeded_at.timestamp())
            if record.last_duration is not None:
                duration.add_metric([record.name], record.last_duration)
            failures.add_metric([record.name], record.consecutive_failures)
        yield from (last_success, duration, failures)


def register_builtin_collectors() -> None:
    register_collector("ops.queues", QueueCollector())
    register_collector("ops.workers", WorkerCollector())
    register_collector("ops.periodic", PeriodicJobCollector())


def metrics_view(request):
    if not ops_access_allowed(request):
        return forbidden()
    try:
        body = generate_latest(registry)
    except DatabaseError:
        return HttpResponse(
            "The database did not answer; no metrics.\n",
            status=503,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
    response["Cache-Control"] = "no-store"
    return response
