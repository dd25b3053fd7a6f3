"""Reads for the public pages. Each function does a fixed number of queries whatever the number
of hotspots, so the directory stays fast with a thousand places."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Exists, ExpressionWrapper, F, FloatField, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Substr
from django.utils import timezone

from config.languages import citizen_language

from . import postcodes
from .closed_days import closed_dates
from .models import (
    HotspotClosure,
    HotspotPage,
    OpenedHoliday,
    OpeningHours,
    OrganisationPage,
    SessionClosure,
    SessionPage,
)

PAGE_SIZE = 20
UPCOMING_DAYS = 28  # SessionPage.upcoming's default window
ACCESSIBILITY_FIELDS = ("step_free_access", "hearing_loop", "accessible_toilet", "quiet_room")


@dataclass
class DirectoryFilters:
    query: str = ""
    topic: str = ""
    weekday: int | None = None
    language: str = ""
    accessibility: list[str] = field(default_factory=list)
    open_now: bool = False


@dataclass
class DirectoryResult:
    page: PaginatorPage
    place: postcodes.Place | None
    message: str
    sessions_by_hotspot: dict[int, list]


def _sessions_below(hotspots: list[HotspotPage]) -> dict[int, list[SessionPage]]:
    """Live sessions of many hotspots in one query, by the hotspot's tree path."""
    if not hotspots:
        return {}
    by_path = {h.path: h.pk for h in hotspots}
    path_length = len(hotspots[0].path)
    sessions = (
        SessionPage.objects.live()
        .annotate(parent_path=Substr("path", 1, path_length))
        .filter(parent_path__in=list(by_path), depth=hotspots[0].depth + 1)
        .order_by("path")
    )
    grouped: dict[int, list[SessionPage]] = defaultdict(list)
    for session in sessions:
        grouped[by_path[session.parent_path]].append(session)
    return grouped


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


def visible_closures(*, hotspot: HotspotPage, session: SessionPage | None = None, today: date):
    """Current and upcoming closures citizens should be told about, soonest first."""
    closures = list(hotspot.closures.filter(ends_on__gte=today))
    if session is not None:
        closures += list(session.closures.filter(ends_on__gte=today))
    return sorted(closures, key=lambda c: (c.starts_on, c.ends_on))


def next_times(
    sessions: list[SessionPage], *, now: datetime, limit: int = 3, closed: dict | None = None
) -> list[dict]:
    """The next few session starts across a hotspot's sessions, soonest first."""
    times = []
    for session in sessions:
        session_closed = None if closed is None else closed.get(session.pk, set())
        for start, end in session.upcoming(now=now, limit=limit, closed=session_closed):
            times.append({"session": session, "start": start, "end": end})
    times.sort(key=lambda t: t["start"])
    return times[:limit]


def filter_hotspots(
    queryset: QuerySet[HotspotPage], filters: DirectoryFilters, *, now: datetime
) -> QuerySet[HotspotPage]:
    # Many-to-many filters as EXISTS, not joins: no duplicate rows, so no DISTINCT, and the
    # paginator's COUNT stays a plain count over the hotspots.
    if filters.topic:
        queryset = queryset.filter(
            Exists(
                HotspotPage.help_topics.through.objects.filter(
                    hotspotpage_id=OuterRef("pk"), helptopic__slug=filters.topic
                )
            )
        )
    if filters.language:
        queryset = queryset.filter(
            Exists(
                HotspotPage.languages.through.objects.filter(
                    hotspotpage_id=OuterRef("pk"), language__code=filters.language
                )
            )
        )
    for name in filters.accessibility:
        if name in ACCESSIBILITY_FIELDS:
            queryset = queryset.filter(**{name: True})
    if filters.weekday is not None:
        queryset = queryset.filter(
            Exists(
                SessionPage.objects.live().filter(
                    path__startswith=OuterRef("path"), weekdays__contains=str(filters.weekday)
                )
            )
        )
    if filters.open_now:
        local = timezone.localtime(now)
        queryset = queryset.filter(
            Exists(
                OpeningHours.objects.filter(
                    hotspot=OuterRef("pk"),
                    weekday=local.weekday(),
                    opens__lte=local.time(),
                    closes__gt=local.time(),
                )
            )
        )
    return queryset


def order_by_distance(queryset, place: postcodes.Place):
    """Nearest first, computed in SQL so pagination stays in the database. An equirectangular
    approximation is exact enough to rank places inside Denmark."""
    import math

    km_per_degree = 111.2
    lon_scale = km_per_degree * math.cos(math.radians(place.latitude))
    dy = (F("latitude") - Value(place.latitude)) * Value(km_per_degree)
    dx = (F("longitude") - Value(place.longitude)) * Value(lon_scale)
    return queryset.annotate(
        distance_sq=ExpressionWrapper(dy * dy + dx * dx, output_field=FloatField())
    ).order_by("distance_sq", "title")


