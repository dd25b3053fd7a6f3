"""The dialog against the real booking engine: book, cancel, move, switch mode, accept a
waitlist offer, opt out and back in, and the hand-off to a person."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bookings import services as engine
from bookings.models import Booking, BookingStatus, Slot
from sms import services, texts
from sms.models import Conversation, Direction, Message, OptOut

from .conftest import SENDER, make_bookable_session

PHONE = "+4520304050"


@pytest.mark.django_db
def test_book_cancel_by_sms(texting):
    session = make_bookable_session(sms_code="4021")
    [offers] = texting("TID 4021")
    assert offers.startswith("Ledige tider:\n1 ")
    assert offers.count("\n") == 6  # header, five times, footer
    [confirmation] = texting("1")
    booking = Booking.objects.get(phone=PHONE)
    assert session.get_parent().title in confirmation
    assert confirmation.startswith(f"Du er booket {texts.when(booking.slot.starts_at, 'da')} hos")
    booking = Booking.objects.get(phone=PHONE)
    assert booking.channel == "sms" and booking.status == BookingStatus.CONFIRMED
    assert "/b/" in confirmation  # the manage link
    [cancelled] = texting("afbud.")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert cancelled.startswith("Din tid")
    [nothing] = texting("Afbud")
    assert nothing.startswith("Du har ingen tid hos os")


@pytest.mark.django_db
def test_unknown_code_and_postcode(texting):
    make_bookable_session(sms_code="4021")  # postcode 8000 from the factory
    assert texting("tid 9999")[0].startswith("Vi kender ikke 9999")
    assert texting("tid 8000")[0].startswith("Ledige tider:")
    assert texting("tid 8010")[0].startswith("Ledige tider:")  # nearest postcode


@pytest.mark.django_db
def test_move_by_sms(texting):
    make_bookable_session(sms_code="4021")
    texting("tid 4021")
    texting("1")
    booking = Booking.objects.get(phone=PHONE)
    first_start = booking.slot.starts_at
    [offers] = texting("FLYT")
    assert offers.startswith("Nye tider:")
    [moved] = texting("3")
    booking.refresh_from_db()
    assert booking.slot.starts_at > first_start
    assert moved.startswith("Din tid er flyttet")


@pytest.mark.django_db
def test_switch_mode(texting):
    make_bookable_session(sms_code="4021", offers_video=True)
    texting("tid 4021")
    texting("1")
    [switched] = texting("video")
    assert Booking.objects.get(phone=PHONE).mode == "video"
    assert switched.startswith("Dit møde") and "video" in switched
    assert texting("VIDEO")[0].startswith("Dit møde")  # already video
    assert "kan kun være: fremmøde, video" in texting("telefon")[0]


@pytest.mark.django_db
def test_english_conversation(texting):
    make_bookable_session(sms_code="4021")
    assert texting("english")[0].startswith("OK, we will write in English")
    assert texting("book 4021")[0].startswith("Free times:")
    [confirmation] = texting("2")
    assert confirmation.startswith("Booked ")
    assert Booking.objects.get(phone=PHONE).language == "en"


@pytest.mark.django_db
def test_waitlist_offer_accepted_with_ja(texting):
    session = make_bookable_session(sms_code="4021", capacity=1)
    slot = Slot.objects.filter(occurrence__session=session).order_by("starts_at")[5]
    other = engine.book_slot(slot_id=slot.pk, first_name="A", phone="+4520304051", channel="web")
    engine.join_waitlist(occurrence_id=slot.occurrence_id, phone=PHONE, channel="sms")
    engine.cancel_booking(booking=other)
    offer = Message.objects.filter(to_number=PHONE, purpose="waitlist_offer").get()
    assert "Svar JA inden" in offer.body
    [confirmation] = texting("ja")
    assert confirmation.startswith("Du er booket")
    booking = Booking.objects.get(phone=PHONE, status="confirmed")
    assert booking.slot.occurrence_id == slot.occurrence_id
    assert texting("ja")[0].startswith("Vi har ikke noget tilbud")


@pytest.mark.django_db
def test_join_the_waiting_list_of_a_full_session(texting):
    from bookings.models import WaitlistEntry

    session = make_bookable_session(sms_code="4021", capacity=1)
    assert texting("vent 4021")[0].startswith("Der er stadig ledige tider")
    occurrence = (
        Slot.objects.filter(
            occurrence__session=session, starts_at__gt=timezone.now() + timedelta(days=1)
        )
        .order_by("starts_at")[0]
        .occurrence
    )
    for n, slot in enumerate(occurrence.slots.all()):
        engine.book_slot(slot_id=slot.pk, first_name="X", phone=f"+452030{n:04d}", channel="web")
    [joined] = texting("vent")  # the place is remembered from before
    assert joined.startswith("Du er på ventelisten til")
    entry = WaitlistEntry.objects.get(phone=PHONE)
    assert entry.occurrence_id == occurrence.pk and entry.channel == "sms"


@pytest.mark.django_db
def test_stop_silences_everything_until_start(texting):
    make_bookable_session(sms_code="4021")
    texting("tid 4021")
    texting("1")
    [confirmation] = texting("STOP")
    assert confirmation.startswith("Du får ikke flere SMS")
    assert Message.objects.get(body=SENDER + confirmation).status in ("queued", "sent")
    assert OptOut.objects.filter(phone=PHONE).exists()
    assert texting("tid") == []  # no answer after STOP
    texting("afbud")  # still works; the engine's notice is kept for staff, but not sent
    cancellation = Message.objects.get(purpose="booking_cancelled")
    assert cancellation.status == "opted_out"
    assert Booking.objects.get(phone=PHONE).status == BookingStatus.CANCELLED
    assert texting("START")[0].startswith("Velkommen tilbage")
    assert not OptOut.objects.filter(phone=PHONE).exists()


@pytest.mark.django_db
def test_two_misses_ask_staff_to_call(texting):
    assert texting("blå bil")[0].startswith("Det forstod vi ikke")
    assert "medarbejder ringer" in texting("kan I hjælpe min mor")[0]
    conversation = Conversation.objects.get(phone=PHONE)
    assert conversation.needs_person and conversation.needs_person_since
    texting("tid")
    conversation.refresh_from_db()
    assert conversation.needs_person  # only staff clear it
    services.mark_conversation_handled(conversation=conversation, user=None)
    conversation.refresh_from_db()
    assert not conversation.needs_person and conversation.handled_at


@pytest.mark.django_db
def test_offers_expire_with_the_conversation(texting):
    make_bookable_session(sms_code="4021")
    texting("tid 4021")
    later = timezone.now() + timedelta(days=1, minutes=1)
    assert texting("1", now=later)[0].startswith("Vi har ikke sendt dig tid nr. 1")
    assert not Booking.objects.filter(phone=PHONE).exists()


@pytest.mark.django_db
def test_simulator_pipeline_never_reaches_a_provider(settings):
    import sms

    make_bookable_session(sms_code="4021")
    services.simulate_inbound(phone=PHONE, body="tid 4021")
    _message, reply = services.simulate_inbound(phone=PHONE, body="1")
    assert Booking.objects.filter(phone=PHONE).count() == 1
    out = Message.objects.filter(direction=Direction.OUT, to_number=PHONE)
    assert out.count() == 2 and all(m.simulated for m in out)
    for message in out:
        services.deliver_message(message_id=message.pk)
    assert sms.outbox == []
    assert set(out.values_list("status", flat=True)) == {"sent"}
