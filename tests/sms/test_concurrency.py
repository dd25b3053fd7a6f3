"""Thirty phones answer "1" to the same last seats at the same moment, through the real
webhook in real threads: exactly `capacity` get a confirmation, everyone else is told the
time is gone and offered other times."""

from collections import Counter

import pytest
from django.test import Client

from bookings.models import Booking
from bookings.selectors import bookable_slots
from sms.models import Direction, Message
from tests.threads import run_together

from .conftest import make_bookable_session
from .test_webhooks import inbound_params, signed_post

PHONES = [f"+45203{n:05d}" for n in range(30)]
CAPACITY = 2


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("twilio_settings")
def test_thirty_phones_race_for_the_last_seats():
    session = make_bookable_session(sms_code="4021", capacity=CAPACITY)
    first_slot = bookable_slots(session=session, limit=1)[0]
    client = Client()
    for n, phone in enumerate(PHONES):
        signed_post(
            client,
            "/sms/twilio/inbound/",
            inbound_params("tid 4021", sid=f"SMtid{n}", sender=phone),
        )
    assert (
        Message.objects.filter(
            direction=Direction.OUT, body__startswith="Digihjælp: Ledige tider"
        ).count()
        == 30
    )

    def answer(n, phone):
        def send():
            response = signed_post(
                Client(), "/sms/twilio/inbound/", inbound_params("1", sid=f"SMone{n}", sender=phone)
            )
            return response.status_code

        return send

    statuses, errors = run_together([answer(n, p) for n, p in enumerate(PHONES)])
    assert statuses == Counter({200: len(PHONES)})
    assert not errors, errors

    first_slot.refresh_from_db()
    assert first_slot.booked == CAPACITY
    assert Booking.objects.filter(slot=first_slot, status="confirmed").count() == CAPACITY
    assert Booking.objects.count() == CAPACITY
    replies = {
        phone: list(
            Message.objects.filter(direction=Direction.OUT, to_number=phone)
            .order_by("pk")
            .values_list("body", flat=True)
        )[1:]
        for phone in PHONES
    }
    confirmed = [
        p
        for p, bodies in replies.items()
        if bodies and bodies[0].startswith("Digihjælp: Du er booket")
    ]
    told_gone = [
        p
        for p, bodies in replies.items()
        if bodies
        and bodies[0].startswith("Digihjælp: Beklager, den tid blev taget. Andre tider:\n1 ")
    ]
    assert len(confirmed) == CAPACITY
    assert len(told_gone) == len(PHONES) - CAPACITY
    assert all(len(bodies) == 1 for bodies in replies.values())
    assert not Message.objects.filter(direction=Direction.IN, processed_at__isnull=True).exists()
