from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrisisConfig(AppConfig):
    name = "crisis"
    verbose_name = _("Crisis mode")

    def ready(self):
        from bookings import registry

        from .policy import crisis_mode_policy

        registry.add_mode_policy("crisis", crisis_mode_policy)

        # The banners showing now are part of every cached public page's key, so a banner
        # appears, changes and goes on the next request (hotspots/page_cache.py).
        from hotspots.page_cache import add_key_part

        from .policy import banner_fingerprint

        add_key_part("crisis", banner_fingerprint)
