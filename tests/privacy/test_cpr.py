"""A CPR number never lands in the database: every free-text field refuses one kindly, however
it is typed, and an inbound SMS is stored with the number masked (issue 11, item 7)."""

import pytest
from django.urls import reverse
from twilio.request_validator import RequestValidator

from bookings.forms import BookingForm, StaffBookingForm, WaitlistForm
from bookings.models import Booking, WaitlistEntry
from bookings.validators import (
    CPR_MESSAGE,
    contains_cpr_number,
    mask_cpr_numbers,
    reject_cpr_number,
)
from tests.bookings.web.conftest import form_data, make_web_session_chain
from tests.shared_rows import module_rows, per_test

from .cpr_variants import CPR_VARIANTS, NOT_CPR

pytestmark = pytest.mark.django_db


# The booking form's session, built once for the sixty tests that post to one of its times:
# each test's bookings and changes are rolled back to it.
_shared_session = module_rows("_shared_session", make_web_session_chain)


@pytest.fixture
def session(_shared_session, home):
    return per_test(_shared_session)


@pytest.mark.parametrize("variant", CPR_VARIANTS)
def test_every_way_of_typing_a_cpr_number_is_refused_on_the_booking_form(client, slot, variant):
    response = client.post(reverse("bookings:book", args=[slot.pk]), form_data(note=variant))
    assert response.status_code == 200
    assert str(CPR_MESSAGE) in response.content.decode()
    assert not Booking.objects.exists()


@pytest.mark.parametrize("variant", ["010190-1234", "01.01.90-1234", "０１０１９０－１２３４"])
def test_a_cpr_number_as_the_name_is_refused_too(client, slot, variant):
    response = client.post(reverse("bookings:book", args=[slot.pk]), form_data(first_name=variant))
    assert str(CPR_MESSAGE) in response.content.decode()
    assert not Booking.objects.exists()


@pytest.mark.parametrize("text", NOT_CPR)
def test_phone_numbers_dates_references_and_times_are_not_taken_for_one(text):
    assert not contains_cpr_number(text)
    reject_cpr_number(text)
    assert mask_cpr_numbers(text) == text


@pytest.mark.parametrize("text", NOT_CPR)
def test_such_a_note_books_normally(client, slot, text):
    response = client.post(reverse("bookings:book", args=[slot.pk]), form_data(note=text))
    assert response.status_code == 302
    assert Booking.objects.get().note == " ".join(text.split())


def test_the_waiting_list_refuses_a_cpr_number_as_a_name(client, slot):
    slot.occurrence.slots.update(booked=2)
    url = reverse("bookings:waitlist", args=[slot.occurrence_id])
    response = client.post(url, {"first_name": "01 01 90 1234", "phone": "20123456"})
    assert str(CPR_MESSAGE) in response.content.decode()
    assert not WaitlistEntry.objects.exists()


def _field_refuses(form, name, text="Bodil 01.01.90–1234"):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as excinfo:
        form.fields[name].clean(text)
    assert str(CPR_MESSAGE) in excinfo.value.messages


def test_every_free_text_field_of_every_form_refuses_one():
    from crisis.forms import CrisisForm
    from meetings.admin_forms import LocationForm
    from meetings.forms import MeetingBookingForm
    from volunteers.admin_views import InviteForm, MembershipForm
    from volunteers.forms import DropForm

    forms = [
        (BookingForm(), ["first_name", "note"]),
        (StaffBookingForm(), ["first_name", "note"]),
        (WaitlistForm(), ["first_name"]),
        (MeetingBookingForm(modes=["video"]), ["first_name"]),
        (DropForm(), ["note"]),
        (InviteForm(organisations=[]), ["first_name"]),
        (MembershipForm(), ["first_name"]),
        (CrisisForm(organisations=[], hotspots=[]), ["message"]),
        (LocationForm(), ["name", "address", "directions"]),
    ]
    for form, names in forms:
        for name in names:
            _field_refuses(form, name)
    # Phone numbers are phone numbers, not free text.
    assert BookingForm().fields["phone"].clean("20 12 34 56") == "+4520123456"


def test_a_volunteer_name_with_a_cpr_number_is_refused_by_the_service(home):
    from tests.factories import make_organisation
    from volunteers import services
    from volunteers.errors import InvalidInput

    organisation = make_organisation("Odense Bibliotekerne")
    with pytest.raises(InvalidInput) as excinfo:
        services.invite_volunteer(
            organisation=organisation, phone="20123456", first_name="Grethe 0101901234"
        )
    assert excinfo.value.message == str(CPR_MESSAGE)


def _signed_inbound(client, body, sid):
    params = {
        "MessageSid": sid,
        "From": "+4520123456",
        "To": "+4512345678",
        "Body": body,
        "AccountSid": "AC" + "0" * 32,
    }
    path = "/sms/twilio/inbound/"
    signature = RequestValidator("test-auth-token").compute_signature(
        "https://digihjaelp.example" + path, params
    )
    return client.post(path, params, HTTP_X_TWILIO_SIGNATURE=signature)


@pytest.mark.usefixtures("twilio_settings", "sms_outbox")
@pytest.mark.parametrize(
    ("body", "stored"),
    [
        ("mit cpr er 010190-1234", "mit cpr er [CPR fjernet]"),
        ("AFBUD, cpr 01.01.90 1234", "AFBUD, cpr [CPR fjernet]"),
        ("tid ０１０１９０１２３４", "tid [CPR fjernet]"),
        ("TID 4021 ring 20 12 34 56", "TID 4021 ring 20 12 34 56"),
    ],
)
def test_an_inbound_sms_is_stored_with_the_number_masked(
    client, django_capture_on_commit_callbacks, body, stored
):
    from sms.models import Direction, Message

    with django_capture_on_commit_callbacks(execute=True):
        response = _signed_inbound(client, body, sid="SM" + "c" * 32)
    assert response.status_code == 200
    message = Message.objects.get(direction=Direction.IN)
    assert message.body == stored
    assert message.processed_at is not None  # the dialog read it and answered
    assert not any(contains_cpr_number(m.body) for m in Message.objects.all())


@pytest.mark.parametrize("variant", CPR_VARIANTS)
def test_the_log_scrubber_uses_the_same_rule(variant):
    from ops.scrubbing import NUMBER_PLACEHOLDER, scrub

    scrubbed = scrub(f"IntegrityError: Key (note)=({variant}) already exists")
    assert NUMBER_PLACEHOLDER in scrubbed
    assert not contains_cpr_number(scrubbed)
