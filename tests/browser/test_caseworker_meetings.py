"""A caseworker on a phone opens "My meetings" on a day without meetings: the next days' meetings
are there, and, having no notification number yet, she is asked for one and gives it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bookings.services import book_slot
from meetings.models import CaseworkerProfile, MeetingLocation
from meetings.selectors import bookable_meeting_slots
from tests.browser.support import check_axe, screenshot
from tests.factories import make_organisation
from tests.meetings.conftest import open_daily_service

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def anna(home, settings):
    settings.VIDEO_PROVIDER = "fake"
    organisation = make_organisation("Aarhus Kommune")
    location = MeetingLocation.objects.create(
        organisation=organisation, name="Jobcenter", address="Værkmestergade 1"
    )
    service = open_daily_service(organisation, location=location)
    anna = service.anna
    tomorrow = timezone.localdate() + timedelta(days=1)
    slot = next(
        s
        for s in bookable_meeting_slots(service=service)
        if timezone.localdate(s.starts_at) > tomorrow
    )
    book_slot(slot_id=slot.pk, first_name="Karin", phone="+4520304050", channel="web", mode="phone")
    return anna


def test_caseworker_sees_the_coming_days_and_gives_her_number(live_server, browser, anna):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="da-DK")
    page = context.new_page()
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", anna.username)
    page.fill("#id_password", "secret-password-1")
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")
    page.goto(live_server.url + "/admin/meetings/")
    assert page.get_by_text("Ingen møder denne dag.").is_visible()
    assert "Karin" in page.inner_text("#upcoming-heading + h3 + ul")
    prompt = page.locator("section[aria-labelledby=notice-number-heading]")
    assert prompt.is_visible()
    screenshot(page, "caseworker-my-meetings")
    check_axe(page, "my meetings")

    page.get_by_role("textbox", name="Dit mobilnummer til beskeder").fill("20 99 88 77")
    page.get_by_role("button", name="Gem nummeret").click()
    page.wait_for_url("**/admin/meetings/")
    assert not page.locator("section[aria-labelledby=notice-number-heading]").count()
    assert CaseworkerProfile.objects.get(user=anna).phone == "+4520998877"
    context.close()
