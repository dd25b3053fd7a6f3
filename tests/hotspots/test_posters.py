import pytest
from django.urls import reverse

from hotspots.models import Language
from tests.factories import make_hotspot, make_organisation, make_session, make_staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def hotspot(home):
    organisation = make_organisation("Aarhus Kommune")
    arabic, _ = Language.objects.get_or_create(
        code="ar", defaults={"name": "Arabisk", "name_en": "Arabic"}
    )
    hotspot = make_hotspot(organisation, "Hovedbiblioteket", sms_code="4021", languages=[arabic])
    make_session(hotspot, "IT-café")
    return hotspot


def _poster_css() -> str:
    from pathlib import Path

    from django.contrib.staticfiles import finders

    return Path(finders.find("css/poster.css")).read_text()


def test_poster_has_the_sms_instruction_qr_code_and_facts(client, hotspot, settings):
    settings.SMS_PUBLIC_NUMBER = "1234 5678"
    response = client.get(reverse("hotspot_poster", args=[hotspot.pk]), HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200
    # Printed on A4 by its own stylesheet (a file: the CSP allows no inline style).
    assert "/static/css/poster.css" in html and "<style" not in html
    assert "@page" in _poster_css() and "A4" in _poster_css()
    assert ">TID 4021<" in html and ">1234 5678<" in html
    assert "Send" in html
    assert '<svg role="img"' in html and "poster-qr" in html and "<path" in html
    assert hotspot.street_address in html and "Hovedbiblioteket" in html
    assert "Arabic" in html
    assert "https://digihjaelp.example/" in html  # the QR target, written out


def test_the_qr_code_encodes_the_hotspot_page(client, hotspot):
    from hotspots.posters import qr_svg

    assert qr_svg("https://digihjaelp.example/x/", label="x").startswith('<svg role="img"')


def test_draft_posters_only_for_the_organisation_staff(client, hotspot):
    hotspot.unpublish()
    url = reverse("hotspot_poster", args=[hotspot.pk])
    assert client.get(url).status_code == 404
    client.force_login(make_staff_user(hotspot.organisation))
    assert client.get(url).status_code == 200
    other = make_staff_user(make_organisation("Odense"))
    client.force_login(other)
    assert client.get(url).status_code == 404


def test_the_hotspot_admin_links_to_the_poster(client, hotspot):
    client.force_login(make_staff_user(hotspot.organisation))
    response = client.get(reverse("wagtailadmin_pages:edit", args=[hotspot.pk]))
    assert reverse("hotspot_poster", args=[hotspot.pk]) in response.content.decode()


def test_poster_as_pdf(client, hotspot):
    response = client.get(reverse("hotspot_poster_pdf", args=[hotspot.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response.content.count(b"/Type /Page\n") + response.content.count(b"/Type /Page ") >= 1
    assert len(response.content) > 2000  # text and about a thousand QR modules
