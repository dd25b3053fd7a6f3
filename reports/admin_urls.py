"""The staff URLs of this app, mounted in the Wagtail admin by wagtail_hooks.py."""

from django.urls import path

from .admin_views import (
    dashboard,
    export_csv,
)

urlpatterns = [
    path("", dashboard, name="dashboard"),
    path("statistics.csv", export_csv, name="csv"),
]
