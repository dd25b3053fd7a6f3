"""Reads for the public pages. Each function does a fixed number of queries whatever the number
of hotspots, so the directory stays fast with a thousand places."""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.core.cache import cache
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Exists, ExpressionWrapper, F, FloatField, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import capfirst

from config.languages import citizen_language

from . import page_cache, postcodes, schedule
from .closures_by_session import closed_dates_by_session
from .models import (
    HelpTopic,
    HotspotPage,
    HotspotTranslation,
    OpeningHours,
    OrganisationPage,
    SessionPage,
)

PAGE_SIZE = 20
UPCOMING_DAYS = 28  # SessionPage.upcoming's default window
CARD_TIMES = 3  # the next times a directory card shows
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


# The columns a directory card shows: rows, not page objects (a Wagtail page object costs more
# to build than the whole card costs to render).
CARD_FIELDS = (
    "pk",
    "path",
    "depth",
    "url_path",
    "title",
    "summary",
    "street_address",
    "postcode",
    "city",
    "latitude",
    "longitude",
)


@dataclass
class DirectoryCard:
    """One result in the directory, with everything the card shows worked out in Python."""

    pk: int
    title: str
    url: str
    path: str
    address: str
    summary: str
    topics: list[str]
    next_times: list[dict]
    distance_km: float | None = None
    # What the summary is written in: the reader's language where an editor translated it.
    summary_language: str = "da"


def _sessions_below(rows: list[dict]) -> dict[int, list[SessionPage]]:
    """Live sessions of many hotspots in one query, by the hotspot's id."""
    if not rows:
        return {}
    by_path = {row["path"]: row["pk"] for row in rows}
    path_length = len(rows[0]["path"])
    sessions = (
        SessionPage.objects.live()
        .annotate(parent_path=Substr("path", 1, path_length))
        .filter(parent_path__in=list(by_path), depth=rows[0]["depth"] + 1)
        .only(*SESSION_SCHEDULE_FIELDS)
        .order_by("path")
    )
    grouped: dict[int, list[SessionPage]] = defaultdict(list)
    for session in sessions:
        grouped[by_path[session.parent_path]].append(session)
    return grouped


# What SessionPage.upcoming and a card's line need; the rest of the page is not loaded.
SESSION_SCHEDULE_FIELDS = (
    "id",
    "path",
    "depth",
    "title",
    "recurrence",
    "starts_on",
    "ends_on",
    "start_time",
    "end_time",
)


def _topics_by_hotspot(ids: list[int], topics: list[HelpTopic] | None) -> dict[int, list[str]]:
    """Topic names of many hotspots in one query, in the topics' own order."""
    if topics is None:
        topics = list(HelpTopic.objects.all())
    order = {topic.pk: (n, topic.display_name) for n, topic in enumerate(topics)}
    grouped: dict[int, list[tuple]] = defaultdict(list)
    through = HotspotPage.help_topics.through.objects.filter(hotspotpage_id__in=ids)
    for hotspot_id, topic_id in through.values_list("hotspotpage_id", "helptopic_id"):
        if topic_id in order:
            grouped[hotspot_id].append(order[topic_id])
    return {pk: [name for _n, name in sorted(names)] for pk, names in grouped.items()}


def _time_line(title: str, start: datetime, end: datetime) -> dict:
    # The same words as the hotspot page's list ("Tirsdag 1. december kl. 10.00–12.00", the
    # range one left-to-right island), built once per card and day, not per render.
    from .templatetags.digihjaelp import day, time_range

    start, end = timezone.localtime(start), timezone.localtime(end)
    return {
        "session": {"title": title},
        "start": start,
        "end": end,
        "iso": start.isoformat(),
        "label": format_html("{} {}", capfirst(day(start)), time_range(start, end)),
    }


def _translated_summaries(ids: list[int], language: str) -> dict[int, str]:
    """Hotspot id → the summary an editor wrote in `language` (none for Danish)."""
    if language == "da" or not ids:
        return {}
    return dict(
        HotspotTranslation.objects.filter(hotspot_id__in=ids, language=language)
        .exclude(summary="")
        .values_list("hotspot_id", "summary")
    )


def _card_fragments(rows: list[dict], *, today: date, topics) -> dict[int, dict]:
    """Per hotspot: its topic names and its times from the start of `today`, worked out for
    every card that is not in the cache yet (a fixed number of queries for all of them).

    The times are those from midnight, one more per session than a card shows: a session
    meets at most once a day, so whatever passes during the day, the first times still
    upcoming are among them. Kept under the content version (page_cache.py), which any change
    to a page, a closure or an opening is a bump of, and the day."""
    from django.utils.translation import get_language

    prefix = f"directory-card:{page_cache.content_version()}:{get_language()}:{today}:"
    found = cache.get_many([f"{prefix}{row['pk']}" for row in rows])
    fragments = {
        row["pk"]: found[f"{prefix}{row['pk']}"] for row in rows if f"{prefix}{row['pk']}" in found
    }
    missing = [row for row in rows if row["pk"] not in fragments]
    if not missing:
        return fragments
    sessions = _sessions_below(missing)
    closed = closed_dates_by_session(
        [s for group in sessions.values() for s in group],
        first=today,
        last=today + timedelta(days=UPCOMING_DAYS),
    )
    topic_names = _topics_by_hotspot([row["pk"] for row in missing], topics)
    summaries = _translated_summaries([row["pk"] for row in missing], citizen_language())
    midnight = schedule.local_datetime(today, time())
    fresh = {}
    for row in missing:
        times = []
        for session in sessions.get(row["pk"], []):
            for start, end in session.upcoming(
                now=midnight, limit=CARD_TIMES + 1, closed=closed.get(session.pk, set())
            ):
                times.append(_time_line(session.title, start, end))
        times.sort(key=lambda t: t["start"])
        fragments[row["pk"]] = fresh[f"{prefix}{row['pk']}"] = {
            "topics": topic_names.get(row["pk"], []),
            "times": times,
            "summary": summaries.get(row["pk"], ""),
        }
    cache.set_many(fresh, 60 * 60 * 24)
    return fragments


