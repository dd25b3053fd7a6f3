"""The catalogues work on real pages: the directory, a hotspot page, the booking form and the
404 page, served in each of the six newer citizen languages, speak that language (and the
translations' placeholders fill in without error, which a broken `%(name)s` would not).

The languages are switched on here with override_settings, so this holds whatever the
settings offer; the language menu and <html dir> are tested with the settings themselves."""

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from bookings.selectors import bookable_slots
from tests.bookings.web.conftest import make_booked_session
from tests.factories import make_hotspot, make_organisation, make_topic

from .test_catalogues import LANGUAGES

pytestmark = pytest.mark.django_db

ALL_LANGUAGES = [*settings.LANGUAGES] + [
    (code, code) for code in LANGUAGES if code not in dict(settings.LANGUAGES)
]


def _in(language: str, message: str) -> str:
    with translation.override(language):
        return translation.gettext(message)


@pytest.fixture
def booked_session(home):
    hotspot = make_hotspot(
        make_organisation("Aarhus Kommune"), "Dokk1", topics=[make_topic("MitID")]
    )
    return hotspot, make_booked_session(hotspot)


@pytest.mark.parametrize("language", LANGUAGES)
def test_citizen_pages_are_served_in_the_language(language, home, booked_session):
    hotspot, session = booked_session
    slot = bookable_slots(session=session)[0]
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    pages = {
        home.url: "Find a place",
        hotspot.url: "Book a time",
        reverse("bookings:book", args=[slot.pk]): "First name or nickname",
        "/no-such-page/": "We could not find that page",
    }
    with override_settings(LANGUAGES=ALL_LANGUAGES):
        for url, message in pages.items():
            response = client.get(url)
            html = response.content.decode()
            assert response.status_code == (404 if url.startswith("/no-") else 200), url
            translated = _in(language, message)
            assert translated != message, f"{language} has no translation of {message!r}"
            assert escape(translated) in html, f"{url} in {language} lacks {translated!r}"
            assert f'lang="{language}"' in html, url
