"""Meeting URLs. /m/<token>/ is short on purpose: it is sent by SMS."""

from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("moede/<int:slot_id>/", views.book, name="book"),
    path("moede/booket/<int:booking_id>/", views.done, name="done"),
    path("m/<str:token>/", views.join, name="join"),
    path("b/<str:token>/meeting-mode/", views.switch_mode, name="switch_mode"),
    path("b/<str:token>/meeting-move/", views.move, name="move"),
]
