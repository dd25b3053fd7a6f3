"""Which dates each of many sessions is closed, and why: holidays, the editors' openings and
the closures of a session or its hotspot, read in a fixed number of queries for any number of
sessions (the directory cards, a session's next times, the materialiser)."""

from collections import defaultdict
from datetime import date, timedelta

from .closed_days import closed_dates
from .models import HotspotClosure, OpenedHoliday, SessionClosure, SessionPage


def closed_dates_by_session(sessions, *, first: date, last: date) -> dict[int, set[date]]:
    """session id → the dates from first to last it is not offered. Three queries for any
    number of sessions; a hotspot's closures cover every session below it."""
    if not sessions:
        return {}
    ids = [s.pk for s in sessions]
    opened, own, by_hotspot_path = defaultdict(set), defaultdict(list), defaultdict(list)
    for session_id, day in OpenedHoliday.objects.filter(
        session_id__in=ids, date__gte=first, date__lte=last
    ).values_list("session_id", "date"):
        opened[session_id].add(day)
    for session_id, starts_on, ends_on in SessionClosure.objects.filter(
        session_id__in=ids, ends_on__gte=first, starts_on__lte=last
    ).values_list("session_id", "starts_on", "ends_on"):
        own[session_id].append((starts_on, ends_on))
    hotspot_paths = {s.path[: -SessionPage.steplen] for s in sessions}
    for path, starts_on, ends_on in HotspotClosure.objects.filter(
        hotspot__path__in=hotspot_paths, ends_on__gte=first, starts_on__lte=last
    ).values_list("hotspot__path", "starts_on", "ends_on"):
        by_hotspot_path[path].append((starts_on, ends_on))
    return {
        s.pk: closed_dates(
            first,
            last,
            opened=opened[s.pk],
            closures=own[s.pk] + by_hotspot_path[s.path[: -SessionPage.steplen]],
        )
        for s in sessions
    }


def closure_reasons_by_session(sessions, *, first: date, last: date) -> dict[int, dict]:
    """session id → {date: the editor's reason} for the days from first to last inside a
    closure of the session or its hotspot (the session's own closure wins), so a cancellation
    caused by a closure can tell the citizen why."""
    if not sessions:
        return {}
    ids = [s.pk for s in sessions]
    own, by_hotspot_path = defaultdict(list), defaultdict(list)
    for session_id, starts_on, ends_on, reason in SessionClosure.objects.filter(
        session_id__in=ids, ends_on__gte=first, starts_on__lte=last
    ).values_list("session_id", "starts_on", "ends_on", "reason"):
        own[session_id].append((starts_on, ends_on, reason))
    hotspot_paths = {s.path[: -SessionPage.steplen] for s in sessions}
    for path, starts_on, ends_on, reason in HotspotClosure.objects.filter(
        hotspot__path__in=hotspot_paths, ends_on__gte=first, starts_on__lte=last
    ).values_list("hotspot__path", "starts_on", "ends_on", "reason"):
        by_hotspot_path[path].append((starts_on, ends_on, reason))
    result = {}
    for s in sessions:
        days = {}
        for starts_on, ends_on, reason in (
            by_hotspot_path[s.path[: -SessionPage.steplen]] + own[s.pk]
        ):
            day = max(starts_on, first)
            while day <= min(ends_on, last):
                days[day] = reason
                day += timedelta(days=1)
        result[s.pk] = days
    return result
