"""Registry of periodic jobs run by `manage.py runperiodic` (cron or a systemd timer calls it
every few minutes). Each app declares its jobs in its own `periodic.py`; jobs must be idempotent
because a run can be repeated after a failure or a crash.

Each job returns a one-line summary of what it did. The runner (ops/periodic_runner.py) runs
every job even when one fails, stores each job's last run and outcome, and holds a lock per job
so that two timers never run the same job at once. A run killed mid-job frees its lock when the
job's `lease` runs out: give a job a lease longer than it can ever take."""

from collections.abc import Callable
from datetime import datetime, timedelta

PeriodicJob = Callable[[datetime], str]

DEFAULT_LEASE = timedelta(minutes=30)

_registry: dict[str, PeriodicJob] = {}
_leases: dict[str, timedelta] = {}


def periodic_job(
    name: str, *, lease: timedelta = DEFAULT_LEASE
) -> Callable[[PeriodicJob], PeriodicJob]:
    def register(func: PeriodicJob) -> PeriodicJob:
        _registry[name] = func
        _leases[name] = lease
        return func

    return register


def registered_jobs() -> dict[str, PeriodicJob]:
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("periodic")
    return dict(sorted(_registry.items()))


def job_lease(name: str) -> timedelta:
    return _leases.get(name, DEFAULT_LEASE)
