"""Every text message we send to citizens, in their language (sms/languages/): short, plain,
GSM-7 where the language allows, inside a segment budget per template and language
(tests/sms/test_texts.py renders each with worst-case values).

Values we do not control (page titles) are cleaned to GSM-7 and shortened, so a long or fancy
hotspot name cannot push a reminder into three UCS-2 segments."""

from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from bookings import registry as engine

from . import gsm, languages, registry

PLACE_MAX = 24
ADDRESS_MAX = 40
REASON_MAX = 60
REF_MAX = 6

# Every text starts by saying who writes. A provider that shows a sender name instead (an
# alphanumeric sender ID) can set SMS_SENDER_PREFIX = "" in the settings.
SENDER_PREFIX = "Digihjælp: "

# Segment budget per template (GSM-7 segments of 153/160 septets), including the sender prefix.
BUDGET = {
    "confirmed": 2,
    "cancelled": 1,
    "moved": 2,
    "mode_switched": 1,
    "session_cancelled": 1,
    "session_closed": 2,
    "waitlist_offer": 1,
    "reminder_day_before": 2,
    "reminder_before_start": 1,
    "help": 2,
    "offers": 2,
    "slot_gone": 2,
    "no_slots": 1,
    "which_place": 1,
    "unknown_place": 1,
    "no_such_offer": 1,
    "booked": 1,
    "already_booked": 1,
    "cannot_book": 1,
    "no_booking": 1,
    "cannot_change": 1,
    "mode_not_offered": 1,
    "mode_unchanged": 1,
    "no_waitlist_offer": 1,
    "language_set": 1,
    "stopped": 1,
    "started": 1,
    "not_understood": 1,
    "person_will_call": 1,
    "person_will_call_again": 1,
    "move_offers": 2,
    "offer_line": 1,
    "use_afbud": 1,
    "confirm_cancel": 1,
    "hello": 1,
    "waitlist_joined": 1,
    "waitlist_which_place": 1,
    "waitlist_not_needed": 1,
    "waitlist_left": 1,
    "not_on_waitlist": 1,
    "video_link": 1,
}

# The same for languages that need UCS-2 (Arabic, Farsi, Ukrainian, Polish, Turkish): 70
# characters in one segment, 67 per part of a longer one. Where a template is not listed here,
# its GSM-7 budget above holds in UCS-2 too.
BUDGET_UCS2 = {
    "already_booked": 2,
    "booked": 2,
    "cancelled": 2,
    "confirm_cancel": 2,
    "confirmed": 4,
    "hello": 2,
    "help": 4,
    "mode_switched": 2,
    "move_offers": 4,
    "moved": 3,
    "no_slots": 2,
    "offers": 4,
    "reminder_before_start": 3,
    "reminder_day_before": 4,
    "session_cancelled": 2,
    "session_closed": 3,
    "slot_gone": 5,
    "started": 2,
    "unknown_place": 2,
    "waitlist_joined": 2,
    "waitlist_left": 2,
    "waitlist_offer": 2,
    "which_place": 2,
    "video_link": 2,
}

# A video booking's texts carry its join link (" Video: https://…/m/<token>/", about 70
# characters): these events, with a larger budget where the link needs more segments.
VIDEO_LINK_EVENTS = (
    "confirmed",
    "moved",
    "mode_switched",
    "reminder_day_before",
    "reminder_before_start",
)
VIDEO_BUDGET = {"reminder_before_start": 2}
# In UCS-2 (67 characters a part) the link line takes up to two parts more.
VIDEO_EXTRA_UCS2 = 2
VIDEO_LINE = "Video: {url}"

CATALOGUE = languages.CATALOGUE
SMS_LANGUAGES = tuple(CATALOGUE)
TEXTS = {code: module.TEXTS for code, module in CATALOGUE.items()}
MODE_NAMES = {code: module.MODE_NAMES for code, module in CATALOGUE.items()}
WEEKDAYS = {code: module.WEEKDAYS for code, module in CATALOGUE.items()}


def language_of(value) -> str:
    """Danish or English: for texts that exist only in those two (volunteers, staff)."""
    return "en" if value == "en" else "da"


def sms_language(value) -> str:
    """The citizen's language if we write SMS in it, else Danish."""
    code = (value or "da").lower()[:5]
    if code in CATALOGUE:
        return code
    return code[:2] if code[:2] in CATALOGUE else "da"


