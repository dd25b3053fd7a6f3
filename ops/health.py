"""Liveness and readiness for load balancers and monitoring.

- /healthz (liveness): the process answers. No database, no auth, always 200 while it runs.
- /readyz (readiness): the database, the cache, the wait of the oldest ready task per queue
  (and tasks a dead worker left running), and the age of the last periodic run; 200 when all pass, 503 with the failing checks named
  otherwise. `?checks=database,cache` limits it to some checks: a load balancer should use
  that, because a stuck worker or timer is no reason to take every web node out of service.

The checks run under django-health-check (its database and cache checks, its per-check time
budget, its JSON output); the queue and periodic-run checks are ours. They run in the request's
own thread (sync_to_async is thread-sensitive), like any view.
"""

import dataclasses
from datetime import timedelta

from asgiref.sync import async_to_sync, sync_to_async
from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from health_check.base import HealthCheck
from health_check.checks import Cache, Database
from health_check.exceptions import HealthCheckException, ServiceUnavailable
from health_check.views import HealthCheckView

from . import selectors
from .access import forbidden, ops_access_allowed


@dataclasses.dataclass
class CacheCheck(Cache):
    """django-health-check's cache check, naming what went wrong: it reports errors other than
    connection errors (a missing cache table, a refused login) only as "unknown error"."""

    async def run(self):
        try:
            await super().run()
        except HealthCheckException:
            raise
        except Exception as error:  # noqa: BLE001 - any failure of the cache is the finding
            raise ServiceUnavailable(f"the cache failed: {type(error).__name__}") from error


@dataclasses.dataclass
class QueueWait(HealthCheck):
    """The oldest ready task of a queue has waited no longer than the queue's limit, and no
    task of the queue was left running by a worker that is gone (a row no worker will ever
    finish, until runperiodic's fail_abandoned_tasks marks it failed)."""

    queue: str
    limit: timedelta = dataclasses.field(repr=False, default=timedelta(minutes=5))

    async def run(self):
        now = timezone.now()
        states = await sync_to_async(selectors.queue_states)(now=now)
        waited = states.get(self.queue, selectors.QueueState()).oldest_ready_seconds
        if waited > self.limit.total_seconds():
            raise ServiceUnavailable(
                f"the oldest ready task has waited {waited:.0f} s (limit "
                f"{self.limit.total_seconds():.0f} s): is a worker for this queue running?"
            )
        abandoned = await sync_to_async(selectors.abandoned_task_results)(now=now)
        abandoned = [row for row in abandoned if row.queue_name == self.queue]
        if abandoned:
            raise ServiceUnavailable(
                f"{len(abandoned)} task(s) still marked running by a worker that is gone: is "
                "runperiodic running (fail_abandoned_tasks)?"
            )


@dataclasses.dataclass
class PeriodicRuns(HealthCheck):
    """`runperiodic` has finished a job recently: the timer or cron job is running."""

    limit: timedelta = dataclasses.field(repr=False, default=timedelta(minutes=15))

    async def run(self):
        last = await sync_to_async(selectors.last_periodic_run)()
        if last is None:
            raise ServiceUnavailable("runperiodic has never run")
        age = (timezone.now() - last).total_seconds()
        if age > self.limit.total_seconds():
            raise ServiceUnavailable(
                f"runperiodic last ran {age:.0f} s ago (limit {self.limit.total_seconds():.0f} "
                "s): is its timer running?"
            )


def _queue_checks():
    return [
        QueueWait(queue=name, limit=selectors.queue_wait_limit(name))
        for name in selectors.configured_queue_names()
    ]


CHECK_GROUPS = {
    "database": lambda: [Database()],
    "cache": lambda: [CacheCheck()],
    "queues": _queue_checks,
    "periodic": lambda: [
        PeriodicRuns(limit=timedelta(seconds=settings.READINESS_PERIODIC_MAX_AGE))
    ],
}


class ReadinessView(HealthCheckView):
    groups: list[str] = list(CHECK_GROUPS)

    def get_checks(self):
        for group in self.groups:
            yield from CHECK_GROUPS[group]()

    async def get(self, request, *args, **kwargs):
        # Probes get JSON whatever they accept (django-health-check would draw HTML for */*).
        request.GET = request.GET.copy()
        request.GET.setdefault("format", "json")
        response = await super().get(request, *args, **kwargs)
        if response.status_code == 500:
            response.status_code = 503  # "not ready", not "the server broke"
        return response


def liveness(request):
    response = HttpResponse("ok\n", content_type="text/plain; charset=utf-8")
    add_never_cache_headers(response)
    return response


def readiness(request):
    if not ops_access_allowed(request):
        return forbidden()
    wanted = [g.strip() for g in request.GET.get("checks", "").split(",") if g.strip()]
    unknown = sorted(set(wanted) - set(CHECK_GROUPS))
    if unknown:
        return HttpResponseBadRequest(
            f"Unknown checks: {', '.join(unknown)}. Known: {', '.join(CHECK_GROUPS)}.\n",
            content_type="text/plain; charset=utf-8",
        )
    view = ReadinessView.as_view(groups=wanted or list(CHECK_GROUPS))
    return async_to_sync(view)(request)
