"""The staff URLs of this app, mounted in the Wagtail admin by wagtail_hooks.py."""

from django.urls import path

from .admin_views import (
    _kind,
    attendance,
    day_view,
    invite,
    join,
    notice_number,
    object_edit,
    object_list,
    profile,
    switch_mode,
)

urlpatterns = [
    path("", day_view, name="day"),
    path("<int:booking_id>/attendance/", attendance, name="attendance"),
    path("<int:booking_id>/mode/", switch_mode, name="switch_mode"),
    path("<int:booking_id>/join/", join, name="join"),
    path("invite/", invite, name="invite"),
    path("me/", profile, name="profile"),
    path("me/number/", notice_number, name="notice_number"),
    path("<slug:kind>/", lambda r, kind: object_list(r, _kind(kind)), name="list"),
    path("<slug:kind>/add/", lambda r, kind: object_edit(r, _kind(kind)), name="add"),
    path(
        "<slug:kind>/<int:pk>/",
        lambda r, kind, pk: object_edit(r, _kind(kind), pk),
        name="edit",
    ),
]
