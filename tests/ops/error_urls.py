"""A URL whose view fails with personal data in the error, for the Sentry test."""

from django.urls import include, path


def failing_view(request, token):
    raise ValueError("could not text +45 20 12 34 56 (bodil@example.dk)")


urlpatterns = [
    path("b/<str:token>/boom/", failing_view, name="boom"),
    path("", include("config.urls")),
]
