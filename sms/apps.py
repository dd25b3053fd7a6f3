from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SmsConfig(AppConfig):
    name = "sms"
    verbose_name = _("SMS")

    def ready(self):
        from bookings import registry
        from ops.metrics import register_collector

        from .metrics import SmsCollector
        from .notifications import (
            text_the_citizen,
            text_the_citizens,
            text_the_waitlist_joined,
            text_the_waitlist_offer,
        )

        registry.on_booking_event("sms", text_the_citizen)
        registry.on_bulk_booking_event("sms", text_the_citizens)
        registry.on_waitlist_offer("sms", text_the_waitlist_offer)
        registry.on_waitlist_joined("sms", text_the_waitlist_joined)
        register_collector("sms", SmsCollector())
