"""The volunteer portal at /frivillig/ (Danish first: the volunteers are Danish retirees)."""

from django.urls import path

from . import views

app_name = "volunteers"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.login_phone, name="login"),
    path("login/code/", views.login_code, name="login_code"),
    path("login/password/", views.login_password, name="login_password"),
    path("logout/", views.logout, name="logout"),
    path("sessions/", views.sessions, name="sessions"),
    path("take/<int:occurrence_id>/", views.take, name="take"),
    path("shift/<int:shift_id>/", views.shift_detail, name="shift"),
    path("shift/<int:shift_id>/drop/", views.drop, name="drop"),
    path(
        "shift/<int:shift_id>/booking/<int:booking_id>/",
        views.mark_booking,
        name="mark_booking",
    ),
    path(
        "shift/<int:shift_id>/booking/<int:booking_id>/video/",
        views.host_video,
        name="host_video",
    ),
    path("shift/<int:shift_id>/walk-in/", views.walk_in, name="walk_in"),
    path("weekly/<int:series_id>/stop/", views.stop_weekly, name="stop_weekly"),
    path("password/", views.set_password, name="set_password"),
    path("hours/", views.hours, name="hours"),
    path("hours.csv", views.hours_csv, name="hours_csv"),
]
