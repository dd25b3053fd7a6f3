"""Registry of periodic jobs run by `manage.py runperiodic` (cron or a systemd timer calls it
every few minutes). Each app declares its jobs in its own `periodic.py`; jobs must be idempotent
because a run can be repeated or overlap with the previous one."""

from collections.abc import Callable
from datetime import datetime

PeriodicJob = Callable[[datetime], str]

_registry: dict[str, PeriodicJob] = {}


def periodic_job(name: str) -> Callable[[PeriodicJob], PeriodicJob]:
    def register(func: PeriodicJob) -> PeriodicJob:
        _registry[name] = func
        return func

    return register


def registered_jobs() -> dict[str, PeriodicJob]:
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("periodic")
    return dict(sorted(_registry.items()))
