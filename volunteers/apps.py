from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    name = "volunteers"
    verbose_name = _("Volunteers")

    def ready(self):
        from bookings import registry as engine
        from sms import registry as channel

        from .selectors import on_shift_counts
        from .services import accept_callout, accept_invitation

        # Capacity "per volunteer" follows who is on shift; a volunteer's JA to a call-out is
        # answered before the waiting list's.
        engine.add_capacity_counter("volunteers", on_shift_counts)
        channel.on_yes(
            "volunteers.callout",
            lambda *, phone, now: accept_callout(phone=phone, now=now) is not None,
        )
        # An invitation to one more organisation: she joins only by answering JA.
        channel.on_yes(
            "volunteers.invitation",
            lambda *, phone, now: bool(accept_invitation(phone=phone, now=now)),
        )
