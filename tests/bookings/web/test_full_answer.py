"""The answer to a booking whose time filled while the citizen was typing. In a crowd on a
time's last seats (a crisis, a popular course) nearly everyone gets it, so it is short: no
booking form drawn again, no session written, and still nothing they typed is lost."""

import re

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bookings.errors import SlotFull
from bookings.models import Booking, Slot, WaitlistEntry
from bookings.selectors import bookable_slots

from .conftest import form_data

pytestmark = pytest.mark.django_db

# The slot, the "is this phone booked there already" check, the other free times, whether
# any is on the same date, the hotspot (parent page and its fields): no booking form, no
# topics, no session row.
MAX_QUERIES = 8


def book_url(slot):
    return reverse("bookings:book", args=[slot.pk])


@pytest.fixture
def taken(slot):
    """Every time of the first bookable date that has not started taken meanwhile."""
    Slot.objects.filter(occurrence=slot.occurrence).update(booked=F("capacity"))
    return slot


def test_a_taken_date_answers_briefly_and_offers_the_waiting_list_filled_in(client, taken):
    client.get(book_url(taken))  # warm per-process caches, as a citizen's form page did
    with CaptureQueriesContext(connection) as queries:
        response = client.post(book_url(taken), form_data(note="Ny telefon"))
    assert response.status_code == 200
    html = response.content.decode()
    assert str(SlotFull.default_message) in html
    assert 'name="submission"' not in html and 'name="help_topic"' not in html
    assert len(queries) <= MAX_QUERIES, "\n".join(q["sql"][:160] for q in queries)
    assert not [q for q in queries if "django_session" in q["sql"]]
    # The waiting list is one click away, with their name and number already in it.
    assert reverse("bookings:waitlist", args=[taken.occurrence_id]) in html
    assert 'value="Bodil"' in html and 'value="20 12 34 56"' in html
    # Other times are plain links: nothing they typed is in a URL.
    links = re.findall(r'href="([^"]*)"', html)
    others = [s for s in bookable_slots(session=taken.occurrence.session) if s.pk != taken.pk]
    assert book_url(others[0]) in links
    assert not [link for link in links if "Bodil" in link or "20123456" in link]

    response = client.post(
        reverse("bookings:waitlist", args=[taken.occurrence_id]),
        {"first_name": "Bodil", "phone": "20 12 34 56"},
    )
    assert response.status_code == 302
    assert WaitlistEntry.objects.get().phone == "+4520123456"


def test_what_was_typed_fills_the_next_time_chosen_and_is_forgotten_once_booked(client, taken):
    client.post(book_url(taken), form_data(note="Ny telefon"))
    other = [s for s in bookable_slots(session=taken.occurrence.session) if s.pk != taken.pk][0]
    html = client.get(book_url(other)).content.decode()
    assert 'value="Bodil"' in html and "Ny telefon" in html
    response = client.post(book_url(other), form_data(note="Ny telefon"))
    assert response.status_code == 302
    assert Booking.objects.get().slot_id == other.pk
    assert 'value="Bodil"' not in client.get(book_url(other)).content.decode()
