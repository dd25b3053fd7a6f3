"""Turning a session's django-recurrence rule into dates, local start times and words.

django-recurrence keeps DTSTART (and RDATE/EXDATE) in UTC, which makes a 10:00 session drift to
09:00 after the switch to winter time. So the rule is only ever expanded into *dates* from a naive
local start date, and each date is combined with the session's local time of day in
Europe/Copenhagen. That keeps "tirsdag kl. 10" at 10:00 on both sides of both DST switches."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import recurrence
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _

LOCAL_TZ = ZoneInfo("Europe/Copenhagen")


def _as_local_naive_midnight(value: datetime | date) -> datetime:
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(LOCAL_TZ)
        return datetime.combine(value.date(), time())
    return datetime.combine(value, time())


_EXPANSIONS: dict[tuple, tuple[date, ...]] = {}
_EXPANSIONS_MAX = 4096


def occurrence_dates(
    rule: recurrence.Recurrence | None,
    *,
    starts_on: date,
    ends_on: date | None,
    first: date,
    last: date,
) -> list[date]:
    """Dates on which the rule falls, between `first` and `last` inclusive."""
    if rule is None or (not rule.rrules and not rule.rdates):
        return []
    first = max(first, starts_on)
    if ends_on is not None:
        last = min(last, ends_on)
    if first > last:
        return []
    # Expanding a rule costs ~1.5 ms of Python; the directory does it for every listed session
    # on every request. The result depends only on these inputs, so remember it per process.
    # isoformat() keeps naive and aware RDATE/EXDATE values apart (they map to dates
    # differently); serialize() covers the rules.
    key = (
        recurrence.serialize(recurrence.Recurrence(rrules=rule.rrules, exrules=rule.exrules)),
        tuple(d.isoformat() for d in rule.rdates),
        tuple(d.isoformat() for d in rule.exdates),
        starts_on,
        first,
        last,
    )
    found = _EXPANSIONS.get(key)
    if found is None:
        found = tuple(_expand(rule, starts_on=starts_on, first=first, last=last))
        if len(_EXPANSIONS) >= _EXPANSIONS_MAX:
            _EXPANSIONS.clear()
        _EXPANSIONS[key] = found
    return list(found)


def _expand(rule: recurrence.Recurrence, *, starts_on: date, first: date, last: date) -> list:
    local_rule = recurrence.Recurrence(
        rrules=list(rule.rrules),
        exrules=list(rule.exrules),
        rdates=[_as_local_naive_midnight(d) for d in rule.rdates],
        exdates=[_as_local_naive_midnight(d) for d in rule.exdates],
        include_dtstart=False,
    )
    found = local_rule.between(
        datetime.combine(first, time()),
        datetime.combine(last, time()),
        dtstart=datetime.combine(starts_on, time()),
        inc=True,
    )
    return sorted({dt.date() for dt in found})


def local_datetime(day: date, at: time) -> datetime:
    """An aware datetime for a wall-clock time in Denmark on `day`."""
    return datetime.combine(day, at, tzinfo=LOCAL_TZ)


def weekdays_in(rule: recurrence.Recurrence | None, *, starts_on: date, today: date) -> str:
    """The weekdays (0 = Monday) the rule uses in the coming eight weeks, as a string of digits
    ("13" = Tuesday and Thursday), stored on the page so the directory can filter in SQL."""
    dates = occurrence_dates(
        rule, starts_on=starts_on, ends_on=None, first=today, last=today + timedelta(weeks=8)
    )
    return "".join(str(d) for d in sorted({day.weekday() for day in dates}))


def format_clock(at: time) -> str:
    """Danish style: 10, 10.30; English style: 10:00, 10:30."""
    from django.utils.translation import get_language

    if (get_language() or "da").startswith("da"):
        return f"{at.hour}" if at.minute == 0 else f"{at.hour}.{at.minute:02d}"
    return f"{at.hour}:{at.minute:02d}"


def _join_words(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return _("%(first)s and %(last)s") % {"first": ", ".join(words[:-1]), "last": words[-1]}


def _ordinal(index: int) -> str:
    names = {
        1: _("first"),
        2: _("second"),
        3: _("third"),
        4: _("fourth"),
        -1: _("last"),
    }
    return names.get(index, f"{index}.")


def _describe_rule(rule: recurrence.Rule) -> str | None:
    days = list(rule.byday or [])
    interval = rule.interval or 1
    if rule.freq == recurrence.DAILY and not days:
        if interval == 1:
            return _("every day")
        return _("every %(n)s. day") % {"n": interval}
    if rule.freq == recurrence.WEEKLY and days and all(not d.index for d in days):
        names = _join_words([str(WEEKDAYS[d.number]) for d in sorted(days, key=lambda d: d.number)])
        if interval == 1:
            return _("every %(days)s") % {"days": names}
        if interval == 2:
            return _("every other %(days)s") % {"days": names}
        return _("every %(n)s. %(days)s") % {"n": interval, "days": names}
    if rule.freq == recurrence.MONTHLY and days and all(d.index for d in days) and interval == 1:
        parts = [
            _("the %(ordinal)s %(day)s of the month")
            % {"ordinal": _ordinal(d.index), "day": WEEKDAYS[d.number]}
            for d in days
        ]
        return _join_words(parts)
    return None


def describe(rule: recurrence.Recurrence | None, start: time, end: time) -> str:
    """The schedule in words, e.g. "hver tirsdag kl. 10–12" / "every Tuesday, 10:00–12:00"."""
    clock = _("%(start)s–%(end)s") % {"start": format_clock(start), "end": format_clock(end)}
    phrases = [_describe_rule(r) for r in (rule.rrules if rule else [])]
    if phrases and all(phrases):
        when = _join_words(phrases)
    elif rule and rule.rdates and not rule.rrules:
        when = _("on selected dates")
    else:
        when = _("on varying days")
    return _("%(when)s at %(clock)s") % {"when": when, "clock": clock}
