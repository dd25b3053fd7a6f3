from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HotspotsConfig(AppConfig):
    name = "hotspots"
    verbose_name = _("Hotspots")

    def ready(self):
        from django.db.models.signals import post_migrate

        from config.cache import create_database_cache_tables

        from . import signals  # noqa: F401

        # Once per migrate, by the app at the bottom of the house.
        post_migrate.connect(create_database_cache_tables, sender=self)
