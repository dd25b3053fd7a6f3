from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = "Caseworker meetings"

    def ready(self):
        from . import signals  # noqa: F401
