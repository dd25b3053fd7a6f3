"""What operators need to know about the machinery: each periodic job's lock and last run, and
which task workers are alive."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class JobOutcome(models.TextChoices):
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class PeriodicJobRecord(models.Model):
    """One row per periodic job. The row is also the job's lock: a run claims it with a
    conditional UPDATE (free, or its lease has expired), so two timers on two machines never
    run the same job at once, on SQLite and PostgreSQL alike, and a run that was killed frees
    the job when its lease runs out."""

    name = models.CharField(_("job"), max_length=64, unique=True)
    locked_until = models.DateTimeField(null=True, blank=True)
    lock_token = models.CharField(max_length=32, blank=True)
    last_started_at = models.DateTimeField(_("last started"), null=True, blank=True)
    last_finished_at = models.DateTimeField(_("last finished"), null=True, blank=True)
    last_duration = models.FloatField(_("duration (seconds)"), null=True, blank=True)
    last_outcome = models.CharField(
        _("outcome"), max_length=10, choices=JobOutcome.choices, blank=True
    )
    # The job's own one-line summary ("anonymised=3"), or the error's class and message.
    last_summary = models.CharField(_("summary"), max_length=255, blank=True)
    last_succeeded_at = models.DateTimeField(_("last succeeded"), null=True, blank=True)
    consecutive_failures = models.PositiveIntegerField(_("failures in a row"), default=0)

    class Meta:
        ordering = ["name"]
        verbose_name = _("periodic job")
        verbose_name_plural = _("periodic jobs")

    def __str__(self) -> str:
        return self.name


class WorkerHeartbeat(models.Model):
    """A running task worker writes its row every few seconds and deletes it when it stops.
    A row that stops moving is a worker that died or hangs."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    # Comma-separated, as given to `db_worker --queue-name`; "*" for every queue.
    queues = models.CharField(max_length=255)
    started_at = models.DateTimeField()
    last_seen_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["hostname", "pid"]

    def __str__(self) -> str:
        return f"{self.hostname}:{self.pid} ({self.queues})"

    def serves(self, queue: str) -> bool:
        names = self.queues.split(",")
        return "*" in names or queue in names