def search_directory(
    *, root, filters: DirectoryFilters, page_number, now: datetime | None = None
) -> DirectoryResult:
    from django.utils.translation import gettext as _

    now = now or timezone.now()
    base = HotspotPage.objects.live().descendant_of(root)
    queryset = filter_hotspots(base, filters, now=now)
    place, message = None, ""
    query = filters.query.strip()
    if query:
        place = postcodes.resolve(query)
        if place is not None:
            queryset = order_by_distance(queryset, place)
            if not place.exact:
                message = _(
                    "We do not know postcode %(code)s exactly, so the list is sorted from "
                    "%(town)s, the nearest town we know."
                ) % {"code": place.postcode, "town": place.town}
        else:
            postcode_like = postcodes.POSTCODE_RE.search(query) or query.isdigit()
            matching = queryset.filter(Q(city__icontains=query) | Q(title__icontains=query))
            if not postcode_like and matching.exists():
                queryset = matching.order_by("city", "title")
            else:
                if postcode_like:
                    message = _(
                        "“%(query)s” is not a Danish postcode. A postcode has four digits, "
                        "e.g. 8000. Here are all places instead."
                    ) % {"query": query}
                else:
                    message = _(
                        "We found no place called “%(query)s”. Check the spelling, or try a "
                        "postcode. Here are all places instead."
                    ) % {"query": query}
                queryset = queryset.order_by("city", "title")
    else:
        queryset = queryset.order_by("city", "title")

    queryset = queryset.prefetch_related("help_topics__translations", "languages", "translations")
    paginator = Paginator(queryset, PAGE_SIZE)
    page = paginator.get_page(page_number)
    hotspots = list(page.object_list)
    sessions = _sessions_below(hotspots)
    today = timezone.localdate(now)
    closed = closed_dates_by_session(
        [s for group in sessions.values() for s in group],
        first=today,
        last=today + timedelta(days=UPCOMING_DAYS),
    )
    language = citizen_language()
    for hotspot in hotspots:
        hotspot.text = hotspot.text_for(language)
        hotspot.next_times = next_times(sessions.get(hotspot.pk, []), now=now, closed=closed)
        if place is not None:
            hotspot.distance_km = postcodes.distance_km(
                place.latitude, place.longitude, hotspot.latitude, hotspot.longitude
            )
    page.object_list = hotspots
    return DirectoryResult(page=page, place=place, message=message, sessions_by_hotspot=sessions)


def hotspot_page_context(hotspot: HotspotPage, *, now: datetime | None = None) -> dict:
    now = now or timezone.now()
    sessions = list(hotspot.live_sessions())
    today = timezone.localdate(now)
    closed = closed_dates_by_session(sessions, first=today, last=today + timedelta(days=42))
    upcoming = []
    for session in sessions:
        session.next_dates = session.upcoming(now=now, limit=6, days=42, closed=closed[session.pk])
        upcoming.extend({"session": session, "start": s, "end": e} for s, e in session.next_dates)
    upcoming.sort(key=lambda t: t["start"])
    opening_hours = list(hotspot.opening_hours.all())
    local = timezone.localtime(now)
    open_now = any(
        h.weekday == local.weekday() and h.opens <= local.time() < h.closes for h in opening_hours
    )
    # The breadcrumbs and the organisation's name come from one query for the ancestors.
    ancestors = hotspot.known_ancestors()
    organisation = next(
        (page for page in ancestors if page.specific_class is OrganisationPage), None
    )
    return {
        "ancestors": ancestors,
        "sessions": sessions,
        "upcoming": upcoming[:8],
        "opening_hours": opening_hours,
        "open_now": open_now,
        "help_topics": list(hotspot.help_topics.prefetch_related("translations")),
        "languages": (languages := list(hotspot.languages.all())),
        "language_names": [language.display_name for language in languages],
        "text": hotspot.text_for(citizen_language()),
        "stops": list(hotspot.stops.all()) if hotspot.kind == "mobile" else [],
        "organisation": organisation,
        "closures": visible_closures(hotspot=hotspot, today=today),
    }


def calendar_events(hotspot: HotspotPage, *, now: datetime | None = None, days: int = 90):
    now = now or timezone.now()
    events = []
    sessions = list(hotspot.live_sessions())
    today = timezone.localdate(now)
    closed = closed_dates_by_session(sessions, first=today, last=today + timedelta(days=days))
    for session in sessions:
        for start, end in session.upcoming(
            now=now, limit=500, days=days, closed=closed[session.pk]
        ):
            events.append((session, start, end))
    events.sort(key=lambda e: e[1])
    return events