def budget(key: str, language: str = "da", *, with_video_link: bool = False) -> int:
    """Segments a template may use in a language (a UCS-2 language may have its own), with or
    without a video booking's join link at its end."""
    module = CATALOGUE[sms_language(language)]
    own = getattr(module, "BUDGET", {})
    default = BUDGET.get(key, 1)
    if module.UCS2:
        default = BUDGET_UCS2.get(key, default)
    segments = own.get(key, default)
    if with_video_link:
        if module.UCS2:
            return segments + VIDEO_EXTRA_UCS2
        return max(segments, VIDEO_BUDGET.get(key, segments))
    return segments


def sender_prefix() -> str:
    from django.conf import settings

    return getattr(settings, "SMS_SENDER_PREFIX", SENDER_PREFIX)


def signed(body: str) -> str:
    """The text as sent: with who writes in front, once."""
    prefix = sender_prefix()
    if not prefix or body.startswith(prefix.strip()):
        return body
    return prefix + body


_CUT_AT = " -–,:;/(&+"


def shorten(text: str, limit: int) -> str:
    """Clean to GSM-7 and shorten to `limit` septets at a word boundary ("Dokk1 -
    Borgerservice" becomes "Dokk1", not "Dokk1 - Borgerser."). A single word longer than the
    limit is cut at the limit."""
    text = " ".join(gsm.to_gsm7(text or "").split())
    if gsm.septets(text) <= limit:
        return text
    out = ""
    for word in text.split(" "):
        candidate = f"{out} {word}" if out else word
        if gsm.septets(candidate) > limit:
            break
        out = candidate
    out = out.rstrip(_CUT_AT)
    if out:
        return out
    cut = ""
    for ch in text:
        if gsm.septets(cut + ch) > limit:
            break
        cut += ch
    return cut


def place_name(hotspot) -> str:
    """How an SMS names a place: the editor's short name, else the title shortened readably."""
    short = getattr(hotspot, "short_name", "") or ""
    return shorten(short or hotspot.title, PLACE_MAX)


def address_of(hotspot) -> str:
    street = getattr(hotspot, "street_address", "") or ""
    town = " ".join(
        part for part in (getattr(hotspot, "postcode", ""), getattr(hotspot, "city", "")) if part
    )
    full = ", ".join(part for part in (street, town) if part)
    return shorten(full, ADDRESS_MAX)


def _local(moment):
    return timezone.localtime(moment)


def when(start, language: str) -> str:
    module = CATALOGUE[sms_language(language)]
    local = _local(start)
    return module.WHEN.format(
        day=module.WEEKDAYS[local.weekday()], date=f"{local:%d.%m}", time=f"{local:%H.%M}"
    )


def clock(moment) -> str:
    return f"{_local(moment):%H.%M}"


def deadline(moment, language: str, *, now=None) -> str:
    """A reply deadline read as a time: "kl. 16.07 i dag", "kl. 09.00 i morgen", or the day and
    date when it is further off."""
    module = CATALOGUE[sms_language(language)]
    local = _local(moment)
    today = _local(now or timezone.now()).date()
    days = (local.date() - today).days
    if days == 0:
        return module.DEADLINE_TODAY.format(time=clock(moment))
    if days == 1:
        return module.DEADLINE_TOMORROW.format(time=clock(moment))
    return when(moment, language)


def mode_name(mode: str, language: str) -> str:
    return MODE_NAMES[sms_language(language)].get(mode, mode)


def render(key: str, language: str, **values) -> str:
    return TEXTS[sms_language(language)][key].format(**values)


def _hotspot_of_slot(slot):
    session = slot.occurrence.session
    hotspot = getattr(session, "hotspot", None)
    return hotspot if hotspot is not None else session.get_parent()


def place_of_slot(slot) -> str:
    if getattr(slot.occurrence, "meeting_service_id", None):
        # A caseworker meeting: the service.
        return shorten(slot.occurrence.meeting_service.title, PLACE_MAX)
    return place_name(_hotspot_of_slot(slot))


def address_of_slot(slot) -> str:
    if getattr(slot.occurrence, "meeting_service_id", None):
        return ""
    return address_of(_hotspot_of_slot(slot))


