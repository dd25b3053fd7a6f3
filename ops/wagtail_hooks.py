from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .admin_urls import urlpatterns as admin_urlpatterns


@hooks.register("register_admin_urls")
def register_ops_admin_urls():
    return [
        path(
            "background-work/",
            include((admin_urlpatterns, "ops_admin"), namespace="ops_admin"),
        )
    ]


class SuperuserMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser


@hooks.register("register_reports_menu_item")
def register_background_work_menu_item():
    return SuperuserMenuItem(
        _("Background work"),
        reverse("ops_admin:background_work"),
        name="background-work",
        icon_name="cogs",
        order=900,
    )
