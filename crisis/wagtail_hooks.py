from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from hotspots.tenancy import Role, is_staff

from .admin_urls import urlpatterns as admin_urlpatterns


@hooks.register("register_admin_urls")
def register_crisis_admin_urls():
    return [path("crisis/", include((admin_urlpatterns, "crisis_admin"), namespace="crisis_admin"))]


class CoordinatorMenuItem(MenuItem):
    def is_shown(self, request):
        return is_staff(request.user, Role.COORDINATOR)


@hooks.register("register_admin_menu_item")
def register_crisis_menu_item():
    return CoordinatorMenuItem(
        _("Crisis mode"),
        reverse("crisis_admin:index"),
        name="crisis",
        icon_name="warning",
        order=290,
    )


@hooks.register("before_serve_page")
def remember_page_for_banner(page, request, serve_args, serve_kwargs):
    # The context processor only sees the request; this tells it which page is being served.
    request.crisis_page_path = page.path
