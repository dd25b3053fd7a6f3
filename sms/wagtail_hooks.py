"""Registration only: the SMS menu (texts a person must answer, the message log, the simulator)
and its staff URLs (views in admin_views.py)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from .admin_urls import urlpatterns as admin_urlpatterns


@hooks.register("register_admin_urls")
def register_sms_admin_urls():
    return [path("sms/", include((admin_urlpatterns, "sms_admin"), namespace="sms_admin"))]


def _staff_only(request) -> bool:
    from hotspots.tenancy import is_staff

    return is_staff(request.user)


class StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return _staff_only(request)


sms_menu = Menu(
    register_hook_name="register_sms_menu_item",
    construct_hook_name="construct_sms_menu",
)


@hooks.register("register_sms_menu_item")
def needs_person_item():
    return StaffMenuItem(
        _("SMS that need a person"),
        reverse("sms_admin:needs_person"),
        icon_name="warning",
        order=100,
    )


@hooks.register("register_sms_menu_item")
def messages_item():
    return StaffMenuItem(
        _("SMS messages"), reverse("sms_admin:messages"), icon_name="list-ul", order=200
    )


@hooks.register("register_sms_menu_item")
def simulator_item():
    return StaffMenuItem(
        _("SMS simulator"), reverse("sms_admin:simulator"), icon_name="mail", order=300
    )


class SuperuserMenuItem(MenuItem):
    def is_shown(self, request):
        from hotspots.tenancy import acts_for_every_organisation

        return acts_for_every_organisation(request.user)


@hooks.register("register_sms_menu_item")
def access_log_item():
    return SuperuserMenuItem(
        _("Looks at SMS histories"), reverse("sms_admin:access_log"), icon_name="view", order=400
    )


class StaffSubmenuMenuItem(SubmenuMenuItem):
    def is_shown(self, request):
        return _staff_only(request)


@hooks.register("register_admin_menu_item")
def sms_menu_item():
    return StaffSubmenuMenuItem(_("SMS"), sms_menu, icon_name="mail", order=450)
