"""A booking made in another citizen language keeps it: stored with the booking, and the .ics
file's texts are in it whatever the downloading browser shows."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from bookings.models import Booking
from hotspots.models import HelpTopicTranslation

from .conftest import form_data, remembered_token

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("code", ["ar", "uk", "fa", "pl", "tr"])
def test_a_web_booking_stores_the_language_it_was_made_in(slot, code):
    citizen = Client(HTTP_ACCEPT_LANGUAGE=code)
    response = citizen.post(reverse("bookings:book", args=[slot.pk]), form_data(), follow=True)
    assert response.status_code == 200
    assert f'<html lang="{code}"' in response.content.decode()
    assert Booking.objects.get().language == code


def test_the_calendar_file_is_in_the_language_booked_in(slot):
    citizen = Client(HTTP_ACCEPT_LANGUAGE="uk")
    citizen.post(reverse("bookings:book", args=[slot.pk]), form_data())
    booking = Booking.objects.get()
    token = remembered_token(citizen, booking)
    # Opened later from a browser set to Danish: still Ukrainian.
    danish_browser = Client(HTTP_ACCEPT_LANGUAGE="da")
    ics = danish_browser.get(reverse("bookings:calendar", args=[token])).content.decode()
    with translation.override("uk"):
        reference_line = translation.gettext("Reference: %(reference)s") % {
            "reference": booking.reference
        }
    assert "LANGUAGE=uk" in ics
    assert reference_line.split(":")[0] in ics.replace("\r\n ", "")
    assert "SUMMARY;LANGUAGE=da:" in ics


def test_the_form_names_help_topics_in_the_citizens_language(slot, topic):
    HelpTopicTranslation.objects.create(topic=topic, language="uk", name="МітАйДі")
    url = reverse("bookings:book", args=[slot.pk])
    assert "МітАйДі</option>" in Client(HTTP_ACCEPT_LANGUAGE="uk").get(url).content.decode()
    assert ">MitID</option>" in Client(HTTP_ACCEPT_LANGUAGE="pl").get(url).content.decode()
