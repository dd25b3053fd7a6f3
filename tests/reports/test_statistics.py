"""Statistics against a hand-counted fixture.

Week 10 (Tue 3 March 2026) and week 11 (Tue 10 March), one organisation:

 #  week channel mode       status
 1  10   web     in person  came
 2  10   web     in person  did not come
 3  10   sms     in person  cancelled by the citizen
 4  10   sms     video      came
 5  10   staff   phone      came
 6  10   web     video      cancelled by the system (left out of the rates)
 7  11   web     video      booked
 8  11   sms     in person  did not come
 9  11   staff   in person  cancelled by staff
Outside: one booking at another organisation, one in week 12 (after the range).
"""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from bookings.models import Booking
from reports.selectors import statistics
from sms.models import Message

from .conftest import NOW, book, slots_of

pytestmark = pytest.mark.django_db

FIRST, LAST = date(2026, 3, 2), date(2026, 3, 15)


def _set(booking, status, cancelled_by=""):
    Booking.objects.filter(pk=booking.pk).update(status=status, cancelled_by=cancelled_by)


@pytest.fixture
def fixture(world):
    w = world
    s1 = slots_of(w.session_a, w.day1)
    s2 = slots_of(w.session_a, w.day2)
    b = {}
    b[1] = book(s1[0], "20123401", channel="web")
    b[2] = book(s1[0], "20123402", channel="web")
    b[3] = book(s1[1], "20123403", channel="sms")
    b[4] = book(s1[1], "20123404", channel="sms", mode="video")
    b[5] = book(s1[2], "20123405", channel="staff", mode="phone")
    b[6] = book(s1[2], "20123406", channel="web", mode="video")
    b[7] = book(s2[0], "20123407", channel="web", mode="video")
    b[8] = book(s2[0], "20123408", channel="sms")
    b[9] = book(s2[1], "20123409", channel="staff")
    for n in (1, 4, 5):
        _set(b[n], "attended")
    for n in (2, 8):
        _set(b[n], "no_show")
    _set(b[3], "cancelled", "citizen")
    _set(b[6], "cancelled", "system")
    _set(b[9], "cancelled", "staff")
    foreign = book(slots_of(w.other_session, w.day1)[0], "20123410", channel="web")
    book(slots_of(w.session_a, w.day3)[0], "20123411", channel="web")

    Message.objects.all().delete()
    for booking, status in ((b[1], "delivered"), (b[2], "failed"), (b[4], "sent")):
        Message.objects.create(
            direction="out",
            to_number=booking.phone,
            body="x",
            purpose="t",
            booking=booking,
            status=status,
            created_at=NOW,
        )
    Message.objects.create(
        direction="out",
        to_number=foreign.phone,
        body="x",
        purpose="t",
        booking=foreign,
        status="delivered",
        created_at=NOW,
    )
    w.bookings = b
    return w


def rates(rows):
    return {r.key: (r.numerator, r.denominator) for r in rows}


def test_bookings_per_week_by_channel_and_mode(fixture):
    stats = statistics(paths=[fixture.org.path], first=FIRST, last=LAST)
    assert stats.weeks == [date(2026, 3, 2), date(2026, 3, 9)]
    assert stats.by_channel == {"sms": [2, 1], "web": [3, 1], "staff": [1, 1]}
    assert stats.by_mode == {"in_person": [3, 2], "video": [2, 1], "phone": [1, 0]}
    assert stats.totals["bookings"] == 9


def test_cancellation_and_no_show_rates_by_mode_and_channel(fixture):
    stats = statistics(paths=[fixture.org.path], first=FIRST, last=LAST)
    assert rates(stats.cancellation_by_mode) == {
        "in_person": (2, 5),
        "video": (0, 2),
        "phone": (0, 1),
    }
    assert rates(stats.no_show_by_mode) == {"in_person": (2, 3), "video": (0, 1), "phone": (0, 1)}
    assert rates(stats.cancellation_by_channel) == {"sms": (1, 3), "web": (0, 3), "staff": (1, 2)}
    assert rates(stats.no_show_by_channel) == {"sms": (1, 2), "web": (1, 2), "staff": (0, 1)}
    in_person = next(r for r in stats.cancellation_by_mode if r.key == "in_person")
    with translation.override("en"):
        assert in_person.percent == "40.0\u00a0%"
    with translation.override("da"):
        assert in_person.percent == "40,0\u00a0%"