def directory_cards(
    rows: list[dict], *, root, place, now: datetime, root_url: str, topics=None
) -> list[DirectoryCard]:
    """The cards of one page of results: a fixed number of queries for any number of rows."""
    fragments = _card_fragments(rows, today=timezone.localdate(now), topics=topics)
    cards = []
    for row in rows:
        fragment = fragments[row["pk"]]
        card = DirectoryCard(
            pk=row["pk"],
            title=row["title"],
            url=root_url + row["url_path"][len(root.url_path) :],
            path=row["path"],
            address=f"{row['street_address']}, {row['postcode']} {row['city']}",
            summary=fragment["summary"] or row["summary"],
            summary_language=citizen_language() if fragment["summary"] else "da",
            topics=fragment["topics"],
            next_times=[t for t in fragment["times"] if t["end"] > now][:CARD_TIMES],
        )
        if place is not None:
            card.distance_km = postcodes.distance_km(
                place.latitude, place.longitude, row["latitude"], row["longitude"]
            )
        cards.append(card)
    return cards


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
    *,
    root,
    filters: DirectoryFilters,
    page_number,
    now: datetime | None = None,
    root_url: str | None = None,
    topics: list[HelpTopic] | None = None,
) -> DirectoryResult:
    """One page of hotspots below `root` as DirectoryCards. `root_url` is the root's URL as the
    request sees it; `topics` the help topics if the caller has them already."""
    from django.utils.translation import gettext as _

    now = now or timezone.now()
    place, message, query = None, "", filters.query.strip()
    text_search = False
    if query:
        place = postcodes.resolve(query)
        if place is not None and not place.exact:
            message = _(
                "We do not know postcode %(code)s exactly, so the list is sorted from "
                "%(town)s, the nearest town we know."
            ) % {"code": place.postcode, "town": place.town}
        elif place is None:
            postcode_like = postcodes.POSTCODE_RE.search(query) or query.isdigit()
            text_search = not postcode_like and _matching(root, filters, query, now).exists()
            if postcode_like:
                message = _(
                    "“%(query)s” is not a Danish postcode. A postcode has four digits, "
                    "e.g. 8000. Here are all places instead."
                ) % {"query": query}
            elif not text_search:
                message = _(
                    "We found no place called “%(query)s”. Check the spelling, or try a "
                    "postcode. Here are all places instead."
                ) % {"query": query}

    def ordered_hotspots():
        # Only built when the rows are not in the cache (_result_page).
        if place is not None:
            return order_by_distance(filter_hotspots(_live_below(root), filters, now=now), place)
        if text_search:
            return _matching(root, filters, query, now).order_by("city", "title")
        return filter_hotspots(_live_below(root), filters, now=now).order_by("city", "title")

    page = _result_page(
        ordered_hotspots, page_number, cacheable=not filters.open_now, key=(root.pk, filters)
    )
    page.object_list = directory_cards(
        list(page.object_list),
        root=root,
        place=place,
        now=now,
        root_url=root_url if root_url is not None else root.url,
        topics=topics,
    )
    return DirectoryResult(page=page, place=place, message=message)


def _live_below(root):
    return HotspotPage.objects.live().descendant_of(root)


def _matching(root, filters: DirectoryFilters, query: str, now: datetime):
    """Places whose town or name contains the words of a search that is not a postcode."""
    return filter_hotspots(_live_below(root), filters, now=now).filter(
        Q(city__icontains=query) | Q(title__icontains=query)
    )


def _result_page(make_queryset, page_number, *, cacheable: bool, key) -> PaginatorPage:
    """One page of result rows. Which hotspots match a search, and in what order, changes only
    with the content (open now aside, which changes with the clock), so the rows and the count
    are kept under the content version: a render after a booking (which the page cache must
    redo) costs no search query. Only pages asked for by their own number are kept."""
    digest = hashlib.sha256(repr((key, page_number)).encode()).hexdigest()[:32]
    cache_key = f"directory-rows:{page_cache.content_version()}:{digest}"
    if cacheable:
        found = cache.get(cache_key)
        if found is not None:
            rows, count, number = found
            paginator = Paginator([], PAGE_SIZE)
            paginator.__dict__["count"] = count  # Paginator.count is a cached_property
            return PaginatorPage(rows, number, paginator)
    paginator = Paginator(make_queryset().values(*CARD_FIELDS), PAGE_SIZE)
    page = paginator.get_page(page_number)
    page.object_list = list(page.object_list)
    if cacheable and str(page.number) == str(page_number or 1):
        cache.set(cache_key, (page.object_list, paginator.count, page.number), 60 * 60 * 24)
    return page


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
