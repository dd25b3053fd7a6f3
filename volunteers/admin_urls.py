"""The staff URLs of this app, mounted in the Wagtail admin by wagtail_hooks.py."""

from django.urls import path

from .admin_views import (
    edit_volunteer,
    invite,
    rota,
    set_need,
    volunteer_list,
)

urlpatterns = [
    path("", rota, name="rota"),
    path("people/", volunteer_list, name="volunteers"),
    path("invite/", invite, name="invite"),
    path("people/<int:volunteer_id>/<int:organisation_id>/", edit_volunteer, name="edit_volunteer"),
    path("session/<int:session_id>/need/", set_need, name="set_need"),
]
