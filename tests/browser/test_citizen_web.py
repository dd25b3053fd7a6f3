"""A nervous first-timer on a 360 x 740 phone, in Danish: searches by postcode, sees the first
result without scrolling, books in at most four screens, meets the error summary on every form,
is asked before a cancellation, and axe finds nothing. The same journey with JavaScript off.

"Screens" are counted as a person sees them: every page before the confirmation counts one
screen, plus one more for every further 740 px they must scroll to reach what they tap next.
The count is printed (pytest -s) for the record. Screenshots land in the worktree's screens/
directory (not committed) for a human to look at."""

import math

import pytest
import recurrence

from bookings.materialise import materialise_session
from bookings.models import Booking
from tests.browser.support import check_axe, screenshot
from tests.factories import make_hotspot, make_organisation, make_session, make_topic

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SCREEN = 740
PHONE = {
    "viewport": {"width": 360, "height": SCREEN},
    "is_mobile": True,
    "has_touch": True,
    "locale": "da-DK",
}


def shot(page, name):
    screenshot(page, name, full_page=False)  # the phone's first screen is the point here


@pytest.fixture
def town(home):
    """Four places around Aarhus, so the list is long, and one IT-café with times every day."""
    mitid = make_topic("MitID", "mitid")
    make_topic("Digital Post", "digital-post")
    aarhus = make_organisation("Aarhus Kommune")
    dokk1 = make_hotspot(
        aarhus,
        "Dokk1 – Borgerservice og Bibliotek",
        street_address="Hack Kampmanns Plads 2",
        postcode="8000",
        city="Aarhus C",
        latitude=56.1537,
        longitude=10.2144,
        summary="Frivillige hjælper med MitID, Digital Post og din telefon.",
        topics=[mitid],
        sms_code="4021",
    )
    for n, (postcode, city, lat) in enumerate(
        [("8200", "Aarhus N", 56.18), ("8220", "Brabrand", 56.15), ("8260", "Viby J", 56.12)]
    ):
        make_hotspot(
            aarhus,
            f"Bibliotek {city}",
            postcode=postcode,
            city=city,
            latitude=lat,
            longitude=10.15,
            topics=[mitid],
            summary="Hjælp til det digitale, hver uge.",
            sms_code=f"41{n}0",
        )
    session = make_session(
        dokk1,
        "IT-café",
        rule=recurrence.Recurrence(rrules=[recurrence.Rule(recurrence.DAILY)]),
        booking_cutoff_minutes=0,
        fixed_capacity=3,
    )
    materialise_session(session)
    return dokk1


def screens_to_reach(page, locator) -> int:
    """How many screens a person must look at on this page to reach `locator`, measured from
    where the page opened (a jump to the results counts as no effort)."""
    box = locator.bounding_box()
    bottom = box["y"] + box["height"]
    print(f"reach {bottom:.0f} px on {page.url}")
    return max(1, math.ceil(bottom / SCREEN))


