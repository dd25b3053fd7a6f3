"""The manage page at /b/<token>/: GET only shows, every change is a POST with CSRF; unknown
tokens get a kind 404; failed look-ups and booking POSTs are rate-limited per client address."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from bookings.models import Booking, BookingEvent, Slot
from bookings.selectors import bookable_slots
from hotspots.templatetags.digihjaelp import clock, day
from tests.shared_rows import module_rows, per_test

from .conftest import form_data, make_booked_session, make_web_session_chain, remembered_token

pytestmark = pytest.mark.django_db

# The conftest's session and its chain, built once for this module's tests and rolled back to
# after each (tests/shared_rows.py).
_shared_session = module_rows("_shared_session", make_web_session_chain)


@pytest.fixture
def session(_shared_session, home):
    return per_test(_shared_session)


def book(client, slot, **overrides):
    response = client.post(reverse("bookings:book", args=[slot.pk]), form_data(**overrides))
    assert response.status_code == 302, response.content.decode()[:2000]
    booking = Booking.objects.latest("pk")
    return booking, remembered_token(client, booking)


def snapshot(booking):
    booking.refresh_from_db()
    slot = Slot.objects.get(pk=booking.slot_id)
    return (
        booking.status,
        booking.slot_id,
        booking.mode,
        booking.updated_at,
        slot.booked,
        BookingEvent.objects.filter(booking=booking).count(),
    )


def test_get_shows_the_booking_and_changes_nothing(client, slot):
    booking, token = book(client, slot)
    before = snapshot(booking)
    for url in ("manage", "calendar"):
        response = client.get(reverse(f"bookings:{url}", args=[token]))
        assert response.status_code == 200
    html = client.get(reverse("bookings:manage", args=[token])).content.decode()
    assert booking.reference in html and "Cancel my booking" in html
    assert snapshot(booking) == before


@pytest.mark.parametrize("action", ["move", "switch_mode"])
def test_changes_refuse_get(client, slot, action):
    booking, token = book(client, slot)
    before = snapshot(booking)
    assert client.get(reverse(f"bookings:{action}", args=[token])).status_code == 405
    assert snapshot(booking) == before


def test_cancelling_asks_first_with_the_day_and_time(client, slot):
    """The manage page's cancel button leads to a question naming the day and time, with a
    way back; only the answer (a POST) cancels."""
    booking, token = book(client, slot)
    before = snapshot(booking)
    manage_html = client.get(reverse("bookings:manage", args=[token])).content.decode()
    cancel_url = reverse("bookings:cancel", args=[token])
    assert f'href="{cancel_url}"' in manage_html
    response = client.get(cancel_url)
    html = response.content.decode()
    assert response.status_code == 200
    # The views use the real clock: the expected words come from the slot's own time.
    with translation.override("en"):
        when = f"{day(slot.starts_at)} at {clock(slot.starts_at)}"
    with translation.override("da"):
        naar = f"{day(slot.starts_at)} kl.\u00a0{clock(slot.starts_at)}"
    assert re.fullmatch(r"[A-Z][a-z]+day \d{1,2} [A-Z][a-z]+ at \d{1,2}:\d\d", when), when
    assert f"Do you want to cancel {when}?" in html
    assert f'href="{reverse("bookings:manage", args=[token])}"' in html
    assert "No, keep my booking" in html
    assert snapshot(booking) == before
    with translation.override("da"):
        html = Client(HTTP_ACCEPT_LANGUAGE="da").get(cancel_url).content.decode()
    assert re.fullmatch(r"[a-zæø]+dag \d{1,2}\. [a-z]+ kl\.\u00a0\d{1,2}\.\d\d", naar), naar
    assert f"Vil du aflyse {naar}?" in html
    client.post(cancel_url)
    booking.refresh_from_db()
    assert booking.status == "cancelled"


def test_changes_need_the_csrf_token(slot):
    client = Client(HTTP_ACCEPT_LANGUAGE="en", enforce_csrf_checks=True)
    page = client.get(reverse("bookings:book", args=[slot.pk]))
    csrf = page.context["csrf_token"]
    response = client.post(
        reverse("bookings:book", args=[slot.pk]), form_data(csrfmiddlewaretoken=str(csrf))
    )
    assert response.status_code == 302
    booking = Booking.objects.get()
    token = remembered_token(client, booking)
    assert client.post(reverse("bookings:cancel", args=[token])).status_code == 403
    assert Booking.objects.get().status == "confirmed"


def test_post_cancel(client, slot, sms_outbox, django_capture_on_commit_callbacks):
    booking, token = book(client, slot)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("bookings:cancel", args=[token]), follow=True)
    booking.refresh_from_db()
    assert booking.status == "cancelled" and booking.cancelled_by == "citizen"
    assert Slot.objects.get(pk=slot.pk).booked == 0
    html = response.content.decode()
    assert "Your booking is cancelled" in html
    assert "Cancel my booking" not in html  # nothing left to change
    assert sms_outbox and sms_outbox[-1].to == "+4520123456"
    # Cancelling twice is refused kindly, not a server error.
    assert client.post(reverse("bookings:cancel", args=[token]), follow=True).status_code == 200


def test_post_move(client, session, slot):
    booking, token = book(client, slot)
    target = [s for s in bookable_slots(session=session) if s.pk != slot.pk][0]
    html = client.get(reverse("bookings:manage", args=[token])).content.decode()
    assert f'value="{target.pk}"' in html
    response = client.post(reverse("bookings:move", args=[token]), {"slot": target.pk})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.slot_id == target.pk
    assert Slot.objects.get(pk=slot.pk).booked == 0
    assert Slot.objects.get(pk=target.pk).booked == 1


def test_move_to_an_unknown_slot_is_refused(client, slot):
    booking, token = book(client, slot)
    response = client.post(reverse("bookings:move", args=[token]), {"slot": 999999}, follow=True)
    assert "That time is no longer free. Please choose another time." in response.content.decode()
    booking.refresh_from_db()
    assert booking.slot_id == slot.pk


def test_post_switch_mode(client, hotspot):
    session = make_booked_session(hotspot, title="Video-café", offers_video=True)
    # A time past the mode-change cut-off: during today's café the next time may be inside it.
    later = timezone.now() + timedelta(minutes=session.mode_change_cutoff_minutes)
    slot = bookable_slots(session=session, now=later)[0]
    booking, token = book(client, slot, mode="in_person")
    html = client.get(reverse("bookings:manage", args=[token])).content.decode()
    assert "Meet another way" in html and 'value="video"' in html
    client.post(reverse("bookings:switch_mode", args=[token]), {"mode": "video"})
    booking.refresh_from_db()
    assert booking.mode == "video"


def test_no_mode_choice_when_the_session_offers_one_way(client, slot):
    _booking, token = book(client, slot)
    assert (
        "Meet another way"
        not in client.get(reverse("bookings:manage", args=[token])).content.decode()
    )


@pytest.mark.parametrize("token", ["x", "A" * 22, "not-a-real-token-at-all", "A" * 500])
def test_unknown_tokens_get_a_kind_404(client, token):
    for name in ("manage", "calendar"):
        response = client.get(reverse(f"bookings:{name}", args=[token]))
        assert response.status_code == 404
        assert "We could not find that booking" in response.content.decode()
    assert client.post(reverse("bookings:cancel", args=[token])).status_code == 404


def test_the_token_is_128_bits_and_stored_only_as_a_hash(client, slot):
    booking, token = book(client, slot)
    assert len(token) >= 22
    assert token not in (booking.manage_token_hash, booking.reference)
    assert not Booking.objects.filter(manage_token_hash=token).exists()


@pytest.mark.usefixtures("one_rate_limit_window")
def test_only_failed_lookups_count_and_a_valid_link_always_opens(client, settings, slot):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "book": "100/600", "lookup": "3/600"}
    _booking, token = book(client, slot)
    # A library's shared Wi-Fi: many citizens open their own links from one address.
    mine = reverse("bookings:manage", args=[token])
    assert {client.get(mine).status_code for _ in range(10)} == {200}
    english = {"HTTP_ACCEPT_LANGUAGE": "en"}
    guesses = [
        client.get(reverse("bookings:manage", args=["guess-" + "x" * 20])),
        client.post(reverse("bookings:cancel", args=["guess-" + "y" * 20])),
        client.get(reverse("bookings:calendar", args=["guess-" + "z" * 20])),
        client.get(reverse("bookings:manage", args=["guess-" + "w" * 20]), **english),
    ]
    assert [r.status_code for r in guesses] == [404, 404, 404, 429]
    assert "Please wait a moment" in guesses[-1].content.decode()
    # The guesser is refused, but a citizen on the same address still opens her own link …
    assert client.get(mine).status_code == 200
    # … and another address is not affected at all.
    other = Client(REMOTE_ADDR="10.0.0.2")
    assert other.get(reverse("bookings:manage", args=["guess-" + "v" * 20])).status_code == 404


@pytest.mark.usefixtures("one_rate_limit_window")
def test_booking_posts_are_rate_limited_but_reading_is_not(client, settings, slot):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "book": "2/600", "lookup": "100/600"}
    url = reverse("bookings:book", args=[slot.pk])
    assert client.post(url, form_data(phone="bad")).status_code == 200
    assert client.post(url, form_data(phone="bad")).status_code == 200
    response = client.post(url, form_data())
    assert response.status_code == 429
    assert not Booking.objects.exists()
    assert client.get(url).status_code == 200
    waitlist = reverse("bookings:waitlist", args=[slot.occurrence_id])
    assert client.post(waitlist, {"first_name": "B", "phone": "20123456"}).status_code == 429


@pytest.mark.usefixtures("one_rate_limit_window")
@pytest.mark.parametrize("proxies", [0, 1])
def test_a_spoofed_forwarded_for_header_buys_no_fresh_budget(client, settings, slot, proxies):
    """Before: with the README's proxy setting the client's own first X-Forwarded-For entry was
    its address, and 100 of 100 POSTs with `X-Forwarded-For: 1.2.3.N` passed."""
    settings.TRUSTED_PROXY_COUNT = proxies
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "book": "30/600"}
    url = reverse("bookings:book", args=[slot.pk])
    # Behind one proxy (nginx's $proxy_add_x_forwarded_for) the header ends with the address
    # that really connected; REMOTE_ADDR is the proxy itself.
    codes = [
        client.post(
            url,
            form_data(phone="bad"),
            HTTP_X_FORWARDED_FOR=f"1.2.3.{n}, 198.51.100.7",
            REMOTE_ADDR="127.0.0.1",
        ).status_code
        for n in range(100)
    ]
    assert codes.count(200) == 30 and codes.count(429) == 70
    # Another citizen behind the same proxy is told apart by what the proxy appended.
    neighbour = client.post(
        url,
        form_data(phone="bad"),
        HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.8",
        REMOTE_ADDR="127.0.0.1",
    )
    assert neighbour.status_code == (200 if proxies else 429)