def test_sms_counts_belong_to_the_booking_organisation(fixture):
    stats = statistics(paths=[fixture.org.path], first=FIRST, last=LAST)
    assert (stats.sms["sent"], stats.sms["delivered"], stats.sms["failed"]) == (3, 1, 1)
    everyone = statistics(paths=None, first=FIRST, last=LAST)
    assert (everyone.sms["sent"], everyone.sms["delivered"]) == (4, 2)
    assert everyone.totals["bookings"] == 10


def test_volunteer_coverage_and_walk_ins(fixture):
    from bookings.models import Occurrence
    from volunteers.models import Shift, Volunteer, WalkIn

    w = fixture
    a1 = Occurrence.objects.get(session=w.session_a, date=w.day1)
    a2 = Occurrence.objects.get(session=w.session_a, date=w.day2)
    b1 = Occurrence.objects.get(session=w.session_b, date=w.day1)
    anna = Volunteer.objects.create(phone="+4520123490", first_name="Anna")
    bo = Volunteer.objects.create(phone="+4520123491", first_name="Bo")
    Shift.objects.create(volunteer=anna, occurrence=a1)
    Shift.objects.create(volunteer=bo, occurrence=a1)
    Shift.objects.create(volunteer=anna, occurrence=a2)
    Shift.objects.create(volunteer=bo, occurrence=b1, status="dropped")  # does not count
    WalkIn.objects.create(occurrence=a1, count=3)
    WalkIn.objects.create(occurrence=a2, count=2)
    other = Occurrence.objects.get(session=w.other_session, date=w.day1)
    WalkIn.objects.create(occurrence=other, count=5)  # another organisation

    stats = statistics(paths=[w.org.path], first=FIRST, last=LAST)
    # Two hotspots with a Tuesday session each: four occurrences in the two weeks.
    assert stats.volunteers["available"] is True
    assert (stats.volunteers["sessions"], stats.volunteers["covered"]) == (4, 2)
    assert (stats.volunteers["uncovered"], stats.volunteers["shifts"]) == (2, 3)
    assert stats.walk_ins == 5


def test_dashboard_and_csv_for_staff_of_the_organisation(client, fixture):
    client.force_login(fixture.editor)
    url = reverse("reports_admin:dashboard")
    query = {"from": FIRST.isoformat(), "to": LAST.isoformat()}
    response = client.get(url, query, HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-stat="bookings">9<' in html
    assert html.count('role="img"') == 6
    assert "<title" in html and "<desc" in html
    csv_text = client.get(reverse("reports_admin:csv"), query).content.decode("utf-8-sig")
    assert "cancellation_rate_by_mode,,in_person,2,5,0.4000" in csv_text
    assert "bookings_by_channel,2026-03-02,web,3,,3" in csv_text


def test_other_organisations_cannot_be_chosen(client, fixture):
    client.force_login(fixture.other_coordinator)
    query = {"from": FIRST.isoformat(), "to": LAST.isoformat(), "organisation": fixture.org.pk}
    html = client.get(reverse("reports_admin:dashboard"), query).content.decode()
    assert 'data-stat="bookings">1<' in html  # their own booking, not ours
    query["organisation"] = "all"
    html = client.get(reverse("reports_admin:dashboard"), query).content.decode()
    assert 'data-stat="bookings">1<' in html


def test_users_without_an_organisation_get_404(client, fixture, django_user_model):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("nobody", password="x")
    # Into the admin, but staff of no organisation.
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    assert client.get(reverse("reports_admin:dashboard")).status_code == 404
    assert client.get(reverse("reports_admin:csv")).status_code == 404
