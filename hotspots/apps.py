from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HotspotsConfig(AppConfig):
    name = "hotspots"
    verbose_name = _("Hotspots")

    def ready(self):
        from django.db.models.signals import post_migrate, pre_migrate

        from config.cache import create_database_cache_tables

        from . import signals  # noqa: F401

        # Once per migrate, by the app at the bottom of the house. Before the migrations too:
        # Wagtail's data migrations save pages, which touches the page cache.
        pre_migrate.connect(create_database_cache_tables, sender=self)
        post_migrate.connect(create_database_cache_tables, sender=self)
        connect_page_cache_bumps()
        from . import frontend_cache

        frontend_cache.connect()


def connect_page_cache_bumps() -> None:
    """A publish, unpublish, move or delete, an edited snippet or image: the next anonymous
    visitor gets a fresh render (page_cache.py)."""
    from django.db.models.signals import post_delete, post_save
    from wagtail.images import get_image_model
    from wagtail.models import Page, PageViewRestriction, Site
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from .page_cache import bump_now_and_on_commit

    image_model = get_image_model()

    def changed(sender, **kwargs):
        if kwargs.get("raw"):
            return
        if sender._meta.app_label == "hotspots" or issubclass(
            sender, (Page, image_model, PageViewRestriction, Site)
        ):
            bump_now_and_on_commit()

    post_save.connect(changed, dispatch_uid="public_pages_saved", weak=False)
    post_delete.connect(changed, dispatch_uid="public_pages_deleted", weak=False)
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(
            bump_now_and_on_commit, dispatch_uid=f"public_pages_{id(signal)}", weak=False
        )
