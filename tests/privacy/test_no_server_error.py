"""Requests that gave a server error (issue 11, item 9), each answered kindly now."""

import pytest
from django.test import Client
from django.urls import reverse
from twilio.request_validator import RequestValidator

from sms.models import Direction, Message

pytestmark = pytest.mark.django_db

TWENTY_DIGITS = "9" * 20


def test_the_booking_pages_of_a_caseworker_meeting_slot_are_not_found(client, meeting_slot):
    assert client.get(reverse("bookings:book", args=[meeting_slot.pk])).status_code == 404
    waitlist = reverse("bookings:waitlist", args=[meeting_slot.occurrence_id])
    assert client.get(waitlist).status_code == 404
    assert client.post(waitlist, {"first_name": "Bo", "phone": "20123456"}).status_code == 404


def _signed(client, path, params, **extra):
    signature = RequestValidator("test-auth-token").compute_signature(
        "https://digihjaelp.example" + path, params
    )
    return client.post(path, params, HTTP_X_TWILIO_SIGNATURE=signature, **extra)


@pytest.mark.usefixtures("twilio_settings", "sms_outbox")
def test_a_replayed_webhook_with_a_very_long_message_sid_has_one_effect(client):
    params = {"MessageSid": "SM" + "x" * 100, "From": "+4520123456", "Body": "TID"}
    assert _signed(client, "/sms/twilio/inbound/", params).status_code == 200
    assert _signed(client, "/sms/twilio/inbound/", params).status_code == 200
    assert Message.objects.filter(direction=Direction.IN).count() == 1


@pytest.mark.parametrize("suffix", ["", "pdf/"])
def test_a_poster_for_an_id_too_large_for_the_database_is_not_found(client, home, suffix):
    assert client.get(f"/plakat/{TWENTY_DIGITS}/{suffix}").status_code == 404


@pytest.mark.parametrize("offset", [TWENTY_DIGITS, "-1", "x", str(2**63)])
def test_the_pages_api_refuses_an_impossible_offset(client, home, offset):
    response = client.get("/api/v2/pages/", {"offset": offset})
    assert response.status_code == 400


@pytest.mark.usefixtures("twilio_settings", "sms_outbox")
def test_a_webhook_in_latin_1_is_read(settings):
    settings.DEBUG = True
    path = "/sms/twilio/inbound/"
    params = {"MessageSid": "SM" + "l" * 32, "From": "+4520123456", "Body": "hæj AFBUD"}
    signature = RequestValidator("test-auth-token").compute_signature(
        "https://digihjaelp.example" + path, params
    )
    body = "&".join(
        f"{k}={v}" for k, v in {**params, "From": "%2B4520123456", "Body": "h%E6j+AFBUD"}.items()
    )
    client = Client(raise_request_exception=False)
    response = client.generic(
        "POST",
        path,
        body.encode("latin-1"),
        content_type="application/x-www-form-urlencoded; charset=latin-1",
        HTTP_X_TWILIO_SIGNATURE=signature,
    )
    assert response.status_code == 200
    assert Message.objects.get(direction=Direction.IN).body == "hæj AFBUD"
