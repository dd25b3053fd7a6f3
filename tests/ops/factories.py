"""Rows of django-tasks-db's queue table, as a worker would leave them."""

from django.tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max


def task_row(*, queue="default", status=TaskResultStatus.READY, enqueued_at, **fields):
    row = DBTaskResult.objects.create(
        args_kwargs={"args": [1], "kwargs": {}},
        task_path="sms.tasks.send_message",
        queue_name=queue,
        backend_name="default",
        status=status,
        run_after=fields.pop("run_after", get_date_max()),
        **fields,
    )
    # enqueued_at is auto_now_add: set the time the test needs afterwards.
    DBTaskResult.objects.filter(pk=row.pk).update(enqueued_at=enqueued_at)
    row.refresh_from_db()
    return row
