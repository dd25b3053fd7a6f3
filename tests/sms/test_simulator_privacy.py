"""Issue 11, item 1: the SMS simulator never reads or changes a citizen's data. It runs on
practice numbers only (+45 70 00 00 00–99); what it books is practice, left out of statistics
and deleted by the periodic job. Staff read a real phone's texts only through their own
organisation's bookings, and each look is recorded for the superusers' access log."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from bookings import services as engine
from bookings.models import Booking, BookingStatus, Slot
from bookings.phones import is_practice_phone, normalise_phone
from bookings.selectors import bookable_slots
from reports.selectors import statistics
from sms.models import Message, OptOut, PhoneHistoryAccess
from tests.factories import make_organisation, make_staff_user

from .conftest import make_bookable_session

PHONE_A = "+4520304050"  # a citizen of organisation A
PRACTICE = "+4570000042"

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    org_a, org_b = make_organisation("Aarhus Kommune"), make_organisation("Odense Kommune")
    session_a = make_bookable_session(organisation=org_a, sms_code="4021")
    booking_a = engine.book_slot(
        slot_id=bookable_slots(session=session_a, limit=1)[0].pk,
        first_name="Ada",
        phone=PHONE_A,
        channel="web",
    )
    return org_a, org_b, session_a, booking_a


def en(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def test_practice_numbers_are_a_reserved_range_no_citizen_can_own():
    assert normalise_phone("70 00 00 42") == PRACTICE
    assert is_practice_phone("+4570000000") and is_practice_phone("+4570000099")
    assert not is_practice_phone("+4570000100") and not is_practice_phone(PHONE_A)


def test_other_organisations_staff_cannot_read_a_citizen_through_the_simulator(client, world):
    _org_a, org_b, _session, booking_a = world
    client.force_login(make_staff_user(org_b))
    page = en(client).get(reverse("sms_admin:simulator"), {"phone": PHONE_A}).content.decode()
    assert "works only with practice numbers" in page
    assert booking_a.reference not in page and "Ada" not in page
    assert "+4520304050" not in page and "20 30 40 50" not in page


@pytest.mark.parametrize("word", ["AFBUD", "STOP"])
def test_the_simulator_refuses_to_act_for_a_real_number(client, world, word):
    org_a, _org_b, _session, booking_a = world
    client.force_login(make_staff_user(org_a))  # even the citizen's own organisation
    texts_before = Message.objects.count()
    response = en(client).post(reverse("sms_admin:simulator"), {"phone": PHONE_A, "text": word})
    assert response.status_code == 200
    assert "works only with practice numbers" in response.content.decode()
    booking_a.refresh_from_db()
    assert booking_a.status == BookingStatus.CONFIRMED
    assert not OptOut.objects.exists()
    assert Message.objects.count() == texts_before


def test_practice_bookings_stay_out_of_statistics_and_are_deleted(client, world):
    org_a, _org_b, session_a, _booking_a = world
    client.force_login(make_staff_user(org_a))
    url = reverse("sms_admin:simulator")
    client.post(url, {"phone": "70 00 00 42", "text": "tid 4021"})
    client.post(url, {"phone": "70 00 00 42", "text": "1"})
    practice = Booking.objects.get(phone=PRACTICE)
    assert practice.is_practice and practice.status == BookingStatus.CONFIRMED
    assert not Message.objects.filter(to_number=PRACTICE, simulated=False).exists()
    today = timezone.localdate()
    stats = statistics(paths=[org_a.path], first=today, last=today + timedelta(days=14))
    assert stats.totals["bookings"] == 1  # the citizen's booking, not the practice one

    seat = Slot.objects.get(pk=practice.slot_id)
    booked_before = seat.booked
    out = StringIO()
    call_command("runperiodic", only=["practice_cleanup"], stdout=out)
    assert Booking.objects.filter(pk=practice.pk).exists()  # still in use

    later = timezone.now() + timedelta(hours=3)
    from sms.services import delete_practice_data

    result = delete_practice_data(now=later)
    assert result["bookings"] == 1 and result["texts"] >= 3
    assert not Booking.objects.filter(phone=PRACTICE).exists()
    assert not Message.objects.filter(to_number=PRACTICE).exists()
    assert not Message.objects.filter(from_number=PRACTICE).exists()
    seat.refresh_from_db()
    assert seat.booked == booked_before - 1
    assert Booking.objects.filter(phone=PHONE_A, status=BookingStatus.CONFIRMED).count() == 1


def test_staff_read_a_phone_only_through_their_own_booking_and_it_is_recorded(client, world):
    org_a, org_b, _session, booking_a = world
    url = reverse("sms_admin:booking_history", args=[booking_a.pk])

    outsider = make_staff_user(org_b, "odense-staff")
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert not PhoneHistoryAccess.objects.exists()

    own = make_staff_user(org_a, "aarhus-staff")
    client.force_login(own)
    page = en(client).get(url).content.decode()
    assert "Du er booket" in page  # the confirmation text
    access = PhoneHistoryAccess.objects.get()
    assert (access.user, access.phone, access.booking, access.via) == (
        own,
        PHONE_A,
        booking_a,
        PhoneHistoryAccess.Via.BOOKING,
    )

    listing = en(client).get(reverse("bookings_admin:index")).content.decode()
    assert url in listing  # the way in: a link from the booking


def test_searching_the_message_log_by_phone_is_recorded(client, world):
    org_a, _org_b, _session, _booking_a = world
    client.force_login(make_staff_user(org_a, "aarhus-staff"))
    client.get(reverse("sms_admin:messages"), {"phone": "20 30 40 50"})
    assert PhoneHistoryAccess.objects.get().via == PhoneHistoryAccess.Via.MESSAGE_LOG


def test_superusers_see_the_access_log_and_staff_do_not(client, world):
    org_a, _org_b, _session, booking_a = world
    staff = make_staff_user(org_a, "aarhus-staff")
    client.force_login(staff)
    client.get(reverse("sms_admin:booking_history", args=[booking_a.pk]))
    log_url = reverse("sms_admin:access_log")
    refused = client.get(log_url)
    assert refused.status_code in (302, 403)

    root = get_user_model().objects.create_superuser("root", "r@example.org", "pw-123456789")
    client.force_login(root)
    page = en(client).get(log_url).content.decode()
    assert "aarhus-staff" in page and "+45 20 30 40 50" in page and booking_a.reference in page
    assert log_url in client.get(reverse("wagtailadmin_home")).content.decode()  # in the menu
    client.force_login(staff)
    assert log_url not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_the_access_log_forgets_the_number_after_the_retention_period(world, settings):
    org_a, _org_b, _session, booking_a = world
    from sms.services import record_phone_history_access, wipe_old_access_phones

    staff = make_staff_user(org_a)
    record_phone_history_access(user=staff, phone=PHONE_A, via="booking", booking=booking_a)
    later = timezone.now() + timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS + 1)
    assert wipe_old_access_phones(now=later) == 1
    row = PhoneHistoryAccess.objects.get()
    assert row.phone == "" and row.username == staff.username


def test_the_public_development_simulator_takes_practice_numbers_only(client, world, settings):
    settings.DEBUG = True
    _org_a, _org_b, _session, booking_a = world
    page = en(client).get("/sms/simulator/", {"phone": PHONE_A}).content.decode()
    assert "works only with practice numbers" in page and "Du er booket" not in page
    response = client.post("/sms/simulator/", {"phone": "70 00 00 50", "text": "tid 4021"})
    assert response.status_code == 302
    assert "Ledige tider:" in client.get(response["Location"]).content.decode()
    booking_a.refresh_from_db()
    assert booking_a.status == BookingStatus.CONFIRMED
