"""Template tags that put the booking engine on the CMS pages without the hotspots app knowing
about bookings: hotspot_page.html and session_page.html only call `{% booking_times page %}`.

The query count is constant: one query for the free slots of all the page's sessions and one for
the full occurrences (waiting list), whatever the number of sessions or days."""

import re
from collections import OrderedDict
from datetime import timedelta
from urllib.parse import urlencode

from django import template
from django.db.models import F, Sum
from django.utils import timezone

from hotspots.models import BookingKind, HotspotPage, SessionPage

from .. import selectors
from ..models import Occurrence, OccurrenceStatus

register = template.Library()

DAYS_AHEAD = 14


def full_occurrences(session_ids: list[int], *, now, days: int = DAYS_AHEAD) -> list[Occurrence]:
    """Upcoming occurrences whose every seat is taken: they get a waiting-list link instead of
    times. One query."""
    if not session_ids:
        return []
    today = timezone.localdate(now)
    return list(
        Occurrence.objects.filter(
            session_id__in=session_ids,
            status=OccurrenceStatus.SCHEDULED,
            starts_at__gt=now,
            date__lte=today + timedelta(days=days),
        )
        .annotate(seats=Sum("slots__capacity"), taken=Sum(F("slots__booked") + F("slots__held")))
        .filter(seats__gt=0, taken__gte=F("seats"))
        .select_related("session")
        .order_by("starts_at")
    )


def group_days(days, full, *, booked_session_ids: set[int], max_days: int) -> list[dict]:
    """[(date, slots)] + full occurrences → [{date, groups: [{session, slots}], full: [...]}]."""
    by_date: dict = OrderedDict()
    for day, slots in days:
        groups: dict = OrderedDict()
        for slot in slots:
            session = slot.occurrence.session
            if session.pk not in booked_session_ids:
                continue
            groups.setdefault(session.pk, {"session": session, "slots": []})["slots"].append(slot)
        if groups:
            by_date[day] = {"date": day, "groups": list(groups.values()), "full": []}
    for occurrence in full:
        entry = by_date.setdefault(
            occurrence.date, {"date": occurrence.date, "groups": [], "full": []}
        )
        entry["full"].append(occurrence)
    return [by_date[d] for d in sorted(by_date)][:max_days]


@register.inclusion_tag("pages/bookings/_booking_times.html", takes_context=True)
def booking_times(context, page, max_days: int = 5):
    """Free times per day for a hotspot (all its sessions) or one session, with links to book;
    drop-in sessions just say "come by"."""
    now = timezone.now()
    if isinstance(page, SessionPage):
        sessions = [page]
        days = selectors.bookable_days(session=page, now=now, days=DAYS_AHEAD)
    elif isinstance(page, HotspotPage):
        sessions = context.get("sessions")
        if sessions is None:
            sessions = list(page.live_sessions())
        days = selectors.bookable_days(hotspot=page, now=now, days=DAYS_AHEAD)
    else:
        return {"days": [], "drop_in": [], "has_booked_sessions": False}
    drop_in = [s for s in sessions if s.booking_kind == BookingKind.DROP_IN]
    booked_ids = {s.pk for s in sessions if s.booking_kind != BookingKind.DROP_IN}
    full = full_occurrences(sorted(booked_ids), now=now)
    return {
        "days": group_days(days, full, booked_session_ids=booked_ids, max_days=max_days),
        "drop_in": drop_in,
        "has_booked_sessions": bool(booked_ids),
        "show_session_title": len(booked_ids) > 1,
        "request": context.get("request"),
        "topic_query": _topic_query(context.get("request")),
    }


def _topic_query(request) -> str:
    """The help topic chosen in the directory (?topic=mitid) travels on to the booking form."""
    topic = request.GET.get("topic", "") if request is not None else ""
    return urlencode({"topic": topic}) if re.fullmatch(r"[-a-z0-9_]{1,50}", topic) else ""
