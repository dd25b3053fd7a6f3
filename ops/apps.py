from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Operations: periodic-job records, worker heartbeats, health checks, logs and metrics.
    The lowest layer beside `config`: it imports no domain app."""

    name = "ops"
    verbose_name = _("Operations")

    def ready(self):
        from . import tasklog

        tasklog.connect()
