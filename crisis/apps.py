from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrisisConfig(AppConfig):
    name = "crisis"
    verbose_name = _("Crisis mode")

    def ready(self):
        from bookings import registry

        from .policy import crisis_mode_policy

        registry.add_mode_policy("crisis", crisis_mode_policy)
