"""Runs the periodic jobs (config/periodic.py) so that none can silently stop:

- every job runs even when another fails; the caller learns which failed;
- each job runs under its own lock, a row in PeriodicJobRecord claimed with a conditional UPDATE,
  so two timers (two machines, or a slow run overlapping the next) never run one job at once;
- each job's last run, duration and outcome is stored, for the admin report, the readiness check
  and the metrics.
"""

import logging
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from config.periodic import job_lease, registered_jobs

from .models import JobOutcome, PeriodicJobRecord
from .scrubbing import describe_error, scrub

logger = logging.getLogger(__name__)

SKIPPED = "skipped"


class UnknownPeriodicJob(ValueError):
    def __init__(self, unknown: list[str], known: list[str]):
        self.unknown, self.known = unknown, known
        super().__init__(
            f"Unknown periodic job(s): {', '.join(unknown)}. Known jobs: {', '.join(known)}."
        )


@dataclass(frozen=True)
class JobRun:
    name: str
    outcome: str  # JobOutcome.SUCCEEDED, JobOutcome.FAILED or SKIPPED
    summary: str
    duration: float = 0.0


@transaction.atomic
def claim_job(*, name: str, lease: timedelta, now: datetime | None = None) -> str | None:
    """The lock token if this caller may run the job now, None if another run holds it."""
    now = now or timezone.now()
    PeriodicJobRecord.objects.get_or_create(name=name)
    token = secrets.token_hex(16)
    claimed = (
        PeriodicJobRecord.objects.filter(name=name)
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lte=now))
        .update(locked_until=now + lease, lock_token=token, last_started_at=now)
    )
    return token if claimed else None


@transaction.atomic
def record_job_finished(
    *,
    name: str,
    token: str,
    duration: float,
    summary: str = "",
    error: BaseException | None = None,
    now: datetime | None = None,
) -> bool:
    """Store the outcome and free the lock. False if the lease ran out and another run has
    claimed the job since (its record wins)."""
    now = now or timezone.now()
    fields = {
        "locked_until": None,
        "lock_token": "",
        "last_finished_at": now,
        "last_duration": round(duration, 3),
    }
    if error is None:
        fields |= {
            "last_outcome": JobOutcome.SUCCEEDED,
            "last_summary": scrub(summary)[:255],
            "last_succeeded_at": now,
            "consecutive_failures": 0,
        }
    else:
        fields |= {
            "last_outcome": JobOutcome.FAILED,
            "last_summary": describe_error(error),
            "consecutive_failures": F("consecutive_failures") + 1,
        }
    return bool(PeriodicJobRecord.objects.filter(name=name, lock_token=token).update(**fields))


def _drop_broken_connection() -> None:
    """A job that broke its database connection (the server restarted) must not take the next
    jobs with it: they reconnect."""
    open_outside_a_transaction = (
        connection.connection is not None and not connection.in_atomic_block
    )
    if open_outside_a_transaction and not connection.is_usable():
        connection.close()


def run_job(*, name: str, job, now: datetime) -> JobRun:
    token = claim_job(name=name, lease=job_lease(name))
    if token is None:
        return JobRun(name, SKIPPED, "running elsewhere")
    started = time.monotonic()
    error = None
    try:
        summary = str(job(now))
    except Exception as exc:  # noqa: BLE001 - one failing job must not stop the others
        logger.exception("Periodic job %s failed", name)
        error, summary = exc, describe_error(exc)
        _drop_broken_connection()
    duration = time.monotonic() - started
    try:
        recorded = record_job_finished(
            name=name, token=token, duration=duration, summary=summary, error=error
        )
    except Exception:  # noqa: BLE001 - the lease frees the job; report and go on
        logger.exception("Could not record the outcome of periodic job %s", name)
        _drop_broken_connection()
        recorded = True
    if not recorded:
        logger.warning("Periodic job %s ran longer than its lease (%s)", name, job_lease(name))
    outcome = JobOutcome.SUCCEEDED if error is None else JobOutcome.FAILED
    return JobRun(name, outcome, summary, duration)


def run_periodic_jobs(*, only: Iterable[str] = (), now: datetime | None = None) -> list[JobRun]:
    """Run every registered job (or those named in `only`) once, in name order."""
    jobs = registered_jobs()
    only = set(only)
    unknown = sorted(only - set(jobs))
    if unknown:
        raise UnknownPeriodicJob(unknown, known=list(jobs))
    now = now or timezone.now()
    return [
        run_job(name=name, job=job, now=now)
        for name, job in jobs.items()
        if not only or name in only
    ]
