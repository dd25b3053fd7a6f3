"""Every citizen form reports mistakes the DKFDS/GOV.UK way: a summary at the top with a heading
and a link to each field in error, focus moved to it (autofocus, so without JavaScript too),
the page title starting "Error: ", exactly one role=alert region, and the server's own words
(the forms are novalidate, so no browser bubble in English on a Danish page)."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from bookings.models import Booking, Slot

from .conftest import form_data, remembered_token

pytestmark = pytest.mark.django_db


def assert_error_pattern(html: str, *, links: list[str] = (), language="en"):
    prefix = "Error: " if language == "en" else "Fejl: "
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()
    assert title.startswith(prefix), title
    assert html.count('role="alert"') == 1, "exactly one alert region"
    summary = html[html.index('id="error-summary"') :]
    summary = summary[: summary.index("</ul>")]
    assert "autofocus" in html[html.index('<div class="alert alert-error error-summary"') :][:300]
    heading = "There is a problem" if language == "en" else "Der er et problem"
    assert heading in summary
    for anchor in links:
        assert f'href="#{anchor}"' in summary, (anchor, summary)
        assert f'id="{anchor}"' in html, f"the summary links to a field that is not there: {anchor}"


def assert_no_error_pattern(html: str):
    assert "error-summary" not in html
    assert 'role="alert"' not in html
    assert "<title>Error:" not in html and "<title>Fejl:" not in html


def test_booking_form(client, slot):
    url = reverse("bookings:book", args=[slot.pk])
    assert_no_error_pattern(client.get(url).content.decode())
    response = client.post(url, form_data(first_name="", phone="12 34"))
    html = response.content.decode()
    assert_error_pattern(html, links=["id_first_name", "id_phone"])
    assert "We could not read that mobile number" in html
    assert Booking.objects.count() == 0


def test_booking_form_in_danish(slot):
    client = Client(HTTP_ACCEPT_LANGUAGE="da")
    response = client.post(
        reverse("bookings:book", args=[slot.pk]), form_data(phone="12"), HTTP_ACCEPT_LANGUAGE="da"
    )
    assert_error_pattern(response.content.decode(), links=["id_phone"], language="da")


def test_waitlist_form(client, slot):
    Slot.objects.filter(occurrence=slot.occurrence).update(booked=2)
    url = reverse("bookings:waitlist", args=[slot.occurrence_id])
    assert_no_error_pattern(client.get(url).content.decode())
    html = client.post(url, {"first_name": "Bodil", "phone": "abc"}).content.decode()
    assert_error_pattern(html, links=["id_phone"])


def test_move_form_without_a_choice(client, slot):
    client.post(reverse("bookings:book", args=[slot.pk]), form_data())
    booking = Booking.objects.get()
    token = remembered_token(client, booking)
    manage = client.get(reverse("bookings:manage", args=[token])).content.decode()
    assert_no_error_pattern(manage)
    # The browser's own (English) bubble would show instead of ours without novalidate.
    assert re.search(r'<form method="post" action="[^"]*/move/" novalidate>', manage)
    response = client.post(reverse("bookings:move", args=[token]), {})
    html = response.content.decode()
    assert response.status_code == 200
    assert_error_pattern(html, links=["id_slot_0"])
    assert "Please choose a new time." in html
    booking.refresh_from_db()
    assert booking.slot_id == slot.pk


def test_directory_search_not_understood(client, home):
    html = client.get(home.url, {"q": "99"}).content.decode()
    assert_error_pattern(html, links=["id_q"])
    assert "is not a Danish postcode" in html
    assert_no_error_pattern(client.get(home.url, {"q": ""}).content.decode())


def test_volunteer_login_form(client, home):
    url = reverse("volunteers:login")
    assert_no_error_pattern(client.get(url).content.decode())
    html = client.post(url, {"phone": "12"}).content.decode()
    assert_error_pattern(html, links=["id_phone"])
