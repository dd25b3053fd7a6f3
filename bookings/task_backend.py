"""django_tasks_db's database task queue, with its task row written by a compiled-once INSERT.

Every booking confirmation enqueues its SMS send, so the enqueue is part of the busiest request
of the site; the backend's `DBTaskResult.objects.create()` compiled the same INSERT each time
(about 0.5 ms of CPU). Here the row is the same, built from the same values, and written by
bookings.precompiled.insert (save() with its INSERT compiled once, the same signals); the task
validation, the task_enqueued signal and the result handed back are the backend's own.
Settings: TASKS[…]["BACKEND"] = "bookings.task_backend.DatabaseBackend"."""

from django.db.models import Expression
from django_tasks_db.backend import DatabaseBackend as _DatabaseBackend
from django_tasks_db.compat import normalize_json, task_enqueued

from .precompiled import insert


class DatabaseBackend(_DatabaseBackend):
    def enqueue(self, task, args, kwargs):
        # As upstream, but the row's TaskResult is built once (upstream builds it for the
        # task_enqueued signal and again to return it, re-importing the task each time).
        self.validate_task(task)
        task_result = self._task_to_db_task(task, args, kwargs).task_result
        task_enqueued.send(type(self), task_result=task_result)
        return task_result

    def _task_to_db_task(self, task, args, kwargs):
        from django_tasks_db.models import DBTaskResult

        result_id = self._get_id()
        if isinstance(result_id, Expression):  # computed by the database: needs the ORM
            return super()._task_to_db_task(task, args, kwargs)
        # The fields of django_tasks_db's own DBTaskResult.objects.create().
        result = DBTaskResult(
            id=result_id,
            args_kwargs=normalize_json({"args": args, "kwargs": kwargs}),
            priority=task.priority,
            task_path=task.module_path,
            queue_name=task.queue_name,
            run_after=task.run_after,
            backend_name=self.alias,
        )
        insert(result)
        return result
