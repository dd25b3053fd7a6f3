"""What makes a nervous citizen trust the site: a footer with about and contact, a privacy
notice that says what is stored and for how long (from the settings), an accessibility
statement, a sitemap a person can read and an explanation of the open data, each an editable
page that a fresh site already has (data migration)."""

import pytest
from django.conf import settings
from django.test import Client

from hotspots.info_pages import ensure_info_pages
from hotspots.models import InfoPage
from tests.factories import make_hotspot, make_organisation

pytestmark = pytest.mark.django_db

KINDS = ["about", "privacy", "accessibility", "sitemap", "open_data"]


@pytest.fixture
def client():
    return Client(HTTP_ACCEPT_LANGUAGE="da")


def test_a_fresh_site_has_the_pages_and_the_footer_links_them(client, home):
    pages = {p.kind: p for p in InfoPage.objects.live()}
    assert sorted(pages) == sorted(KINDS)
    html = client.get(home.url).content.decode()
    footer = html[html.index("<footer") :]
    for kind in KINDS:
        assert f'href="{pages[kind].url}"' in footer, kind
    assert "Oversigt over siden" in footer and "/sitemap.xml" not in footer
    assert "/api/v2/pages/" not in footer
    assert ensure_info_pages(home) == 0, "seeding again adds nothing"


def test_privacy_notice_states_the_retention_period(client, home):
    page = InfoPage.objects.get(kind="privacy")
    html = client.get(page.url).content.decode()
    days = settings.PERSONAL_DATA_RETENTION_DAYS
    assert f"{days} dage efter mødet" in html
    assert "mobilnummer" in html and "Datatilsynet" in html


def test_sitemap_lists_the_places_and_open_data_explains_the_feeds(client, home):
    organisation = make_organisation("Aarhus Kommune")
    make_hotspot(organisation, "Dokk1")
    html = client.get(InfoPage.objects.get(kind="sitemap").url).content.decode()
    assert "Aarhus Kommune" in html and "Dokk1" in html and "Tilgængelighedserklæring" in html
    html = client.get(InfoPage.objects.get(kind="open_data").url).content.decode()
    assert 'href="/api/openreferral/"' in html and "ingen personoplysninger" in html


def test_english_visitors_get_the_english_text(home):
    page = InfoPage.objects.get(kind="accessibility")
    html = Client(HTTP_ACCEPT_LANGUAGE="en").get(page.url).content.decode()
    assert "Accessibility statement" in html and "WCAG 2.2" in html
    assert "Tilgængelighedserklæring" not in html.split("<footer")[0]


def test_no_gravatar_in_the_admin():
    assert settings.WAGTAIL_GRAVATAR_PROVIDER_URL is None
