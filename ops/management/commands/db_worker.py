"""django-tasks-db's `db_worker`, with a heartbeat (ops/heartbeat.py) so that a worker that
died or hangs shows in the metrics and the admin. `ops` comes before `django_tasks_db` in
INSTALLED_APPS, so `manage.py db_worker` is this command; options are the library's."""

import os

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker

from ops.heartbeat import Heartbeat


class Command(db_worker.Command):
    help = "Run a database task worker that writes a heartbeat while it runs."

    def configure_logging(self, verbosity: int) -> None:
        # The library sets its loggers to INFO at the default verbosity, over the settings'
        # LOGGING (which replaces its two lines per task by one, see ops/tasklog.py).
        if verbosity != 1:
            super().configure_logging(verbosity)

    def handle(self, *args, **options):
        if options["reload"] and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true":
            # With --reload this process only watches files; its child runs the tasks.
            return super().handle(*args, **options)
        heartbeat = Heartbeat(worker_id=options["worker_id"], queues=options["queue_name"])
        heartbeat.start()
        try:
            return super().handle(*args, **options)
        finally:
            heartbeat.stop()