def search_by_postcode(page, base):
    page.goto(base + "/")
    page.get_by_label("Postnummer eller by").fill("8000")
    page.get_by_role("button", name="Find steder").click()
    page.wait_for_url("**/?q=8000*")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_first_result_is_in_the_first_screen(live_server, browser, town, javascript):
    context = browser.new_context(java_script_enabled=javascript, **PHONE)
    page = context.new_page()
    search_by_postcode(page, live_server.url)
    first = page.locator(".hotspot-card").first
    top = first.bounding_box()["y"]
    print(f"\nfirst result's top after the search: {top:.0f} px (JavaScript {javascript})")
    assert 0 <= top < SCREEN
    assert first.get_by_role("link").first.bounding_box()["y"] < SCREEN
    assert page.evaluate("document.activeElement.id") == "results-heading"
    # The rarely used filters are folded away, and still there.
    assert page.get_by_text("Flere filtre").is_visible()
    assert not page.locator("#id_language").is_visible()
    if javascript:
        check_axe(page, "results")
    shot(page, f"results-{'js' if javascript else 'nojs'}")
    context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_home_to_booked_in_four_screens_then_cancel_asks_first(
    live_server, browser, town, javascript
):
    context = browser.new_context(java_script_enabled=javascript, **PHONE)
    page = context.new_page()
    suffix = "js" if javascript else "nojs"
    axe = javascript  # axe is JavaScript itself
    screens = 0

    page.goto(live_server.url + "/")
    screens += screens_to_reach(page, page.get_by_role("button", name="Find steder"))
    if axe:
        check_axe(page, "home")
    shot(page, f"journey-1-home-{suffix}")
    page.get_by_label("Postnummer eller by").fill("8000")
    page.get_by_label("Jeg skal have hjælp til").select_option(label="MitID")
    page.get_by_role("button", name="Find steder").click()
    page.wait_for_url("**/?q=8000*")

    place = page.get_by_role("link", name="Dokk1 – Borgerservice og Bibliotek")
    screens += screens_to_reach(page, place)
    shot(page, f"journey-2-results-{suffix}")
    place.click()
    page.wait_for_url(lambda url: "/hotspot-" in url and "topic=mitid" in url)

    first_time = page.locator("a.slot-button").first
    # The date is in the link's text for a screen reader: "tirsdag 1. december kl. 10.00, 3 ledige".
    assert " kl.\u00a0" in first_time.inner_text() or "kl." in first_time.text_content()
    screens += screens_to_reach(page, first_time)
    if axe:
        check_axe(page, "place")
    shot(page, f"journey-3-place-{suffix}")
    first_time.click()
    page.wait_for_url(lambda url: "/book/" in url and "topic=mitid" in url)

    # The topic chosen in the directory is already chosen here.
    assert page.get_by_label("Hvad skal du have hjælp til?").input_value() != ""
    book = page.get_by_role("button", name="Book", exact=True)
    screens += screens_to_reach(page, book)
    if axe:
        check_axe(page, "form")
    shot(page, f"journey-4-form-{suffix}")
    page.get_by_label("Fornavn eller kaldenavn").fill("Bodil")
    page.get_by_label("Mobilnummer").fill("20 12 34 56")
    book.click()
    page.wait_for_url("**/book/done/*/")
    assert page.get_by_role("heading", name="Du er booket").is_visible()
    if axe:
        check_axe(page, "confirmation")
    shot(page, f"journey-5-booked-{suffix}")
    print(f"\nhome → “Du er booket”: {screens} screens (JavaScript {javascript})")
    assert screens <= 4

    booking = Booking.objects.get()
    page.get_by_role("link", name="Ændr eller aflys bookingen").click()
    page.wait_for_url("**/b/*/")
    page.get_by_role("link", name="Aflys min booking").click()
    page.wait_for_url("**/b/*/cancel/")
    question = page.get_by_role("heading", level=1)
    assert question.inner_text().startswith("Vil du aflyse ")
    assert "kl." in question.inner_text() and question.inner_text().endswith("?")
    if axe:
        check_axe(page, "cancel question")
    shot(page, f"journey-6-cancel-question-{suffix}")
    booking.refresh_from_db()
    assert booking.status == "confirmed", "asking must not cancel"
    page.get_by_role("link", name="Nej, behold min tid").click()
    page.wait_for_url("**/b/*/")
    booking.refresh_from_db()
    assert booking.status == "confirmed"
    page.get_by_role("link", name="Aflys min booking").click()
    page.get_by_role("button", name="Ja, aflys").click()
    page.wait_for_url("**/b/*/")
    booking.refresh_from_db()
    assert booking.status == "cancelled"
    shot(page, f"journey-7-cancelled-{suffix}")
    context.close()


def assert_error_summary(page, *, first_link_to: str):
    assert page.title().startswith("Fejl: ")
    assert page.locator('[role="alert"]').count() == 1
    summary = page.locator("#error-summary")
    assert summary.get_by_role("heading", name="Der er et problem").is_visible()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == first_link_to


def test_error_summary_on_the_citizen_forms(live_server, browser, town):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(live_server.url + "/?q=99")
    assert page.title().startswith("Fejl: ")
    assert page.locator('[role="alert"]').count() == 1
    check_axe(page, "directory error")
    shot(page, "error-directory")

    page.goto(live_server.url + town.url)
    page.locator("a.slot-button").first.click()
    page.get_by_role("button", name="Book", exact=True).click()
    assert_error_summary(page, first_link_to="id_first_name")
    check_axe(page, "booking form errors")
    shot(page, "error-booking-form")

    page.get_by_label("Fornavn eller kaldenavn").fill("Bodil")
    page.get_by_label("Mobilnummer").fill("20 12 34 56")
    page.get_by_role("button", name="Book", exact=True).click()
    page.get_by_role("link", name="Ændr eller aflys bookingen").click()
    page.wait_for_url("**/b/*/")
    # No choice made: our own message, not the browser's English bubble.
    page.get_by_role("button", name="Flyt min booking").click()
    page.wait_for_url("**/move/")
    assert_error_summary(page, first_link_to="id_slot_0")
    check_axe(page, "move errors")
    shot(page, "error-move-form")

    page.goto(live_server.url + "/frivillig/login/")
    page.get_by_role("button").last.click()
    assert page.title().startswith("Fejl: ")
    assert page.locator('[role="alert"]').count() == 1
    check_axe(page, "volunteer login errors")
    shot(page, "error-volunteer-login")
    context.close()
