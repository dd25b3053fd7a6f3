import json

from django import template
from django.conf import settings
from django.utils import dateformat, timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_info, pgettext

from config.languages import STAFF_LANGUAGES, STAFF_PATH_PREFIXES
from hotspots.schedule import format_clock

register = template.Library()

_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def jsonld(value) -> str:
    """A schema.org object as a <script type="application/ld+json"> that cannot break out."""
    payload = json.dumps(value, ensure_ascii=False, default=str).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))


def _danish() -> bool:
    return (get_language() or "da").startswith("da")


def _time_of(value):
    if hasattr(value, "tzinfo") and hasattr(value, "date"):
        return timezone.localtime(value).time()
    return value


@register.filter
def clock(value) -> str:
    """14.00 / 14.30 in Danish, 14:00 / 14:30 in English, for a time or an aware datetime: on
    the web a time always has its minutes, as on borger.dk (SMS keep the short form)."""
    value = _time_of(value)
    if value in (None, ""):
        return ""
    if _danish():
        return f"{value.hour}.{value.minute:02d}"
    return format_clock(value)


@register.filter
def at_clock(value) -> str:
    """ "kl. 14.00" / "at 14:00", never broken across two lines."""
    if value in (None, ""):
        return ""
    return format_html(
        '<span class="nowrap">{}\u00a0{}</span>', pgettext("clock", "at"), clock(value)
    )


@register.simple_tag
def time_range(start, end) -> str:
    """ "kl. 14.00–14.30" / "at 14:00–14:30", never broken across two lines; the times stay a
    left-to-right island in Arabic and Farsi text, so the range does not read backwards."""
    return format_html(
        '<span class="nowrap">{}\u00a0<bdi dir="ltr" class="time-range">{}\u2013{}</bdi></span>',
        pgettext("clock", "at"),
        clock(start),
        clock(end),
    )


@register.filter
def day(value, with_year: bool = False) -> str:
    """ "tirsdag 1. december" in Danish, "Tuesday 1 December" in English (a date or datetime)."""
    if value in (None, ""):
        return ""
    if hasattr(value, "tzinfo") and hasattr(value, "date") and value.tzinfo is not None:
        value = timezone.localtime(value)
    fmt = "l j. F" if _danish() else "l j F"
    if with_year:
        fmt += " Y"
    return dateformat.format(value, fmt)


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
def error_links(*forms, problem="", extra=()) -> list[tuple[str, str]]:
    """(anchor, message) for every error of the forms, in field order, then `problem` (a
    message that belongs to no field): the lines of the error summary. A field's anchor is its
    input, or the first choice of a radio group."""
    items = []
    for form in forms:
        if not form or not getattr(form, "errors", None):
            continue
        for field in form:
            anchor = field.auto_id
            if getattr(field.field.widget, "input_type", "") in ("radio", "checkbox"):
                anchor = f"{anchor}_0"
            items.extend((f"#{anchor}", str(message)) for message in field.errors)
        items.extend(("", str(message)) for message in form.non_field_errors())
    items.extend((anchor, str(message)) for anchor, message in extra or ())
    if problem:
        items.append(("", str(problem)))
    return items


@register.simple_tag
def footer_links() -> list[dict]:
    """The live information pages (about, privacy, accessibility, sitemap, open data)."""
    from hotspots.info_pages import footer_pages

    return footer_pages()


@register.filter
def language_of(text, part: str) -> str:
    """The language a part ("summary", "directions", "body") of a HotspotText is shown in."""
    return text.language_of(part)


@register.simple_tag(takes_context=True)
def language_menu(context) -> list[dict]:
    """The citizen languages as settings.LANGUAGES names them, each in its own language and
    script (not run through gettext, which would turn "English" into "engelsk"). Staff and
    volunteer screens offer Danish and English only: they are not written in the others."""
    request = context.get("request")
    languages = settings.LANGUAGES
    if request is not None and request.path.startswith(STAFF_PATH_PREFIXES):
        languages = [(code, name) for code, name in languages if code in STAFF_LANGUAGES]
    return [
        {"code": code, "name": name, "dir": "rtl" if get_language_info(code)["bidi"] else "ltr"}
        for code, name in languages
    ]


@register.filter
def join_words(values) -> str:
    """A list of words joined the way the reader's script does: "، " in Arabic and Farsi."""
    language = (get_language() or "da").split("-")[0]
    separator = "، " if language in ("ar", "fa") else ", "
    return separator.join(str(value) for value in values)


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
