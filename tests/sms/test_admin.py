"""Staff views: the list of texts that need a person, the message log (booking and phone
history), the simulator; each scoped to the user's organisations."""

import pytest
from django.urls import reverse

from bookings import services as engine
from bookings.selectors import bookable_slots
from sms import services
from sms.models import Conversation
from tests.factories import make_organisation, make_staff_user

from .conftest import make_bookable_session

PHONE_A = "+4520304050"
PHONE_B = "+4520304051"


@pytest.fixture
def two_organisations(db):
    org_a, org_b = make_organisation("Aarhus Kommune"), make_organisation("Odense Kommune")
    session_a = make_bookable_session(organisation=org_a, sms_code="4021")
    session_b = make_bookable_session(organisation=org_b, sms_code="5000")
    booking_a = engine.book_slot(
        slot_id=bookable_slots(session=session_a, limit=1)[0].pk,
        first_name="Ada",
        phone=PHONE_A,
        channel="web",
    )
    booking_b = engine.book_slot(
        slot_id=bookable_slots(session=session_b, limit=1)[0].pk,
        first_name="Bo",
        phone=PHONE_B,
        channel="web",
    )
    for phone in (PHONE_A, PHONE_B):
        services.simulate_inbound(phone=phone, body="blå bil")
        services.simulate_inbound(phone=phone, body="hvem er det??")
    return org_a, org_b, booking_a, booking_b


def en(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.mark.django_db
def test_needs_person_list_is_scoped_and_can_be_handled(client, two_organisations):
    org_a, _org_b, _a, _b = two_organisations
    assert Conversation.objects.filter(needs_person=True).count() == 2
    client.force_login(make_staff_user(org_a))
    url = reverse("sms_admin:needs_person")
    page = en(client).get(url).content.decode()
    assert PHONE_A in page and PHONE_B not in page
    other = Conversation.objects.get(phone=PHONE_B)
    assert client.post(url, {"conversation": other.pk}).status_code == 404
    mine = Conversation.objects.get(phone=PHONE_A)
    assert client.post(url, {"conversation": mine.pk}).status_code == 302
    mine.refresh_from_db()
    assert not mine.needs_person and mine.handled_by is not None
    assert PHONE_A not in client.get(url).content.decode()


@pytest.mark.django_db
def test_message_log_shows_booking_and_phone_history_within_the_organisation(
    client, two_organisations
):
    org_a, _org_b, booking_a, booking_b = two_organisations
    client.force_login(make_staff_user(org_a))
    url = reverse("sms_admin:messages")
    page = en(client).get(url).content.decode()
    assert PHONE_A in page and PHONE_B not in page
    by_booking = client.get(url, {"booking": booking_a.reference}).content.decode()
    assert booking_a.reference in by_booking and "Du er booket" in by_booking
    assert "No messages." in client.get(url, {"phone": PHONE_B}).content.decode()
    assert "No messages." in client.get(url, {"booking": booking_b.reference}).content.decode()
    failed = client.get(url, {"status": "failed"})
    assert failed.status_code == 200


@pytest.mark.django_db
def test_superuser_sees_everything(client, two_organisations, django_user_model):
    admin = django_user_model.objects.create_superuser("root", password="x")
    client.force_login(admin)
    page = en(client).get(reverse("sms_admin:needs_person")).content.decode()
    assert PHONE_A in page and PHONE_B in page


@pytest.mark.django_db
def test_admin_simulator_runs_the_pipeline(client):
    org = make_organisation()
    make_bookable_session(organisation=org, sms_code="4021")
    client.force_login(make_staff_user(org))
    url = reverse("sms_admin:simulator")
    assert en(client).get(url).status_code == 200
    response = client.post(url, {"phone": "70 00 00 12", "text": "tid 4021"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Ledige tider:" in page and "tid 4021" in page
    client.post(url, {"phone": "70000012", "text": "1"})
    from bookings.models import Booking

    booking = Booking.objects.get(phone="+4570000012", channel="sms")
    assert booking.is_practice


@pytest.mark.django_db
def test_admin_views_refuse_users_without_an_organisation(client, django_user_model):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("lonely", password="x")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    refused = client.get(reverse("sms_admin:simulator"))
    assert refused.status_code == 302 and refused["Location"] == "/admin/"  # Wagtail's "denied"
    page = en(client).get(reverse("sms_admin:needs_person")).content.decode()
    assert "Nobody is waiting" in page


@pytest.mark.django_db
def test_anonymous_users_are_sent_to_login(client):
    response = client.get(reverse("sms_admin:messages"))
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.django_db
def test_public_simulator_only_in_debug(client, settings):
    assert client.get("/sms/simulator/").status_code == 404
    settings.DEBUG = True
    assert client.get("/sms/simulator/").status_code == 200


@pytest.mark.django_db
def test_menu_item_is_shown_to_staff(client):
    org = make_organisation()
    client.force_login(make_staff_user(org))
    page = en(client).get("/admin/").content.decode()
    assert "SMS that need a person" in page


@pytest.mark.django_db
def test_a_stuck_first_time_texter_is_shown_to_the_place_they_asked_about(client):
    org_a, org_b = make_organisation(), make_organisation()
    make_bookable_session(organisation=org_a, sms_code="4021")
    make_bookable_session(organisation=org_b, sms_code="5000")
    services.simulate_inbound(phone=PHONE_A, body="tid 4021")
    services.simulate_inbound(phone=PHONE_A, body="hvad")
    services.simulate_inbound(phone=PHONE_A, body="hvad??")
    url = reverse("sms_admin:needs_person")
    client.force_login(make_staff_user(org_a))
    assert PHONE_A in en(client).get(url).content.decode()
    client.force_login(make_staff_user(org_b))
    assert PHONE_A not in en(client).get(url).content.decode()
