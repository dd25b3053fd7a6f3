"""The Content-Security-Policy breaks nothing: citizens' pages (scripts and styles in files)
and the Wagtail admin (its own, looser policy) load in chromium without one violation, and the
scripts still run. An administrator finds the background-work report under Reports."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from bookings.selectors import bookable_slots
from ops.models import PeriodicJobRecord
from tests.bookings.web.conftest import make_booked_session
from tests.factories import make_hotspot, make_organisation

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def site(home):
    hotspot = make_hotspot(make_organisation("Aarhus Kommune"), "Dokk1", sms_code="4021")
    slot = bookable_slots(session=make_booked_session(hotspot))[0]
    get_user_model().objects.create_superuser("root", "root@example.invalid", "pw-for-tests-1")
    PeriodicJobRecord.objects.create(
        name="materialise",
        last_outcome="failed",
        last_summary="OperationalError: database is locked",
        consecutive_failures=2,
    )
    return hotspot, slot


def open_watched(browser):
    """A page that records every CSP violation and every script error it meets."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    violations, script_errors = [], []

    def on_console(message):
        if "Content Security Policy" in message.text:
            violations.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: script_errors.append(str(error)))
    return context, page, violations, script_errors


def test_citizen_pages_load_without_violations(live_server, browser, site):
    hotspot, slot = site
    context, page, violations, script_errors = open_watched(browser)
    for path in (
        "/",
        hotspot.url,
        reverse("bookings:book", args=[slot.pk]),
        reverse("hotspot_poster", args=[hotspot.pk]),
    ):
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        # The stylesheets applied (a blocked one would leave the browser's default font).
        assert page.evaluate("getComputedStyle(document.body).fontFamily") != "Times New Roman"
    # The poster's print button is wired by a script file: it runs.
    page.evaluate("window.print = () => { window.printed = true; }")
    page.get_by_role("button", name="Print the poster").click()
    assert page.evaluate("window.printed") is True
    assert violations == [] and script_errors == []
    context.close()


def test_the_admin_loads_without_violations(live_server, browser, site):
    hotspot, slot = site
    context, page, violations, _script_errors = open_watched(browser)
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "root")
    page.fill("#id_password", "pw-for-tests-1")
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")
    for path in (
        reverse("wagtailadmin_pages:edit", args=[hotspot.pk]),
        reverse("wagtailadmin_explore", args=[hotspot.get_parent().pk]),
        reverse("wagtailadmin_pages:edit", args=[slot.occurrence.session.pk]),
        reverse("sms_admin:simulator"),
        reverse("reports_admin:dashboard"),
    ):
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
    # The administrator opens the report from the Reports menu.
    page.goto(live_server.url + "/admin/")
    page.get_by_role("button", name="Reports").click()
    page.get_by_role("link", name="Background work").click()
    page.wait_for_url("**/admin/background-work/")
    assert page.get_by_role("heading", name="Periodic jobs").is_visible()
    assert page.get_by_text("OperationalError: database is locked").is_visible()
    assert page.get_by_text("2 times in a row").is_visible()
    page.wait_for_load_state("networkidle")
    # Script errors are not counted here: the session editor's date fields fail with
    # "initDateTimeChooser is not defined" with or without a policy (a separate bug).
    assert violations == []
    context.close()
