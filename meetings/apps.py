from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = "Caseworker meetings"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import handlers, signals  # noqa: F401

        handlers.register()

        post_migrate.connect(_ensure_sqlite_overlap_triggers, sender=self)


def _ensure_sqlite_overlap_triggers(using="default", **kwargs):
    """SQLite rebuilds a table (dropping its triggers) when a later migration alters it. The
    caseworker no-overlap triggers of bookings/0003_meetings are re-created after every migrate
    so such a rebuild can never silently switch the guard off."""
    from django.db import connections

    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    from importlib import import_module

    migration = import_module("bookings.migrations.0003_meetings")
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'bookings_slot'")
        if cursor.fetchone() is None:
            return
        for sql in migration.SQLITE_FORWARD:
            cursor.execute(sql)
