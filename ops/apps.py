from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Operations: periodic-job records, worker heartbeats, health checks, logs and metrics.
    The lowest layer beside `config`: it imports no domain app; domain apps register their
    metric collectors with it (ops.metrics.register_collector)."""

    name = "ops"
    verbose_name = _("Operations")

    def ready(self):
        from . import metrics, tasklog

        tasklog.connect()
        metrics.register_builtin_collectors()
