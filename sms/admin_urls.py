"""The staff URLs of this app, mounted in the Wagtail admin by wagtail_hooks.py."""

from django.urls import path

from .admin_views import access_log, booking_history, message_log, needs_person, simulator

urlpatterns = [
    path("booking/<int:booking_id>/", booking_history, name="booking_history"),
    path("access-log/", access_log, name="access_log"),
    path("needs-person/", needs_person, name="needs_person"),
    path("messages/", message_log, name="messages"),
    path("simulator/", simulator, name="simulator"),
]
