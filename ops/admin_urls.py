"""The staff URLs of this app, mounted in the Wagtail admin by wagtail_hooks.py."""

from django.urls import path

from .admin_views import background_work

urlpatterns = [
    path("", background_work, name="background_work"),
]
