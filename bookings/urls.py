"""Citizen booking URLs. `/b/<token>/` is short on purpose: it is sent by SMS."""

from django.urls import path

from . import manage_views, views

app_name = "bookings"

urlpatterns = [
    path("book/<int:slot_id>/", views.book, name="book"),
    path("book/done/<int:booking_id>/", views.confirmation, name="confirmation"),
    path("book/waitlist/<int:occurrence_id>/", views.waitlist, name="waitlist"),
    path(
        "book/waitlist/<int:occurrence_id>/joined/",
        views.waitlist_joined,
        name="waitlist_joined",
    ),
    path("b/<str:token>/", manage_views.manage, name="manage"),
    path("b/<str:token>/cancel/", manage_views.cancel, name="cancel"),
    path("b/<str:token>/move/", manage_views.move, name="move"),
    path("b/<str:token>/mode/", manage_views.switch_mode, name="switch_mode"),
    path("b/<str:token>/calendar.ics", manage_views.calendar_file, name="calendar"),
]
