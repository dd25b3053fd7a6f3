from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookingsConfig(AppConfig):
    name = "bookings"
    verbose_name = _("Bookings")

    def ready(self):
        from ops.metrics import register_collector

        from . import signals  # noqa: F401
        from .metrics import BookingCollector

        register_collector("bookings", BookingCollector())
