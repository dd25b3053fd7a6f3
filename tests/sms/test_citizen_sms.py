"""What citizens notice in their texts (issue 16): who writes, the place's short name and
address, "TID" asking where rather than listing the whole country, the waiting list joined on
the web saying how to leave it, and STOP VENT leaving it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings import services as engine
from bookings.models import Occurrence, Slot, WaitlistEntry
from bookings.selectors import bookable_slots
from sms.models import Direction, Message

from .conftest import SENDER, make_bookable_session

PHONE = "+4520304050"


def sent_to(phone=PHONE):
    return list(
        Message.objects.filter(direction=Direction.OUT, to_number=phone)
        .order_by("pk")
        .values_list("body", flat=True)
    )


@pytest.fixture
def full_occurrence(db):
    session = make_bookable_session(capacity=1, sms_code="4021")
    occurrence = (
        Occurrence.objects.filter(session=session, starts_at__gt=timezone.now() + timedelta(days=1))
        .order_by("starts_at")
        .first()
    )
    for n, slot in enumerate(occurrence.slots.all()):
        engine.book_slot(slot_id=slot.pk, first_name="A", phone=f"2010001{n}", channel="web")
    return occurrence


@pytest.mark.django_db
def test_joining_the_waiting_list_on_the_web_texts_how_to_leave_and_stop_vent_works(
    client, full_occurrence, texting, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("bookings:waitlist", args=[full_occurrence.pk]),
            {"first_name": "Karen", "phone": "20 30 40 50"},
        )
    assert response.status_code == 302
    [joined] = sent_to()
    assert joined.startswith(f"{SENDER}Du er på ventelisten til ")
    assert "Svar STOP VENT for at komme af listen." in joined
    [left] = texting("STOP VENT")
    assert left.startswith("Du er ikke længere på ventelisten til")
    assert WaitlistEntry.objects.get(phone=PHONE).status == "left"
    [nothing] = texting("stop vent")
    assert nothing.startswith("Du står ikke på nogen venteliste")
    assert texting("tid 4021")  # still gets texts: STOP VENT is not STOP


@pytest.mark.django_db
def test_tid_from_a_new_phone_asks_where_and_then_remembers_the_place(texting):
    make_bookable_session(sms_code="4021")
    make_bookable_session(
        sms_code="7777", hotspot_fields={"postcode": "9800", "city": "Hjørring"}
    )  # far away
    [where] = texting("TID")
    assert where == "Hvor? Svar med postnummer eller stedets kode, fx 8000 eller 4021."
    [offers] = texting("4021")
    assert offers.startswith("Ledige tider:\n1 ")
    [again] = texting("TID")
    assert again == offers  # the same place, not Hjørring


@pytest.mark.django_db
def test_tid_from_a_phone_that_booked_before_lists_that_place(texting):
    session = make_bookable_session(sms_code="4021")
    make_bookable_session(sms_code="7777", hotspot_fields={"postcode": "9800", "city": "Hjørring"})
    slot = bookable_slots(session=session, limit=1)[0]
    engine.book_slot(slot_id=slot.pk, first_name="Bo", phone=PHONE, channel="web")
    [offers] = texting("tid")
    place = session.get_parent().title
    assert offers.startswith("Ledige tider:\n1 ") and offers.count(place) == 5


@pytest.mark.django_db
def test_run_together_and_polite_texts_count_as_no_miss(texting):
    make_bookable_session(sms_code="4021")
    assert texting("Hej")[0].startswith("Hej! Svar TID")
    assert texting("TID4021")[0].startswith("Ledige tider:")
    assert texting("Tak") == []
    texting("nr 1")
    assert texting("Jeg kan ikke komme")[0].startswith("Kan du ikke komme? Svar AFBUD")
    [cancelled] = texting("ja")
    assert cancelled.startswith("Din tid")
    from sms.models import Conversation

    conversation = Conversation.objects.get(phone=PHONE)
    assert conversation.misses == 0 and not conversation.needs_person


@pytest.mark.django_db
def test_web_booking_text_gives_the_short_name_and_address(
    client, django_capture_on_commit_callbacks
):
    session = make_bookable_session()
    hotspot = session.get_parent().specific
    hotspot.title = "Dokk1 - Borgerservice og Hovedbiblioteket i Aarhus"
    hotspot.short_name = "Dokk1"
    hotspot.save_revision().publish()
    slot = bookable_slots(session=session, limit=1)[0]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("bookings:book", args=[slot.pk]),
            {
                "first_name": "Bodil",
                "phone": "20 30 40 50",
                "help_topic": "",
                "note": "",
                "submission": "submission-aaaaaaaaaaaa",
            },
        )
    [confirmation] = sent_to()
    assert confirmation.startswith(f"{SENDER}Du er booket ")
    assert f"hos Dokk1, {hotspot.street_address}, 8000 Aarhus C, fremmøde." in confirmation
    assert Slot.objects.get(pk=slot.pk).booked == 1


@pytest.mark.django_db
def test_editors_set_the_short_name_on_the_hotspot_page(admin_client, home):
    session = make_bookable_session()
    hotspot = session.get_parent().specific
    form = admin_client.get(f"/admin/pages/{hotspot.pk}/edit/").content.decode()
    assert 'name="short_name"' in form and 'maxlength="20"' in form
    assert "kort navn til sms" in form.lower()
