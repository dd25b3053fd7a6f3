"""Holidays and closures: Danish public holidays, Christmas Eve and New Year's Eve are not offered
unless the session's editor opens the day; editors close a hotspot or a session for a date range,
citizens see why, and the planner offers no date inside it."""

from datetime import UTC, date, datetime, timedelta

import pytest
import recurrence
from django.utils import timezone, translation

from bookings import services
from bookings.materialise import materialise_session
from bookings.models import Occurrence
from hotspots.closed_days import holidays_between, period_text
from hotspots.models import HotspotClosure, OpenedHoliday, SessionClosure
from tests.factories import make_hotspot, make_organisation, make_session, weekly

pytestmark = pytest.mark.django_db

EVERY_DAY = weekly(
    recurrence.MO,
    recurrence.TU,
    recurrence.WE,
    recurrence.TH,
    recurrence.FR,
    recurrence.SA,
    recurrence.SU,
)
# Tuesday 1 December 2026, 12:00 Copenhagen: the eight-week horizon covers Christmas and New Year.
DECEMBER = datetime(2026, 12, 1, 11, 0, tzinfo=UTC)
CLOSED_AT_CHRISTMAS = [
    date(2026, 12, 24),
    date(2026, 12, 25),
    date(2026, 12, 26),
    date(2026, 12, 31),
    date(2027, 1, 1),
]


def offered(session):
    return set(
        Occurrence.objects.filter(session=session, status="scheduled").values_list(
            "date", flat=True
        )
    )


@pytest.fixture
def hotspot(home):
    return make_hotspot(make_organisation())


def test_christmas_and_new_year_are_not_offered(hotspot):
    session = make_session(hotspot, rule=EVERY_DAY)
    materialise_session(session, now=DECEMBER)
    dates = offered(session)
    assert not dates & set(CLOSED_AT_CHRISTMAS)
    assert {date(2026, 12, 23), date(2026, 12, 27), date(2026, 12, 30), date(2027, 1, 2)} <= dates


def test_easter_monday_is_not_offered(hotspot, now):
    session = make_session(hotspot, rule=weekly(recurrence.MO))
    materialise_session(session, now=now)
    dates = offered(session)
    assert date(2026, 4, 6) not in dates  # Anden påskedag
    assert {date(2026, 3, 30), date(2026, 4, 13)} <= dates


def test_a_holiday_the_editor_opened_is_offered(hotspot):
    session = make_session(hotspot, rule=EVERY_DAY)
    session.opened_holidays.add(OpenedHoliday(date=date(2026, 12, 24)))
    session.save_revision().publish()
    materialise_session(session, now=DECEMBER)
    dates = offered(session)
    assert date(2026, 12, 24) in dates
    assert date(2026, 12, 25) not in dates


def test_a_session_closure_removes_its_dates_and_opening_them_again_brings_them_back(hotspot):
    session = make_session(hotspot, rule=EVERY_DAY)
    materialise_session(session, now=DECEMBER)
    assert date(2026, 12, 10) in offered(session)

    session.closures.add(
        SessionClosure(starts_on=date(2026, 12, 7), ends_on=date(2026, 12, 11), reason="Kursus")
    )
    session.save_revision().publish()
    materialise_session(session, now=DECEMBER)
    dates = offered(session)
    assert not dates & {date(2026, 12, d) for d in range(7, 12)}
    assert {date(2026, 12, 6), date(2026, 12, 12)} <= dates

    session.closures.clear()
    session.save_revision().publish()
    materialise_session(session, now=DECEMBER)
    assert {date(2026, 12, d) for d in range(7, 12)} <= offered(session)


def test_a_hotspot_closure_applies_to_all_its_sessions(hotspot):
    mornings = make_session(hotspot, rule=EVERY_DAY)
    mondays = make_session(hotspot, "Mandagscafé", rule=weekly(recurrence.MO))
    elsewhere = make_session(make_hotspot(make_organisation()), rule=weekly(recurrence.MO))
    hotspot.closures.add(
        HotspotClosure(starts_on=date(2026, 12, 7), ends_on=date(2026, 12, 13), reason="Maling")
    )
    hotspot.save_revision().publish()
    for session in (mornings, mondays, elsewhere):
        materialise_session(session, now=DECEMBER)
    assert not offered(mornings) & {date(2026, 12, d) for d in range(7, 14)}
    assert date(2026, 12, 7) not in offered(mondays)
    assert date(2026, 12, 14) in offered(mondays)
    assert date(2026, 12, 7) in offered(elsewhere)


