"""The staff URLs of this app, mounted in the Wagtail admin by wagtail_hooks.py."""

from django.urls import path

from .admin_views import (
    call_list_print,
    detail,
    end,
    index,
    new,
    progress,
)

urlpatterns = [
    path("", index, name="index"),
    path("new/", new, name="new"),
    path("<int:pk>/", detail, name="detail"),
    path("<int:pk>/progress.json", progress, name="progress"),
    path("<int:pk>/call-list/", call_list_print, name="call_list"),
    path("<int:pk>/end/", end, name="end"),
]
