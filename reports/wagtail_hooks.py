from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from hotspots.tenancy import organisations_for_user

from .admin_urls import urlpatterns as admin_urlpatterns


@hooks.register("register_admin_urls")
def register_reports_admin_urls():
    return [
        path(
            "statistics/", include((admin_urlpatterns, "reports_admin"), namespace="reports_admin")
        )
    ]


class StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return organisations_for_user(request.user).exists()


@hooks.register("register_admin_menu_item")
def register_statistics_menu_item():
    return StaffMenuItem(
        _("Statistics"),
        reverse("reports_admin:dashboard"),
        name="statistics",
        icon_name="table",
        order=280,
    )


# The hotspot poster button lives here so the hotspots app's own hook module stays its
# owner's; the view itself is hotspots/posters.py.
@hooks.register("register_page_listing_more_buttons")
def hotspot_poster_listing_button(page, user, next_url=None):
    from hotspots.models import HotspotPage
    from hotspots.posters import poster_button

    if page.specific_class is HotspotPage:
        yield poster_button(page)


@hooks.register("register_page_header_buttons")
def hotspot_poster_header_button(page, user, view_name=None, next_url=None):
    from hotspots.models import HotspotPage
    from hotspots.posters import poster_button

    if page.specific_class is HotspotPage:
        yield poster_button(page)
