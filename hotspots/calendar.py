"""RFC 5545 calendars of a hotspot's upcoming sessions, for phones and shared calendars."""

from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event

from . import selectors


def hotspot_calendar_ics(hotspot, *, base_url: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Digihjælp//Hotspot calendar//DA")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", hotspot.title)
    calendar.add("x-wr-timezone", "Europe/Copenhagen")
    page_url = hotspot.get_full_url() or base_url
    stamp = timezone.now()
    for session, start, end in selectors.calendar_events(hotspot):
        event = Event()
        event.add("uid", f"session-{session.pk}-{start:%Y%m%dT%H%M}@digihjaelp")
        event.add("dtstamp", stamp)
        event.add("dtstart", start)
        event.add("dtend", end)
        event.add("summary", f"{session.title} – {hotspot.title}")
        event.add("location", hotspot.full_address)
        event.add("geo", (hotspot.latitude, hotspot.longitude))
        event.add("url", session.get_full_url() or page_url)
        if session.description:
            event.add("description", session.description)
        calendar.add_component(event)
    # Each TZID needs its VTIMEZONE (RFC 5545 §3.2.19); strict clients such as Outlook drop
    # events without it.
    calendar.add_missing_timezones()
    return calendar.to_ical()


def calendar_response(request, hotspot) -> HttpResponse:
    response = HttpResponse(
        hotspot_calendar_ics(hotspot, base_url=request.build_absolute_uri("/")),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'inline; filename="{hotspot.slug}.ics"'
    return response
