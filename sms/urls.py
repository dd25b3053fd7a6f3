from django.urls import path

from . import admin_views, views

app_name = "sms"

urlpatterns = [
    path("twilio/inbound/", views.twilio_inbound, name="twilio_inbound"),
    path("twilio/status/", views.twilio_status, name="twilio_status"),
    # Open without login, but only when DEBUG is on (the view answers 404 otherwise): for demos
    # on a developer's machine. Staff use the one in the admin.
    path("simulator/", admin_views.public_simulator, name="simulator"),
]
