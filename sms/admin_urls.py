"""The staff URLs of this app, mounted in the Wagtail admin by wagtail_hooks.py."""

from django.urls import path

from .admin_views import message_log, needs_person, simulator

urlpatterns = [
    path("needs-person/", needs_person, name="needs_person"),
    path("messages/", message_log, name="messages"),
    path("simulator/", simulator, name="simulator"),
]
