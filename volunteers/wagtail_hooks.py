"""Registration only: the staff URLs and menu items of this app (views in admin_views.py)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from hotspots.tenancy import VOLUNTEER_ROLES, is_staff

from .admin_urls import urlpatterns as admin_urlpatterns


@hooks.register("register_admin_urls")
def register_volunteer_admin_urls():
    return [path("volunteers/", include((admin_urlpatterns, "volunteers_admin")))]


class CoordinatorMenuItem(MenuItem):
    def is_shown(self, request):
        return is_staff(request.user, VOLUNTEER_ROLES)


class CoordinatorSubmenu(SubmenuMenuItem):
    def is_shown(self, request):
        return is_staff(request.user, VOLUNTEER_ROLES)


@hooks.register("register_admin_menu_item")
def register_volunteers_menu():
    submenu = Menu(
        items=[
            CoordinatorMenuItem(
                gettext_lazy("Rota"), reverse("volunteers_admin:rota"), icon_name="date", order=1
            ),
            CoordinatorMenuItem(
                gettext_lazy("Volunteers"),
                reverse("volunteers_admin:volunteers"),
                icon_name="user",
                order=2,
            ),
            CoordinatorMenuItem(
                gettext_lazy("Invite a volunteer"),
                reverse("volunteers_admin:invite"),
                icon_name="plus",
                order=3,
            ),
        ]
    )
    return CoordinatorSubmenu(
        gettext_lazy("Volunteers"), submenu, name="volunteers", icon_name="group", order=260
    )
