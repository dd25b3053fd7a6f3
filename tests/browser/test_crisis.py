"""A coordinator runs a crisis action from the admin and watches the SMS go out; the public
page shows the banner and passes axe. Screenshots of the progress page, the statistics
dashboard and a hotspot poster go to tests/browser/screenshots/.

The task backend is a dummy here, so the test drives the work a worker would do: it applies
the action, then hands the texts to the SMS outbox one by one (locmem backend) while the
progress bar, polled by the page's JavaScript, moves to the end."""

import time

import pytest
from playwright.sync_api import expect

import sms
from bookings.materialise import materialise_session
from bookings.selectors import bookable_slots
from bookings.services import book_slot
from tests.browser.support import check_axe, screenshot
from tests.factories import make_hotspot, make_organisation, make_session, make_staff_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "secret-password-1"


@pytest.fixture
def world(home, settings):
    settings.TASKS = {
        "default": {
            "BACKEND": "django.tasks.backends.dummy.DummyBackend",
            "QUEUES": ["interactive", "default", "bulk"],
        }
    }
    settings.SMS_BACKEND = "sms.backends.locmem.SmsBackend"
    sms.outbox = []
    organisation = make_organisation("Aarhus Kommune")
    hotspot = make_hotspot(organisation, "Dokk1", sms_code="4021")
    session = make_session(hotspot, "IT-café", fixed_capacity=4, offers_video=True)
    materialise_session(session)
    # Times a citizen may still book: on the café's own day the first ones are past the cut-off.
    slots = bookable_slots(session=session, limit=3)
    for i in range(6):
        book_slot(
            slot_id=slots[i % 3].pk,
            first_name=f"Borger {i}",
            phone=f"2012345{i}",
            channel=("sms", "web", "staff")[i % 3],
        )
    book_slot(slot_id=slots[0].pk, first_name="Uden mobil", phone="", channel="staff")
    coordinator = make_staff_user(organisation, "koordinator", role="coordinators_group")
    return {"organisation": organisation, "hotspot": hotspot, "coordinator": coordinator}


def snap(page, name):
    screenshot(page, f"crisis-{name}")


def test_crisis_action_from_the_admin(live_server, browser, world):

    from crisis.models import CrisisAction
    from crisis.selectors import crisis_messages
    from crisis.services import apply_crisis_action
    from sms.services import deliver_message

    context = browser.new_context(locale="en-GB", viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", "koordinator")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")

    page.get_by_role("link", name="Crisis mode").first.click()
    page.get_by_role("link", name="New crisis action").click()
    page.select_option("select[name=template]", "to_video")
    page.get_by_role("button", name="Use this text").click()
    message = page.locator("textarea[name=message]")
    assert "videomøde" in message.input_value()
    message.fill(message.input_value() + " Hilsen Dokk1")
    counter = page.locator("#crisis-segments")
    assert "SMS" in counter.inner_text()  # the JavaScript counter answered the typing
    page.get_by_role("button", name="Preview: who is affected").click()
    assert page.locator('[data-count="bookings"]').inner_text() == "7"
    assert page.locator('[data-count="phones"]').inner_text() == "6"
    assert page.locator('[data-count="no_phone"]').inner_text() == "1"
    snap(page, "preview")
    page.get_by_role("button", name="Start the crisis action").click()
    page.wait_for_url("**/admin/crisis/*/")

    action = CrisisAction.objects.get()
    assert action.status == "pending"
    progress = page.locator("#crisis-progress")
    assert progress.get_attribute("value") == "0"

    # What the worker does: apply (one transaction), then send at the provider's pace.
    apply_crisis_action(action_id=action.pk)
    ids = list(crisis_messages(CrisisAction.objects.get()).values_list("pk", flat=True))
    assert len(ids) == 6
    seen = set()
    for message_id in ids:
        deliver_message(message_id=message_id)
        time.sleep(0.4)
        seen.add(progress.get_attribute("value"))
    # Not wait_for_function("…"): a string predicate is eval'd in the page, which the admin's
    # Content-Security-Policy (rightly) forbids.
    expect(page.locator("#crisis-progress")).to_have_js_property("value", 100, timeout=15000)
    assert len(seen) > 1  # it moved while we watched, without a reload
    page.locator('[data-progress="done_text"]').wait_for(state="visible")
    assert page.locator('[data-progress="sent"]').inner_text() == "6"
    assert len(sms.outbox) == 6
    page.get_by_role("link", name="Show the final report").click()
    # The link reloads the page; wait for the report's table rather than racing the navigation.
    expect(page.locator('tr[data-reason="no_phone"]')).to_have_count(1)
    snap(page, "report")

    public = context.new_page()
    public.goto(f"{live_server.url}{world['hotspot'].url}")
    banner = public.locator(".crisis-banner")
    assert "videomøde" in banner.inner_text()
    check_axe(public, "public banner")
    public.set_viewport_size({"width": 375, "height": 800})
    snap(public, "public-banner")
    # Choosing a time there keeps the banner in sight on the booking form.
    public.locator("a[href^='/book/']").first.click()
    expect(public.locator(".crisis-banner")).to_contain_text("videomøde")
    check_axe(public, "booking form with banner")
    snap(public, "booking-form-banner")

    page.goto(f"{live_server.url}/admin/statistics/")
    assert page.locator('[data-stat="bookings"]').inner_text() == "7"
    snap(page, "dashboard")

    poster = context.new_page()
    poster.goto(f"{live_server.url}/plakat/{world['hotspot'].pk}/")
    assert "TID 4021" in poster.locator("[data-sms-instruction]").inner_text()
    assert poster.locator("svg.poster-qr").count() == 1
    poster.emulate_media(media="print")
    snap(poster, "poster")
    context.close()
