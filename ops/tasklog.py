"""One log line per finished task, in place of django.tasks' two (started, finished): which
task, on which queue, how it ended and how long it took. Never its arguments (ids today, but a
task's arguments are the caller's business) and never its return value."""

import logging
import sys

from django.tasks.base import TaskResultStatus
from django.tasks.signals import task_finished

logger = logging.getLogger("digihjaelp.tasks")


def log_task_finished(sender, task_result, **kwargs) -> None:
    failed = task_result.status == TaskResultStatus.FAILED
    duration_ms = None
    if task_result.started_at and task_result.finished_at:
        duration_ms = round(
            (task_result.finished_at - task_result.started_at).total_seconds() * 1000, 1
        )
    task = task_result.task
    fields = {
        "event": "task",
        "task": task.module_path,
        "queue": task.queue_name,
        "status": str(task_result.status),
        "duration_ms": duration_ms,
        "task_id": str(task_result.id),
        "attempt": len(task_result.worker_ids),
    }
    if failed and task_result.errors:
        fields["error"] = task_result.errors[-1].exception_class_path
    # The signal is sent inside the worker's exception handler: the traceback is at hand.
    exc_info = sys.exc_info() if failed and sys.exc_info()[0] else None
    logger.log(
        logging.ERROR if failed else logging.INFO,
        "task %s %s in %s ms",
        task.module_path,
        task_result.status,
        duration_ms,
        extra=fields,
        exc_info=exc_info,
    )


def connect() -> None:
    task_finished.connect(log_task_finished, dispatch_uid="ops.tasklog")
