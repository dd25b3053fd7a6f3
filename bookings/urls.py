"""Citizen booking URLs. `/b/<token>/` is short on purpose: it is sent by SMS."""

from django.urls import path

from . import views

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
    path("b/<str:token>/", views.manage, name="manage"),
    path("b/<str:token>/cancel/", views.cancel, name="cancel"),
    path("b/<str:token>/move/", views.move, name="move"),
    path("b/<str:token>/mode/", views.switch_mode, name="switch_mode"),
    path("b/<str:token>/calendar.ics", views.calendar_file, name="calendar"),
]
