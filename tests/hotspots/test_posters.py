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


@pytest.fixture
def busy_hotspot(home):
    from tests.hotspots.busy import make_busy_hotspot

    return make_busy_hotspot()


def _poster_pdf(client, hotspot):
    import io

    import pdfplumber

    response = client.get(
        reverse("hotspot_poster_pdf", args=[hotspot.pk]), HTTP_ACCEPT_LANGUAGE="da"
    )
    assert response.status_code == 200
    import os

    if os.environ.get("POSTER_OUT"):  # to look at it: POSTER_OUT=/tmp/poster.pdf pytest ...
        with open(os.environ["POSTER_OUT"], "wb") as out:
            out.write(response.content)
    return pdfplumber.open(io.BytesIO(response.content))


def _qr_box(page):
    """The QR code: the smallest box around all the small filled squares (its modules)."""
    modules = [r for r in page.rects if r["fill"] and r["width"] < 10 and r["height"] < 10]
    assert len(modules) > 200
    return (
        min(r["x0"] for r in modules),
        min(r["top"] for r in modules),
        max(r["x1"] for r in modules),
        max(r["bottom"] for r in modules),
    )


def _overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_poster_pdf_is_one_a4_page_with_every_fact_and_the_qr_clear_of_text(
    client, busy_hotspot, settings
):
    from datetime import time

    from hotspots.templatetags.digihjaelp import clock

    settings.SMS_PUBLIC_NUMBER = "+45 12 34 56 78"
    hotspot = busy_hotspot
    with _poster_pdf(client, hotspot) as pdf:
        assert len(pdf.pages) == 1
        page = pdf.pages[0]
        assert round(page.width / 72 * 25.4) == 210 and round(page.height / 72 * 25.4) == 297
        text = " ".join(page.extract_text().split())
        for fact in (
            "Hack Kampmanns Plads 2",
            "8000 Aarhus C",
            "Indgang fra havnesiden",
            "TID 4021",
            "+45 12 34 56 78",
            "89 40 92 00",
            "IT-café",
            "Digital Post for begyndere",
        ):
            assert fact in text, fact
        morning = f"{clock(time(8))}-{clock(time(12))}"
        lines = [
            f"{day} {morning}"
            for day in ("Mandag", "Tirsdag", "Onsdag", "Torsdag", "Fredag", "Lørdag", "Søndag")
        ]
        lines.insert(3, f"Onsdag {clock(time(14))}-{clock(time(19, 30))}")
        # Every opening-hours line, in weekday order.
        positions = [text.find(line) for line in lines]
        assert -1 not in positions, list(zip(lines, positions, strict=True))
        assert positions == sorted(positions)
        # Nothing runs off the page ("8000 Aarhu") and no letter sits under the QR code.
        qr = _qr_box(page)
        for char in page.chars:
            box = (char["x0"], char["top"], char["x1"], char["bottom"])
            assert box[0] >= 0 and box[2] <= page.width and box[3] <= page.height, char["text"]
            assert not _overlaps(box, qr), char["text"]
