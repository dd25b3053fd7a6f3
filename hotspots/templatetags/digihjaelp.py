import json

from django import template
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from hotspots.schedule import format_clock

register = template.Library()

_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def jsonld(value) -> str:
    """A schema.org object as a <script type="application/ld+json"> that cannot break out."""
    payload = json.dumps(value, ensure_ascii=False, default=str).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))


@register.filter
def clock(value) -> str:
    """10 / 10.30 in Danish, 10:00 / 10:30 in English, for a time or an aware datetime."""
    if hasattr(value, "tzinfo") and hasattr(value, "date"):
        value = timezone.localtime(value).time()
    return format_clock(value)


@register.simple_tag
def hotspot_jsonld(hotspot, upcoming, request, opening_hours=None) -> dict:
    if opening_hours is None:
        opening_hours = hotspot.opening_hours.all()
    data = {
        "@context": "https://schema.org",
        "@type": "CivicStructure",
        "name": hotspot.title,
        "description": hotspot.summary,
        "url": request.build_absolute_uri(hotspot.url or "/"),
        "address": {
            "@type": "PostalAddress",
            "streetAddress": hotspot.street_address,
            "postalCode": hotspot.postcode,
            "addressLocality": hotspot.city,
            "addressCountry": "DK",
        },
        "geo": {
            "@type": "GeoCoordinates",
            "latitude": hotspot.latitude,
            "longitude": hotspot.longitude,
        },
        "isAccessibleForFree": True,
        "openingHoursSpecification": [
            {
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": "https://schema.org/"
                + ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"][
                    h.weekday
                ],
                "opens": h.opens.strftime("%H:%M"),
                "closes": h.closes.strftime("%H:%M"),
            }
            for h in opening_hours
        ],
        "event": [
            {
                "@type": "Event",
                "name": item["session"].title,
                "startDate": item["start"].isoformat(),
                "endDate": item["end"].isoformat(),
                "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
                "isAccessibleForFree": True,
                "location": {"@type": "Place", "name": hotspot.title},
            }
            for item in upcoming
        ],
    }
    if hotspot.phone:
        data["telephone"] = hotspot.phone
    return data


@register.filter
def notice_for(notices, path):
    """The first notice (a dict with "paths") whose paths cover the page at `path`, or None:
    the crisis banner on a directory card. Apps above the CMS put the notices in the context
    (crisis.context_processors); this only matches paths."""
    for notice in notices or ():
        if any(path.startswith(p) for p in notice.get("paths", ())):
            return notice
    return None


@register.simple_tag
def select_options(choices, chosen) -> str:
    """<option>s for a select, the chosen value (compared as text) marked: the directory's
    filters, drawn on every render, in one call rather than a template loop per option."""
    chosen = None if chosen is None else str(chosen)
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (value, mark_safe(" selected") if str(value) == chosen else "", label)
            for value, label in choices
        ),
    )
