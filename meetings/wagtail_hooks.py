"""Registration only: the staff URLs and menu items of this app (views in admin_views.py)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from hotspots.tenancy import organisations_for_user

from .admin_urls import urlpatterns as admin_urlpatterns


@hooks.register("register_admin_urls")
def register_meetings_admin_urls():
    return [path("meetings/", include((admin_urlpatterns, "meetings_admin")))]


class MeetingsMenuItem(MenuItem):
    def is_shown(self, request):
        return organisations_for_user(request.user).exists()


@hooks.register("register_admin_menu_item")
def register_meetings_menu_item():
    return MeetingsMenuItem(
        gettext_lazy("My meetings"),
        reverse("meetings_admin:day"),
        name="my-meetings",
        icon_name="group",
        order=260,
    )
