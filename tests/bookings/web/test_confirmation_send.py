"""The booking confirmation's way out: its outbox row commits with the booking, the opt-out list
is asked when it is sent, and its send task is queued after the commit. Whatever happens after
the commit, the citizen who booked sees their booking."""

import logging
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings.models import Booking
from sms.models import Message, OptOut, Status
from sms.services import requeue_due_messages
from sms.tasks import send_message

from .conftest import form_data

pytestmark = pytest.mark.django_db

PHONE = "+4520123456"  # form_data's "20 12 34 56"


def test_a_number_that_sent_stop_still_books_and_gets_no_text(
    client, slot, sms_outbox, django_capture_on_commit_callbacks
):
    OptOut.objects.create(phone=PHONE)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("bookings:book", args=[slot.pk]), form_data())
    assert response.status_code == 302
    booking = Booking.objects.get()
    message = Message.objects.get(booking=booking)
    assert message.status == Status.OPTED_OUT  # kept for staff, never sent
    assert message.sent_at is None and message.provider_sid == ""
    assert sms_outbox == []


def test_a_failed_enqueue_after_the_commit_loses_nothing(
    client, slot, sms_outbox, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def queue_down(*args, **kwargs):
        raise ConnectionError("task queue unreachable")

    monkeypatch.setattr(type(send_message), "enqueue", queue_down)
    with (
        caplog.at_level(logging.ERROR, logger="sms.services.outbox"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(reverse("bookings:book", args=[slot.pk]), form_data())
    # The citizen gets their confirmation page, and the booking and its text are kept.
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
    booking = Booking.objects.get()
    message = Message.objects.get(booking=booking)
    assert message.status == Status.QUEUED
    assert "Could not enqueue SMS" in caplog.text
    assert sms_outbox == []

    # The periodic safety net sends it once the queue is back.
    monkeypatch.undo()
    requeue_due_messages(now=timezone.now() + timedelta(minutes=3))
    message.refresh_from_db()
    assert message.status == Status.SENT
    assert [m.to for m in sms_outbox] == [PHONE]
