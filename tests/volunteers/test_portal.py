"""The volunteer portal: what a volunteer sees, and never sees, and the buttons that change it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings import services as booking_services
from bookings.models import Booking
from tests.factories import first_day_not_started
from volunteers.models import Shift, VolunteerNeed, WalkIn
from volunteers.views import SESSION_KEY

from .conftest import cphone, make_cafe, make_volunteer, vphone

pytestmark = pytest.mark.django_db


def log_in(client, volunteer):
    session = client.session
    session[SESSION_KEY] = volunteer.pk
    session.save()


@pytest.fixture
def two_cafes(home):
    now = timezone.now()
    ours = make_cafe(now=now, title="Hovedbiblioteket")
    theirs = make_cafe(now=now, title="Fremmed Bibliotek")
    return ours, theirs


def test_pages_need_a_login(client):
    for name in ("volunteers:home", "volunteers:sessions", "volunteers:hours"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"] == reverse("volunteers:login")


def test_sessions_show_staffing_and_only_my_organisation(client, two_cafes):
    (org, _hotspot, session), (_other_org, _oh, other_session) = two_cafes
    anna = make_volunteer(org, vphone(1), "Anna")
    log_in(client, anna)
    response = client.get(reverse("volunteers:sessions"), HTTP_ACCEPT_LANGUAGE="en")
    content = response.content.decode()
    assert "Hovedbiblioteket" in content and "Fremmed Bibliotek" not in content
    assert "0 of 2 volunteers" in content
    assert reverse("volunteers:take", args=[first_day_not_started(session).pk]) in content
    assert reverse("volunteers:take", args=[first_day_not_started(other_session).pk]) not in content


def test_take_double_tap_and_full(client, two_cafes):
    (org, _hotspot, session), _theirs = two_cafes
    VolunteerNeed.objects.create(session=session, volunteers_needed=1)
    anna = make_volunteer(org, vphone(1), "Anna")
    bent = make_volunteer(org, vphone(2), "Bent")
    occurrence = first_day_not_started(session)
    url = reverse("volunteers:take", args=[occurrence.pk])
    log_in(client, anna)
    first = client.post(url, {"weekly": "0"}, HTTP_ACCEPT_LANGUAGE="en")
    shift = Shift.objects.get(volunteer=anna)
    assert first["Location"] == reverse("volunteers:shift", args=[shift.pk])
    second = client.post(url, {"weekly": "0"}, HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert "You already have this shift" in second.content.decode()
    assert Shift.objects.filter(volunteer=anna).count() == 1

    client.cookies.clear()
    log_in(client, bent)
    response = client.post(url, {"weekly": "0"}, HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert "took the last place" in response.content.decode()
    assert not Shift.objects.filter(volunteer=bent).exists()


def test_other_organisations_ids_are_404(client, two_cafes):
    (org, _hotspot, _session), (other_org, _oh, other_session) = two_cafes
    anna = make_volunteer(org, vphone(1), "Anna")
    ole = make_volunteer(other_org, vphone(2), "Ole")
    occurrence = first_day_not_started(other_session)
    ole_shift = Shift.objects.create(volunteer=ole, occurrence=occurrence)
    log_in(client, anna)
    assert client.post(reverse("volunteers:take", args=[occurrence.pk])).status_code == 404
    assert client.get(reverse("volunteers:shift", args=[ole_shift.pk])).status_code == 404
    assert client.get(reverse("volunteers:drop", args=[ole_shift.pk])).status_code == 404
    assert client.post(reverse("volunteers:walk_in", args=[ole_shift.pk])).status_code == 404


def test_shift_page_shows_bookings_of_my_shift_only(client, two_cafes):
    (org, _hotspot, session), (other_org, _oh, other_session) = two_cafes
    anna = make_volunteer(org, vphone(1), "Anna")
    occurrence = first_day_not_started(session)
    shift = Shift.objects.create(volunteer=anna, occurrence=occurrence)
    booking_services.recompute_capacity(occurrence=occurrence)
    booking_services.book_slot(
        slot_id=occurrence.slots.first().pk,
        first_name="Karen",
        phone=cphone(1),
        channel="sms",
        note="Ny telefon",
    )
    ole = make_volunteer(other_org, vphone(2), "Ole")
    theirs = first_day_not_started(other_session)
    Shift.objects.create(volunteer=ole, occurrence=theirs)
    booking_services.recompute_capacity(occurrence=theirs)
    other_booking = booking_services.book_slot(
        slot_id=theirs.slots.first().pk, first_name="Fremmed", phone=cphone(2), channel="web"
    )
    log_in(client, anna)
    content = client.get(
        reverse("volunteers:shift", args=[shift.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Karen" in content and "Ny telefon" in content and "SMS" in content
    assert "Fremmed" not in content and cphone(1) not in content  # no phone numbers shown
    # Marking another organisation's booking is a 404, even through my own shift's URL.
    response = client.post(
        reverse("volunteers:mark_booking", args=[shift.pk, other_booking.pk]), {"attended": "1"}
    )
    assert response.status_code == 404
    assert Booking.objects.get(pk=other_booking.pk).status == "confirmed"


def test_mark_attended_and_walk_in_on_the_day(client, home):
    now = timezone.now()
    org, _hotspot, session = make_cafe(now=now)
    anna = make_volunteer(org, vphone(1), "Anna")
    occurrence = first_day_not_started(session)
    shift = Shift.objects.create(volunteer=anna, occurrence=occurrence)
    booking_services.recompute_capacity(occurrence=occurrence)
    booking = booking_services.book_slot(
        slot_id=occurrence.slots.first().pk, first_name="Karen", phone=cphone(1), channel="web"
    )
    log_in(client, anna)
    url = reverse("volunteers:mark_booking", args=[shift.pk, booking.pk])
    # Before the day: a clear message, nothing changes.
    early = client.post(url, {"attended": "1"}, HTTP_ACCEPT_LANGUAGE="en", follow=True)
    if occurrence.date > timezone.localdate():
        assert "on the day of the session" in early.content.decode()
    # On the day (the engine checks the date; here we move the session to today). During a
    # Tuesday café today has an occurrence of its own, already started: it makes room.
    today = timezone.localdate()
    type(occurrence).objects.filter(session=session, date=today).exclude(pk=occurrence.pk).delete()
    type(occurrence).objects.filter(pk=occurrence.pk).update(date=today)
    client.post(url, {"attended": "1"})
    assert Booking.objects.get(pk=booking.pk).status == "attended"
    client.post(url, {"attended": "0"})
    assert Booking.objects.get(pk=booking.pk).status == "no_show"
    client.post(reverse("volunteers:walk_in", args=[shift.pk]), {"help_topic": "", "count": "2"})
    walk_in = WalkIn.objects.get()
    assert walk_in.count == 2 and walk_in.recorded_by == anna


def test_drop_warns_then_drops(client, two_cafes):
    (org, _hotspot, session), _theirs = two_cafes
    anna = make_volunteer(org, vphone(1), "Anna")
    occurrence = first_day_not_started(session)
    shift = Shift.objects.create(volunteer=anna, occurrence=occurrence)
    booking_services.recompute_capacity(occurrence=occurrence)
    booking_services.book_slot(
        slot_id=occurrence.slots.first().pk, first_name="Karen", phone=cphone(1), channel="web"
    )
    log_in(client, anna)
    url = reverse("volunteers:drop", args=[shift.pk])
    response = client.post(url, {"reason": "ill"}, HTTP_ACCEPT_LANGUAGE="en")
    content = response.content.decode()
    assert "1 citizen has booked and would have no volunteer" in content
    assert 'name="confirmed" value="1"' in content
    assert Shift.objects.get(pk=shift.pk).status == "taken"
    response = client.post(url, {"reason": "ill", "confirmed": "1"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    assert Shift.objects.get(pk=shift.pk).status == "dropped"


def test_hours_log_and_csv(client, home):
    now = timezone.now()
    org, _hotspot, session = make_cafe(now=now - timedelta(days=21))
    anna = make_volunteer(org, vphone(1), "Anna")
    past = session.occurrences.filter(ends_at__lt=now).order_by("starts_at")[:2]
    for occurrence in past:
        Shift.objects.create(volunteer=anna, occurrence=occurrence)
    log_in(client, anna)
    content = client.get(reverse("volunteers:hours"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "You have helped for 4 hours" in content
    response = client.get(reverse("volunteers:hours_csv"), HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().strip().splitlines()
    assert len(lines) == 4 and lines[-1].endswith("4.00")


def test_drop_warns_on_the_first_screen_and_again_if_more_citizens_book(client, two_cafes):
    (org, _hotspot, session), _theirs = two_cafes
    anna = make_volunteer(org, vphone(1), "Anna")
    occurrence = first_day_not_started(session)
    shift = Shift.objects.create(volunteer=anna, occurrence=occurrence)
    booking_services.recompute_capacity(occurrence=occurrence)
    slot = occurrence.slots.first()
    booking_services.book_slot(slot_id=slot.pk, first_name="Karen", phone=cphone(1), channel="web")
    log_in(client, anna)
    url = reverse("volunteers:drop", args=[shift.pk])
    # Before anything is submitted, in Danish.
    content = client.get(url, HTTP_ACCEPT_LANGUAGE="da").content.decode()
    assert "Borgere vil stå uden frivillig" in content
    assert "1 borger har booket og vil stå uden frivillig." in content
    assert 'name="confirmed" value="1"' in content and "button-warning" in content
    # Someone books while the page is open: the warning is shown again with the new number.
    booking_services.book_slot(slot_id=slot.pk, first_name="Lone", phone=cphone(2), channel="web")
    response = client.post(url, {"reason": "ill", "confirmed": "1"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "2 citizens have booked and would have no volunteer" in response.content.decode()
    assert Shift.objects.get(pk=shift.pk).status == "taken"
    response = client.post(url, {"reason": "ill", "confirmed": "2"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    assert Shift.objects.get(pk=shift.pk).status == "dropped"


def test_no_warning_when_no_one_is_left_without_a_volunteer(client, two_cafes):
    (org, _hotspot, session), _theirs = two_cafes
    anna = make_volunteer(org, vphone(1), "Anna")
    shift = Shift.objects.create(volunteer=anna, occurrence=first_day_not_started(session))
    log_in(client, anna)
    content = client.get(reverse("volunteers:drop", args=[shift.pk])).content.decode()
    assert 'name="confirmed"' not in content and "alert-warning" not in content


def test_the_booked_count_is_danish(client, two_cafes):
    (org, _hotspot, session), _theirs = two_cafes
    anna = make_volunteer(org, vphone(1), "Anna")
    log_in(client, anna)
    content = client.get(reverse("volunteers:sessions"), HTTP_ACCEPT_LANGUAGE="da").content
    assert "0 borgere har booket" in content.decode()
    assert "citizens booked" not in content.decode()