def manage_link(booking, context: dict) -> str:
    """The short link to cancel, move or switch mode; only right after booking (or moving)
    do we hold the plain token."""
    url = context.get("manage_url")
    token = context.get("manage_token") or getattr(booking, "manage_token", None)
    if not url and token:
        from django.conf import settings

        try:
            path = reverse("bookings:manage", kwargs={"token": token})
        except NoReverseMatch:
            return ""
        url = f"{settings.PUBLIC_BASE_URL}{path}"
    return f" {url}" if url else ""


def booking_message(booking, event: str, **context) -> str:
    """event: confirmed, cancelled, moved, mode_switched, session_cancelled, waitlist_offer,
    reminder_day_before, reminder_before_start. Context may carry `place` and `address` (the
    booking view loads them with the slot), `closure_reason` (an editor closed the place: the
    citizen is told why), `expires_at`, `manage_url`/`manage_token`."""
    language = sms_language(getattr(booking, "language", "da"))
    slot = context.get("slot") or booking.slot
    render_for_source = registry.booking_texts_for(slot.occurrence.source_kind)
    if render_for_source is not None:
        # Caseworker meetings carry what their mode needs (address, join link, "we call you"):
        # the meetings app writes their texts (sms.registry).
        return render_for_source(booking, event, **context)
    place = shorten(context.get("place") or place_of_slot(slot), PLACE_MAX)
    where = place
    if booking.mode == "in_person":
        address = context.get("address")
        address = shorten(address, ADDRESS_MAX) if address else address_of_slot(slot)
        where = f"{place}, {address}" if address else place
    values = {
        "place": place,
        "where": where,
        "when": when(slot.starts_at, language),
        "mode": mode_name(booking.mode, language),
        "ref": shorten(booking.reference or "", REF_MAX),
        "link": "",
        "expires": deadline(context["expires_at"], language) if context.get("expires_at") else "",
        "reason": "",
    }
    if event in ("confirmed", "moved", "reminder_day_before"):
        values["link"] = manage_link(booking, context)
    if event == "session_cancelled" and context.get("closure_reason"):
        event = "session_closed"
        values["reason"] = closure_reason(context["closure_reason"])
    if event not in TEXTS[language] or event not in BUDGET:
        event = "confirmed"
    return render(event, language, **values) + video_line(booking, event)


def video_line(booking, event: str) -> str:
    """ " Video: <join link>" for a confirmed video booking of an IT-café session, whose room
    the meetings app made when it became a video booking (bookings.registry); "" otherwise.
    Only reads."""
    if event not in VIDEO_LINK_EVENTS or getattr(booking, "mode", "") != "video":
        return ""
    url = engine.video_join_url(booking)
    return f" {VIDEO_LINE.format(url=url)}" if url else ""


def video_link_message(booking, url: str) -> str:
    """The join link on its own, for a booking that became a video booking after its
    reminder went out."""
    language = sms_language(getattr(booking, "language", "da"))
    return render("video_link", language, when=when(booking.slot.starts_at, language), url=url)


def closure_reason(reason: str) -> str:
    """An editor's reason for a closure, short and ending like a sentence."""
    text = shorten(reason, REASON_MAX)
    return text if text.endswith((".", "!", "?")) else f"{text}."


def waitlist_offer_message(entry, *, now=None) -> str:
    """Called by the booking engine when a freed seat is held for a waiting phone."""
    language = sms_language(entry.language)
    slot = entry.offered_slot
    return render(
        "waitlist_offer",
        language,
        place=place_of_slot(slot),
        when=when(slot.starts_at, language),
        expires=deadline(entry.offer_expires_at, language, now=now),
    )


def waitlist_joined_message(entry) -> str:
    """Sent when someone joins a waiting list on the web: it is on, and how to leave it."""
    language = sms_language(entry.language)
    occurrence = entry.occurrence
    session = occurrence.session
    hotspot = getattr(session, "hotspot", None) or session.get_parent()
    return render(
        "waitlist_joined",
        language,
        place=place_name(hotspot),
        when=when(occurrence.starts_at, language),
    )


def offer_lines(offers, language: str) -> str:
    """offers: [(n, starts_at, place)]."""
    return "\n".join(
        render(
            "offer_line",
            language,
            n=n,
            when=when(starts_at, language),
            place=shorten(place, 18),
        )
        for n, starts_at, place in offers
    )
