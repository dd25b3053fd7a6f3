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

        # Seats and times show on the public pages: a booking, cancellation or move, or a
        # crisis switch, makes the next visitor's page fresh (hotspots/page_cache.py).
        from hotspots.page_cache import bump_now_and_on_commit, bump_on_commit

        from . import registry

        registry.on_booking_event("public_pages", bump_on_commit)
        registry.on_bulk_booking_event("public_pages", bump_on_commit)
        from django.db.models.signals import post_delete, post_save

        from .models import Occurrence, Slot

        for model in (Occurrence, Slot):  # times added one by one (caseworkers' availability)
            post_save.connect(
                bump_now_and_on_commit, sender=model, dispatch_uid=f"public_pages_{model}"
            )
            post_delete.connect(
                bump_now_and_on_commit, sender=model, dispatch_uid=f"public_pages_d{model}"
            )
