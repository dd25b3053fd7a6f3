from django.conf import settings
from django.urls import path

from . import admin_views, views

app_name = "sms"

urlpatterns = [
    path("twilio/inbound/", views.twilio_inbound, name="twilio_inbound"),
    path("twilio/status/", views.twilio_status, name="twilio_status"),
]

if settings.DEBUG:
    # Open without login on a developer's machine, for demos; staff use the admin one.
    urlpatterns += [path("simulator/", admin_views.public_simulator, name="simulator")]
