"""A citizen on a small phone finds the nearest place for their problem and sees how to book it
and how to put it in their calendar. Axe must find nothing, on a phone and on a desktop; the
screenshots (tests/browser/screenshots/directory-*.png) are for a human to look at too."""

from datetime import time

import pytest
import recurrence

from hotspots.models import Language, OpeningHours
from tests.browser.support import check_axe, screenshot
from tests.factories import make_hotspot, make_organisation, make_session, make_topic, weekly

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {
    "viewport": {"width": 360, "height": 740},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def places(home):
    mitid = make_topic("MitID", "mitid")
    bank = make_topic("Netbank og MobilePay", "netbank")
    post = make_topic("Digital Post", "digital-post")
    arabic = Language.objects.get(code="ar")
    aarhus = make_organisation("Aarhus Kommune")
    aalborg = make_organisation("Aalborg Kommune", kind="library")
    dokk1 = make_hotspot(
        aarhus,
        "Dokk1 – Borgerservice og Bibliotek",
        street_address="Hack Kampmanns Plads 2",
        postcode="8000",
        city="Aarhus C",
        latitude=56.1537,
        longitude=10.2144,
        sms_code="4021",
        phone="89 40 20 00",
        summary="Frivillige hjælper med MitID, Digital Post og din telefon.",
        directions="Stueetagen, til venstre for indgangen.",
        topics=[mitid, post, bank],
        languages=[arabic],
        step_free_access=True,
        hearing_loop=True,
    )
    gellerup = make_hotspot(
        aarhus,
        "Gellerup Bibliotek",
        street_address="Gudrunsvej 14",
        postcode="8220",
        city="Brabrand",
        latitude=56.1525,
        longitude=10.1336,
        sms_code="4022",
        topics=[bank],
    )
    nord = make_hotspot(
        aalborg,
        "Aalborg Hovedbibliotek",
        street_address="Rendsburggade 2",
        postcode="9000",
        city="Aalborg",
        latitude=57.0480,
        longitude=9.9190,
        sms_code="9001",
        topics=[mitid],
    )
    for hotspot in (dokk1, gellerup, nord):
        for day in range(5):
            OpeningHours.objects.create(
                hotspot=hotspot, weekday=day, opens=time(9), closes=time(18)
            )
    make_session(dokk1, "IT-café", rule=weekly(recurrence.TU), what_to_bring="Din telefon")
    make_session(
        dokk1, "MitID-hjælp", rule=weekly(recurrence.TH), start_time=time(14), end_time=time(16)
    )
    make_session(nord, "IT-café", rule=weekly(recurrence.WE))
    return dokk1


def snap(page, name):
    screenshot(page, f"directory-{name}")


def assert_big_tap_targets(page):
    """Buttons, fields and the main links are at least 44 px tall (WCAG 2.5.5 AAA size; we aim
    for it because many users are old and shaky)."""
    small = page.evaluate(
        """() => [...document.querySelectorAll(
              'main button, main input:not([type=checkbox]):not([type=hidden]), main select,'
              + ' main .hotspot-card__title a, header button')]
            .filter(el => el.offsetParent !== null)
            .map(el => [el.outerHTML.slice(0, 80), el.getBoundingClientRect().height])
            .filter(([, h]) => h < 44)"""
    )
    assert small == []


def test_find_a_place_on_a_small_phone(live_server, browser, places):
    context = browser.new_context(**PHONE, locale="da-DK")
    page = context.new_page()
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "da"
    check_axe(page, "directory")
    assert_big_tap_targets(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, "the page scrolls sideways on a phone"

    page.fill("input[name=q]", "8000")
    page.select_option("select[name=topic]", "mitid")
    # The rarely used filters are folded away under "Flere filtre".
    assert not page.is_visible("label[for=acc-step_free_access]")
    page.get_by_text("Flere filtre").click()
    page.click("label[for=acc-step_free_access]")
    assert page.is_checked("#acc-step_free_access")
    page.click("label[for=acc-step_free_access]")
    assert not page.is_checked("#acc-step_free_access")
    page.click("form.directory-search button[type=submit]")
    page.wait_for_url("**/?q=8000*")
    cards = page.locator(".hotspot-card__title a")
    assert cards.count() == 2  # Dokk1 and Aalborg teach MitID, Gellerup does not
    assert cards.first.inner_text().startswith("Dokk1")
    assert "km" in page.locator(".hotspot-card__address").first.inner_text()
    snap(page, "phone-results")
    check_axe(page, "directory with results")

    cards.first.click()
    # The chosen topic travels on, so the booking form can have it chosen already.
    page.wait_for_url(f"**{places.url}?topic=mitid")
    assert page.locator("h1").inner_text().startswith("Dokk1")
    sms = page.locator(".sms-box")
    assert sms.is_visible()
    assert "TID 4021" in sms.inner_text()
    calendar = page.locator(f'a[href="{places.url}kalender/"]')
    assert calendar.is_visible()
    assert page.locator("a[href^='https://www.openstreetmap.org/']").is_visible()
    snap(page, "phone-hotspot")
    check_axe(page, "hotspot page")
    assert_big_tap_targets(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    # The calendar link gives a calendar, not an error page.
    response = page.request.get(live_server.url + places.url + "kalender/")
    assert response.ok and b"BEGIN:VCALENDAR" in response.body()

    page.emulate_media(media="print")
    snap(page, "print-hotspot")
    assert not page.locator(".language-form").is_visible()
    assert page.locator(".sms-box").is_visible()
    context.close()


def test_desktop_directory_and_language_switch_without_javascript(live_server, browser, places):
    context = browser.new_context(**DESKTOP, java_script_enabled=False, locale="da-DK")
    page = context.new_page()
    page.goto(live_server.url + "/?q=Aalborg")
    assert page.locator("html").get_attribute("lang") == "da"
    assert page.locator(".hotspot-card__title a").first.inner_text() == "Aalborg Hovedbibliotek"
    snap(page, "desktop")
    with page.expect_navigation():
        page.locator(".language-form").get_by_role("link", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert "q=Aalborg" in page.url
    context.close()
    # Axe needs JavaScript; check the English page with it on.
    context = browser.new_context(**DESKTOP)
    page = context.new_page()
    page.goto(live_server.url + "/?q=Aalborg")
    check_axe(page, "desktop directory")
    page.goto(live_server.url + places.url)
    check_axe(page, "desktop hotspot")
    snap(page, "desktop-hotspot")
    context.close()
