"""Security headers: a Content-Security-Policy that lets citizens' pages run only our own files
(no inline script or style), a looser one for the Wagtail admin, and the language cookie
marked Secure in production. tests/browser/test_csp.py checks that the pages still work."""

import re

import pytest
from django.urls import reverse

from .processes import PRODUCTION_ENV, django_shell

pytestmark = pytest.mark.django_db


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = (part.strip().split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in directives}


def test_citizen_pages_allow_only_our_own_files(client, slot):
    from tests.bookings.web.test_journey import book_url

    hotspot = slot.occurrence.session.get_parent()
    pages = ("/", hotspot.url, book_url(slot), reverse("hotspot_poster", args=[hotspot.pk]))
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        csp = policy(response)
        assert csp["script-src"] == ["'self'"], url
        assert csp["style-src"] == ["'self'"], url
        assert csp["default-src"] == ["'self'"] and csp["object-src"] == ["'none'"]
        assert csp["frame-ancestors"] == ["'none'"] and csp["form-action"] == ["'self'"]
        html = response.content.decode()
        # What the policy would block: inline scripts (JSON-LD is data, not run) and style
        # attributes or blocks.
        assert not re.search(r"<script(?![^>]*\b(src=|type=\"application/ld\+json))", html), url
        assert " style=" not in html and "<style" not in html, url


def test_the_admin_has_its_own_policy(admin_client):
    csp = policy(admin_client.get(reverse("wagtailadmin_home")))
    assert "'unsafe-inline'" in csp["script-src"]  # Wagtail's widgets write inline scripts
    assert csp["frame-ancestors"] == ["'self'"]  # page previews are drawn in an iframe
    assert csp["object-src"] == ["'none'"]


def test_the_video_join_page_may_send_the_citizen_on_to_the_provider(client):
    # The join form answers with a redirect to the video provider, which browsers check
    # against form-action: the one page that allows it.
    response = client.get(reverse("meetings:join", args=["no-such-token"]))
    assert response.status_code == 404
    assert policy(response)["form-action"] == ["'self'", "https:"]


@pytest.mark.slow
def test_the_language_cookie_is_secure_in_production():
    code = (
        "from django.test import Client; "
        "r = Client().get('/sprog/en/', {'next': '/'}, secure=True, "
        "HTTP_HOST='digihjaelp.example'); "
        "c = r.cookies['django_language']; print(r.status_code, c['secure'], c['httponly'])"
    )
    result = django_shell("config.settings.production", code, **PRODUCTION_ENV)
    assert result.stdout.split() == ["302", "True", "True"]
