"""The staff URLs of this app, mounted in the Wagtail admin by wagtail_hooks.py."""

from django.urls import path

from .admin_views import (
    book_for_citizen,
    booking_list,
    cancel_booking,
    choose_slot,
    day_list_csv,
    day_list_print,
    mark_attendance,
)

urlpatterns = [
    path("", booking_list, name="index"),
    path("<int:booking_id>/attendance/", mark_attendance, name="mark_attendance"),
    path("<int:booking_id>/cancel/", cancel_booking, name="cancel"),
    path("new/", choose_slot, name="choose_slot"),
    path("new/<int:slot_id>/", book_for_citizen, name="book"),
    path("day/<str:day>/csv/", day_list_csv, name="day_csv"),
    path("day/<str:day>/print/", day_list_print, name="day_print"),
]
