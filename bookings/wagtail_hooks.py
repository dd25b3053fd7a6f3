"""Registration only: the staff URLs and menu items of this app (views in admin_views.py)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from hotspots.tenancy import organisations_for_user

from .admin_urls import urlpatterns as admin_urlpatterns


@hooks.register("register_admin_urls")
def register_booking_admin_urls():
    return [path("bookings/", include((admin_urlpatterns, "bookings_admin")))]


class BookingsMenuItem(MenuItem):
    def is_shown(self, request):
        return organisations_for_user(request.user).exists()


@hooks.register("register_admin_menu_item")
def register_bookings_menu_item():
    return BookingsMenuItem(
        gettext_lazy("Bookings"),
        reverse("bookings_admin:index"),
        name="bookings",
        icon_name="date",
        order=250,
    )