def test_publishing_a_hotspot_closure_removes_unbooked_future_dates(
    hotspot, django_capture_on_commit_callbacks
):
    # The publish signal re-plans with the real clock, so the closure is placed from today.
    today = timezone.localdate()
    session = make_session(hotspot, rule=EVERY_DAY, starts_on=today)
    materialise_session(session)
    closed = {today + timedelta(days=d) for d in range(10, 13)}
    assert closed - holidays_between(today, today + timedelta(days=13)) <= offered(session)

    hotspot.closures.add(
        HotspotClosure(starts_on=min(closed), ends_on=max(closed), reason="Flytning")
    )
    with django_capture_on_commit_callbacks(execute=True):
        hotspot.save_revision().publish()
    assert not offered(session) & closed
    assert not Occurrence.objects.filter(session=session, date__in=closed).exists()


def test_a_booked_date_inside_a_new_closure_is_cancelled_and_its_citizen_told(
    session, slot, now, sms_outbox, django_capture_on_commit_callbacks
):
    booking = services.book_slot(
        slot_id=slot.pk, first_name="Bodil", phone="20123456", channel="web", now=now
    )
    day = slot.occurrence.date
    session.closures.add(SessionClosure(starts_on=day, ends_on=day, reason="Sygdom"))
    session.save_revision().publish()
    with django_capture_on_commit_callbacks(execute=True):
        materialise_session(session, now=now)
    occurrence = Occurrence.objects.get(pk=slot.occurrence_id)
    assert occurrence.status == "cancelled"
    booking.refresh_from_db()
    assert booking.status == "cancelled"
    assert [m.to for m in sms_outbox] == [booking.phone]
    # The citizen is told the editor's reason, shortly.
    assert "er aflyst: Sygdom. Svar TID" in sms_outbox[0].body


def test_citizens_see_the_closure_and_its_reason_on_the_hotspot_and_session_pages(client, hotspot):
    today = timezone.localdate()
    session = make_session(hotspot)
    hotspot.closures.add(
        HotspotClosure(
            starts_on=today + timedelta(days=3),
            ends_on=today + timedelta(days=5),
            reason="Biblioteket holder lukket for maling",
        )
    )
    hotspot.closures.add(
        HotspotClosure(
            starts_on=today - timedelta(days=10),
            ends_on=today - timedelta(days=1),
            reason="En gammel lukning",
        )
    )
    hotspot.save_revision().publish()
    session.closures.add(
        SessionClosure(
            starts_on=today, ends_on=today + timedelta(days=1), reason="Ingen frivillige"
        )
    )
    session.save_revision().publish()

    hotspot_page = client.get(hotspot.url).content.decode()
    assert "Ingen frivillige" not in hotspot_page  # one session's closure is not the place's
    for url in (hotspot.url, session.url):
        page = client.get(url).content.decode()
        assert "Lukket " in page
        assert "Biblioteket holder lukket for maling" in page
        assert "En gammel lukning" not in page
    assert "Ingen frivillige" in page


def test_the_closure_period_reads_naturally_in_danish_and_english():
    with translation.override("da"):
        assert period_text(date(2026, 12, 22), date(2026, 12, 26)) == "22.–26. december"
        assert period_text(date(2026, 12, 28), date(2027, 1, 2)) == "28. december–2. januar"
        assert period_text(date(2026, 12, 22), date(2026, 12, 22)) == "22. december"
    with translation.override("en"):
        assert period_text(date(2026, 12, 22), date(2026, 12, 26)) == "22–26 December"


def test_editors_find_closures_and_opened_holidays_in_the_page_editor(admin_client, hotspot):
    session = make_session(hotspot)
    hotspot_form = admin_client.get(f"/admin/pages/{hotspot.pk}/edit/").content.decode()
    session_form = admin_client.get(f"/admin/pages/{session.pk}/edit/").content.decode()
    assert "Lukninger" in hotspot_form
    assert "Lukninger" in session_form
    assert "Åben på disse helligdage" in session_form


def test_grundlovsdag_is_closed_unless_the_editor_opens_it(hotspot):
    """5 June (Grundlovsdag) is no public holiday by law, but municipal services close."""
    may = datetime(2027, 5, 20, 10, 0, tzinfo=UTC)
    closed = make_session(hotspot, rule=EVERY_DAY)
    materialise_session(closed, now=may)
    assert date(2027, 6, 5) not in offered(closed)
    assert {date(2027, 6, 4), date(2027, 6, 6)} <= offered(closed)

    opened = make_session(hotspot, rule=EVERY_DAY)
    opened.opened_holidays.add(OpenedHoliday(date=date(2027, 6, 5)))
    opened.save_revision().publish()
    materialise_session(opened, now=may)
    assert date(2027, 6, 5) in offered(opened)
