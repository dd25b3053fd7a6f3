"""Schedules stay on the wall clock in Denmark across both DST switches, and read as words."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import recurrence
from django.utils import translation

from hotspots import schedule
from tests.factories import make_hotspot, make_organisation, make_session, weekly

pytestmark = pytest.mark.django_db
CPH = ZoneInfo("Europe/Copenhagen")
UTC = ZoneInfo("UTC")


@pytest.fixture
def tuesday_cafe(home):
    hotspot = make_hotspot(make_organisation(), "Dokk1")
    # Saved and read back from the database: the rule goes through django-recurrence's
    # serialisation, which is where DTSTART would pick up UTC.
    return make_session(hotspot, rule=weekly(recurrence.TU), starts_on=date(2026, 1, 6))


@pytest.mark.parametrize(
    ("before", "after"),
    [
        # Summer time ends Sunday 25 October 2026 (03:00 CEST -> 02:00 CET).
        (date(2026, 10, 20), date(2026, 10, 27)),
        # Summer time starts Sunday 29 March 2026 (02:00 CET -> 03:00 CEST).
        (date(2026, 3, 24), date(2026, 3, 31)),
        # And again in 2027 (28 March / 31 October).
        (date(2027, 3, 23), date(2027, 3, 30)),
        (date(2027, 10, 26), date(2027, 11, 2)),
    ],
)
def test_tuesday_at_ten_stays_at_ten_across_the_switch(tuesday_cafe, before, after):
    now = datetime.combine(before - timedelta(days=1), time(12), tzinfo=CPH)
    starts = [start for start, _end in tuesday_cafe.upcoming(now=now, limit=2, days=14)]
    assert [s.date() for s in starts] == [before, after]
    for start in starts:
        local = start.astimezone(CPH)
        assert (local.hour, local.minute) == (10, 0)
    offsets = {start.date(): start.utcoffset() for start in starts}
    summer, winter = timedelta(hours=2), timedelta(hours=1)
    if before.month >= 10:
        assert offsets == {before: summer, after: winter}
        assert [s.astimezone(UTC).hour for s in starts] == [8, 9]
    else:
        assert offsets == {before: winter, after: summer}
        assert [s.astimezone(UTC).hour for s in starts] == [9, 8]


def test_end_times_follow_the_same_wall_clock(tuesday_cafe):
    now = datetime(2026, 10, 19, 12, tzinfo=CPH)
    for start, end in tuesday_cafe.upcoming(now=now, limit=2, days=14):
        assert end.astimezone(CPH).time() == time(12)
        assert end - start == timedelta(hours=2)


def test_dates_between_lists_only_tuesdays_in_the_range(tuesday_cafe):
    days = tuesday_cafe.dates_between(date(2026, 10, 1), date(2026, 11, 30))
    assert len(days) == 8
    assert all(d.weekday() == 1 for d in days)
    assert days[0] == date(2026, 10, 6) and days[-1] == date(2026, 11, 24)


def test_first_and_last_date_bound_the_series(home):
    hotspot = make_hotspot(make_organisation())
    session = make_session(
        hotspot,
        rule=weekly(recurrence.TU),
        starts_on=date(2026, 10, 13),
        ends_on=date(2026, 11, 3),
    )
    days = session.dates_between(date(2026, 9, 1), date(2026, 12, 31))
    assert days == [date(2026, 10, 13), date(2026, 10, 20), date(2026, 10, 27), date(2026, 11, 3)]


def test_holiday_exception_removes_the_date_whatever_the_offset(home):
    hotspot = make_hotspot(make_organisation())
    rule = weekly(recurrence.TU)
    # Exceptions arrive from the admin widget as midnight; keep them on the local date.
    rule.exdates = [datetime(2026, 10, 27), datetime(2026, 3, 31)]
    session = make_session(hotspot, rule=rule, starts_on=date(2026, 1, 6))
    days = session.dates_between(date(2026, 10, 19), date(2026, 11, 5))
    assert days == [date(2026, 10, 20), date(2026, 11, 3)]
    assert date(2026, 3, 31) not in session.dates_between(date(2026, 3, 23), date(2026, 4, 8))


def test_one_off_dates(home):
    hotspot = make_hotspot(make_organisation())
    rule = recurrence.Recurrence(rdates=[datetime(2026, 10, 26), datetime(2026, 3, 30)])
    session = make_session(
        hotspot, rule=rule, starts_on=date(2026, 1, 1), start_time=time(14), end_time=time(16)
    )
    starts = [s for s, _e in session.upcoming(now=datetime(2026, 10, 20, tzinfo=CPH))]
    assert starts == [datetime(2026, 10, 26, 14, tzinfo=CPH)]
    assert starts[0].utcoffset() == timedelta(hours=1)


def test_upcoming_skips_a_session_that_has_ended_today(tuesday_cafe):
    after_end = datetime(2026, 10, 20, 12, 30, tzinfo=CPH)
    during = datetime(2026, 10, 20, 11, 0, tzinfo=CPH)
    assert tuesday_cafe.upcoming(now=after_end, limit=1)[0][0].date() == date(2026, 10, 27)
    assert tuesday_cafe.upcoming(now=during, limit=1)[0][0].date() == date(2026, 10, 20)


def test_weekdays_are_stored_for_the_directory_filter(home):
    hotspot = make_hotspot(make_organisation())
    session = make_session(hotspot, rule=weekly(recurrence.MO, recurrence.TH))
    assert session.weekdays == "03"


# --- In words ----------------------------------------------------------------------------

RULES = [
    (weekly(recurrence.TU), time(10), time(12), "every Tuesday at 10:00–12:00"),
    (
        recurrence.Recurrence(
            rrules=[recurrence.Rule(recurrence.WEEKLY, byday=[recurrence.TU, recurrence.TH])]
        ),
        time(9, 30),
        time(11),
        "every Tuesday and Thursday at 9:30–11:00",
    ),
    (
        recurrence.Recurrence(
            rrules=[recurrence.Rule(recurrence.WEEKLY, interval=2, byday=[recurrence.WE])]
        ),
        time(13),
        time(15),
        "every other Wednesday at 13:00–15:00",
    ),
    (
        recurrence.Recurrence(
            rrules=[recurrence.Rule(recurrence.MONTHLY, byday=[recurrence.Weekday(0, 1)])]
        ),
        time(13),
        time(15),
        "the first Monday of the month at 13:00–15:00",
    ),
    (
        recurrence.Recurrence(rdates=[datetime(2026, 10, 26)]),
        time(10),
        time(12),
        "on selected dates at 10:00–12:00",
    ),
]


@pytest.mark.parametrize(("rule", "start", "end", "text"), RULES)
def test_schedule_in_words_english(rule, start, end, text):
    with translation.override("en"):
        assert schedule.describe(rule, start, end) == text


def test_schedule_text_uses_djangos_danish_weekday_names(home):
    hotspot = make_hotspot(make_organisation())
    session = make_session(hotspot, rule=weekly(recurrence.TU), end_time=time(12, 30))
    with translation.override("da"):
        text = session.schedule_text
    assert "tirsdag" in text  # Django's own Danish
    assert "10–12.30" in text  # Danish clock style, no translation needed
    with translation.override("en"):
        assert session.schedule_text == "every Tuesday at 10:00–12:30"


def test_schedule_text_in_danish_words(home):
    """Depends on our Danish .po file (msgids "every %(days)s" and "%(when)s at %(clock)s")."""
    hotspot = make_hotspot(make_organisation())
    session = make_session(hotspot, rule=weekly(recurrence.TU))
    with translation.override("da"):
        assert session.schedule_text == "hver tirsdag kl. 10–12"


def test_session_page_shows_its_schedule_in_words(client, tuesday_cafe):
    response = client.get(tuesday_cafe.url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Every Tuesday at 10:00–12:00" in response.content.decode()


def test_editing_the_rule_changes_the_dates_at_once(tuesday_cafe):
    """Expansions are remembered per process; a changed rule must never reuse old dates."""
    first, last = date(2026, 10, 1), date(2026, 10, 31)
    assert {d.weekday() for d in tuesday_cafe.dates_between(first, last)} == {1}
    tuesday_cafe.recurrence = weekly(recurrence.TH)
    tuesday_cafe.save()
    assert {d.weekday() for d in tuesday_cafe.dates_between(first, last)} == {3}
    tuesday_cafe.recurrence.exdates = [datetime(2026, 10, 15)]
    assert date(2026, 10, 15) not in tuesday_cafe.dates_between(first, last)
    tuesday_cafe.recurrence.exdates = []
    assert date(2026, 10, 15) in tuesday_cafe.dates_between(first, last)
