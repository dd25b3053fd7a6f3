"""Which dates a session is not offered: Danish public holidays, Christmas Eve and New Year's Eve
and Grundlovsdag (unless the session's editor opened the day), and the editors' closures of a hotspot or a session.

Pure functions over dates, so the planner can ask them for any number of sessions without
queries; the callers load the closures and opened days."""

from datetime import date, timedelta
from functools import cache

import holidays
from django.utils import dateformat
from django.utils.translation import gettext, pgettext


@cache
def _danish_holidays(year: int) -> frozenset[date]:
    days = set(holidays.country_holidays("DK", years=year))
    # Christmas Eve and New Year's Eve are not public holidays by law (the package lists them
    # only as optional), but in practice libraries and IT cafés are closed on them.
    # Grundlovsdag (5 June) is not a public holiday either, but most municipal services close.
    days |= {date(year, 6, 5), date(year, 12, 24), date(year, 12, 31)}
    return frozenset(days)


def holidays_between(first: date, last: date) -> set[date]:
    """Closed-by-default days from first to last, both included."""
    result = set()
    for year in range(first.year, last.year + 1):
        result |= {day for day in _danish_holidays(year) if first <= day <= last}
    return result


def closed_dates(
    first: date,
    last: date,
    *,
    opened: frozenset[date] | set[date] = frozenset(),
    closures: list[tuple[date, date]] = (),
) -> set[date]:
    """Dates from first to last on which the session is not offered: the holidays its editor
    did not open, and every day inside a closure (closures win over an opened holiday)."""
    result = holidays_between(first, last) - set(opened)
    for starts_on, ends_on in closures:
        day = max(starts_on, first)
        while day <= min(ends_on, last):
            result.add(day)
            day += timedelta(days=1)
    return result


def period_text(starts_on: date, ends_on: date) -> str:
    """'22.–26. december' in Danish, '22–26 December' in English."""
    day_month = pgettext("closure date", "j F")
    if starts_on == ends_on:
        return dateformat.format(ends_on, day_month)
    if (starts_on.year, starts_on.month) == (ends_on.year, ends_on.month):
        start = dateformat.format(starts_on, pgettext("closure first day, same month", "j"))
    else:
        start = dateformat.format(starts_on, day_month)
    return gettext("%(start)s–%(end)s") % {
        "start": start,
        "end": dateformat.format(ends_on, day_month),
    }
