"""Staff screens in the Wagtail admin. Tenancy on every view: staff of organisation A never see
or touch organisation B's bookings or slots, whatever id they put in the URL."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bookings import services
from bookings.models import Booking
from bookings.selectors import bookable_slots
from tests.factories import make_hotspot, make_organisation, make_staff_user, make_topic
from tests.shared_rows import per_test, shared_rows

from .conftest import make_booked_session

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _shared_tenants(django_db_setup, django_db_blocker, request):
    yield from shared_rows(django_db_blocker, request, _build_tenants)


@pytest.fixture
def tenants(_shared_tenants, home):
    return per_test(_shared_tenants)


def _build_tenants():
    topic = make_topic("MitID")
    org_a = make_organisation("Aarhus Kommune")
    org_b = make_organisation("Aalborg Kommune")
    session_a = make_booked_session(make_hotspot(org_a, "Dokk1", topics=[topic], sms_code="4021"))
    session_b = make_booked_session(make_hotspot(org_b, "Aalborg Bibliotek", sms_code="9000"))
    slot_a = bookable_slots(session=session_a)[0]
    slot_b = bookable_slots(session=session_b)[0]
    booking_a = services.book_slot(
        slot_id=slot_a.pk, first_name="Anna", phone="20111111", channel="web"
    )
    booking_b = services.book_slot(
        slot_id=slot_b.pk, first_name="Bent", phone="20222222", channel="web"
    )
    return {
        "org_a": org_a,
        "org_b": org_b,
        "slot_a": slot_a,
        "slot_b": slot_b,
        "a": booking_a,
        "b": booking_b,
    }


def staff_client(organisation, role="editors_group"):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(make_staff_user(organisation, role=role))
    return client


def day_of(booking):
    return timezone.localdate(booking.slot.starts_at).isoformat()


def list_url(booking):
    return f"{reverse('bookings_admin:index')}?from={day_of(booking)}&days=1"


@pytest.mark.parametrize("role", ["editors_group", "coordinators_group", "caseworkers_group"])
def test_list_shows_only_own_organisation(tenants, role):
    client = staff_client(tenants["org_a"], role)
    response = client.get(list_url(tenants["a"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Anna" in html and "+45 20 11 11 11" in html and "Dokk1" in html
    assert "Bent" not in html and "Aalborg" not in html


def test_list_of_the_upcoming_week_by_default(tenants):
    html = staff_client(tenants["org_a"]).get(reverse("bookings_admin:index")).content.decode()
    assert "Anna" in html and "Bent" not in html


def test_menu_item_only_for_staff_of_an_organisation(tenants):
    from django.contrib.auth.models import Permission

    from tests.factories import get_user_model

    html = staff_client(tenants["org_a"]).get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("bookings_admin:index") in html

    outsider = get_user_model().objects.create_user(username="outsider", password="x")
    outsider.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(outsider)
    assert (
        reverse("bookings_admin:index")
        not in client.get(reverse("wagtailadmin_home")).content.decode()
    )
    assert client.get(reverse("bookings_admin:index")).status_code == 404


def test_anonymous_users_are_sent_to_the_login(tenants):
    response = Client().get(reverse("bookings_admin:index"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_mark_attendance_own_booking_only(tenants):
    client = staff_client(tenants["org_a"])
    a, b = tenants["a"], tenants["b"]
    url_b = reverse("bookings_admin:mark_attendance", args=[b.pk])
    assert client.post(url_b, {"attended": "1"}).status_code == 404
    b.refresh_from_db()
    assert b.status == "confirmed"
    assert client.get(reverse("bookings_admin:mark_attendance", args=[a.pk])).status_code == 405

    response = client.post(
        reverse("bookings_admin:mark_attendance", args=[a.pk]),
        {"attended": "0", "next": list_url(a)},
    )
    assert response.status_code == 302
    a.refresh_from_db()
    if timezone.localdate(a.slot.starts_at) <= timezone.localdate():
        assert a.status == "no_show"
    else:
        # The engine only allows marking from the day of the session: refused, not changed.
        assert a.status == "confirmed"


def test_mark_attendance_on_the_day(tenants):
    a = tenants["a"]
    # Move the clock's notion of "the day" by moving the booking's slot to today.
    from bookings.models import Occurrence

    occurrence = a.slot.occurrence
    Occurrence.objects.filter(session_id=occurrence.session_id, date=timezone.localdate()).exclude(
        pk=occurrence.pk
    ).delete()
    Occurrence.objects.filter(pk=occurrence.pk).update(date=timezone.localdate())
    client = staff_client(tenants["org_a"])
    client.post(reverse("bookings_admin:mark_attendance", args=[a.pk]), {"attended": "1"})
    a.refresh_from_db()
    assert a.status == "attended"


def test_redirect_after_marking_stays_on_this_site(tenants):
    a = tenants["a"]
    client = staff_client(tenants["org_a"])
    response = client.post(
        reverse("bookings_admin:mark_attendance", args=[a.pk]),
        {"attended": "1", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("bookings_admin:index")


def test_cancel_own_booking_only(tenants):
    client = staff_client(tenants["org_a"])
    url_b = reverse("bookings_admin:cancel", args=[tenants["b"].pk])
    assert client.get(url_b).status_code == 404
    assert client.post(url_b, {"reason": "closed"}).status_code == 404
    assert Booking.objects.get(pk=tenants["b"].pk).status == "confirmed"
    client.post(reverse("bookings_admin:cancel", args=[tenants["a"].pk]), {"reason": "closed"})
    a = Booking.objects.get(pk=tenants["a"].pk)
    assert (a.status, a.cancelled_by) == ("cancelled", "staff")


def test_staff_cancel_asks_first_and_takes_a_reason_the_sms_does_not_show(tenants):
    from sms.models import Message

    a = tenants["a"]
    client = staff_client(tenants["org_a"])
    listing = client.get(list_url(a)).content.decode()
    url = reverse("bookings_admin:cancel", args=[a.pk])
    assert url in listing  # a link to the question, not a button that cancels at once

    page = client.get(url).content.decode()
    assert "Cancel the booking" in page and "Anna" in page and a.reference in page
    assert "Dokk1" in page  # where, not only the session's name
    assert "The place is closed that day" in page and "No, go back" in page
    assert Booking.objects.get(pk=a.pk).status == "confirmed"

    # Without a reason: a kind error, nothing cancelled.
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400
    assert "Choose why the booking is cancelled." in response.content.decode()
    assert 'role="alert"' in response.content.decode()
    assert client.post(url, {"reason": "nonsense"}).status_code == 400
    assert Booking.objects.get(pk=a.pk).status == "confirmed"
    assert not Message.objects.filter(purpose="booking_cancelled").exists()

    response = client.post(url, {"reason": "no_staff", "next": list_url(a)})
    assert response.status_code == 302 and response["Location"] == list_url(a)
    a = Booking.objects.get(pk=a.pk)
    assert (a.status, a.cancelled_by) == ("cancelled", "staff")
    event = a.events.get(kind="cancelled")
    assert (event.actor, event.reason) == ("staff", "no_staff")
    sms = Message.objects.get(purpose="booking_cancelled", booking=a)
    for words in ("staff", "volunteer", "personale", "frivillig"):
        assert words not in sms.body.lower()
    # Asking again about a cancelled booking goes back with a note, it does not cancel twice.
    assert client.get(url).status_code == 302


def test_book_on_behalf_own_slots_only(tenants, topic):
    client = staff_client(tenants["org_a"])
    choose = client.get(reverse("bookings_admin:choose_slot")).content.decode()
    assert reverse("bookings_admin:book", args=[tenants["slot_a"].pk]) in choose
    assert reverse("bookings_admin:book", args=[tenants["slot_b"].pk]) not in choose

    url_b = reverse("bookings_admin:book", args=[tenants["slot_b"].pk])
    assert client.get(url_b).status_code == 404
    data = {
        "first_name": "Carl",
        "phone": "20333333",
        "help_topic": "",
        "note": "",
        "language": "da",
    }
    assert client.post(url_b, data).status_code == 404
    assert not Booking.objects.filter(first_name="Carl").exists()

    url_a = reverse("bookings_admin:book", args=[tenants["slot_a"].pk])
    assert client.get(url_a).status_code == 200
    response = client.post(url_a, {**data, "help_topic": topic.pk})
    assert response.status_code == 302, response.content.decode()[:3000]
    carl = Booking.objects.get(first_name="Carl")
    assert (carl.channel, carl.phone, carl.slot_id) == (
        "staff",
        "+4520333333",
        tenants["slot_a"].pk,
    )


def test_book_on_behalf_without_a_phone_and_refuses_cpr(tenants):
    client = staff_client(tenants["org_a"])
    url = reverse("bookings_admin:book", args=[tenants["slot_a"].pk])
    base = {"first_name": "Dora", "phone": "", "help_topic": "", "language": "da"}
    response = client.post(url, {**base, "note": "cpr 010190-1234"})
    assert response.status_code == 200 and "CPR" in response.content.decode()
    assert client.post(url, {**base, "note": ""}).status_code == 302
    assert Booking.objects.get(first_name="Dora").phone == ""


@pytest.mark.parametrize("kind", ["day_csv", "day_print"])
def test_day_list_export_own_organisation_only(tenants, kind):
    a, b = tenants["a"], tenants["b"]
    client = staff_client(tenants["org_a"])
    for booking in (a, b):
        response = client.get(reverse(f"bookings_admin:{kind}", args=[day_of(booking)]))
        assert response.status_code == 200
        body = response.content.decode("utf-8-sig")
        if booking is a:
            assert "Anna" in body and a.reference in body or kind == "day_print"
            assert "Anna" in body
        assert "Bent" not in body and "20 22 22 22" not in body
    # Asking for another organisation's id in the filter does not widen the scope.
    response = client.get(
        reverse(f"bookings_admin:{kind}", args=[day_of(b)]) + f"?organisation={tenants['org_b'].pk}"
    )
    assert "Bent" not in response.content.decode("utf-8-sig")


def test_csv_is_safe_for_spreadsheets(tenants):
    a = tenants["a"]
    Booking.objects.filter(pk=a.pk).update(first_name="=HYPERLINK(1)")
    client = staff_client(tenants["org_a"])
    body = client.get(reverse("bookings_admin:day_csv", args=[day_of(a)])).content.decode(
        "utf-8-sig"
    )
    assert "'=HYPERLINK(1)" in body
    assert "'+45 20 11 11 11" in body


def test_bad_dates_are_404_not_errors(tenants):
    client = staff_client(tenants["org_a"])
    assert client.get(reverse("bookings_admin:day_csv", args=["not-a-date"])).status_code == 404
    assert client.get(reverse("bookings_admin:index") + "?from=nope&days=x").status_code == 200


def test_superuser_sees_every_organisation(tenants):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("root", password="x")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(admin)
    html = client.get(list_url(tenants["a"])).content.decode()
    assert "Anna" in html
