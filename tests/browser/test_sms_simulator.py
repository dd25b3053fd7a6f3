"""The simulator in a real browser: the DEBUG-only public page (axe must find nothing) and the
staff page in the Wagtail admin. Screenshots: tests/browser/screenshots/sms-*.png."""

import pytest

from tests.browser.support import check_axe, screenshot
from tests.factories import make_organisation, make_staff_user
from tests.sms.conftest import make_bookable_session

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def browser_page(browser):
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, device_scale_factor=2, locale="en-GB"
    )
    yield context.new_page()
    context.close()


def test_public_simulator_in_debug(live_server, settings, browser_page):
    settings.DEBUG = True
    make_bookable_session(sms_code="4021")
    page = browser_page
    page.goto(f"{live_server.url}/sms/simulator/")
    page.get_by_label("Practice number").fill("70 00 00 50")
    page.get_by_label("Text message").fill("tid 4021")
    page.get_by_role("button", name="Send").click()
    page.get_by_text("Ledige tider:").wait_for()
    page.get_by_label("Text message").fill("1")
    page.get_by_role("button", name="Send").click()
    page.get_by_text("Du er booket").wait_for()
    screenshot(page, "sms-simulator-public")
    check_axe(page, "public SMS simulator")


def test_staff_simulator_and_needs_person(live_server, browser_page):
    organisation = make_organisation()
    make_bookable_session(organisation=organisation, sms_code="4021")
    user = make_staff_user(organisation, "coordinator")
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", "coordinator")
    page.fill("input[name=password]", "secret-password-1")
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/admin/sms/simulator/")
    for text in ("tid 4021", "1", "hvad er klokken", "blå bil?"):
        page.fill("input[name=text]", text)
        page.fill("input[name=phone]", "70 00 00 50")  # the simulator takes practice numbers
        page.get_by_role("button", name="Send").click()
    page.get_by_text("A staff member will call you soon").or_(
        page.get_by_text("En medarbejder ringer dig op")
    ).first.wait_for()
    screenshot(page, "sms-simulator-admin")
    page.goto(f"{live_server.url}/admin/sms/needs-person/")
    assert "+4570000050" in page.content()
    screenshot(page, "sms-needs-person")
    page.get_by_role("button", name="Mark as handled").click()
    assert "+4570000050" not in page.locator("main").inner_text()
    assert user.pk
