"""Meeting SMS texts: like sms.texts (GSM-7, short), but carrying what the mode needs: the
address for in person, our join link for video, "vi ringer til dig" for phone."""

from sms import texts as sms_texts

from . import translations

TEXTS = {
    "da": {
        "confirmed": "Dit møde er booket: {title} {when}, {mode}. {how} Ref {ref}.{link}",
        "moved": "Dit møde er flyttet til {when}, {mode}. {how} Ref {ref}.{link}",
        "mode_switched": "Dit møde {when} er nu: {mode}. {how} Ref {ref}.",
        "cancelled": "Dit møde {when} ({title}) er aflyst. Ref {ref}.",
        "session_cancelled": "Beklager, dit møde {when} ({title}) er aflyst. Vi kontakter dig.",
        "reminder_day_before": "Husk dit møde i morgen {when}, {mode}. {how} Svar AFBUD hvis du ikke kan.",
        "reminder_before_start": "Dit møde er {when}, {mode}. {how}",
        "how_in_person": "Mød op: {address}.",
        "how_video": "Video: {url}",
        "how_video_no_link": "Du får et link til video.",
        "how_phone": "Vi ringer til dig på dette nummer.",
        "invitation": "{title}: vælg en tid.\n{lines}\nSvar med tallet og VIDEO, TELEFON eller FREMMØDE, fx 1 VIDEO.{link}",
        "notice": "{ref} {when}: {what}",
        "notice_mode_switched": "borgeren skifter til {mode}",
        "notice_cancelled": "borgeren har meldt afbud",
        "notice_moved": "mødet er flyttet",
        "notice_confirmed": "nyt møde, {mode}",
    },
    "en": {
        "confirmed": "Your meeting is booked: {title} {when}, {mode}. {how} Ref {ref}.{link}",
        "moved": "Your meeting is moved to {when}, {mode}. {how} Ref {ref}.{link}",
        "mode_switched": "Your meeting {when} is now: {mode}. {how} Ref {ref}.",
        "cancelled": "Your meeting {when} ({title}) is cancelled. Ref {ref}.",
        "session_cancelled": "Sorry, your meeting {when} ({title}) is cancelled. We will contact you.",
        "reminder_day_before": "Your meeting is tomorrow {when}, {mode}. {how} Reply AFBUD if you cannot come.",
        "reminder_before_start": "Your meeting is {when}, {mode}. {how}",
        "how_in_person": "Come to: {address}.",
        "how_video": "Video: {url}",
        "how_video_no_link": "You will get a video link.",
        "how_phone": "We will call you on this number.",
        "invitation": "{title}: choose a time.\n{lines}\nReply with the number and VIDEO, TELEFON or FREMMØDE, e.g. 1 VIDEO.{link}",
        "notice": "{ref} {when}: {what}",
        "notice_mode_switched": "the citizen switches to {mode}",
        "notice_cancelled": "the citizen cancelled",
        "notice_moved": "the meeting was moved",
        "notice_confirmed": "new meeting, {mode}",
    },
}
# The citizens' other languages (drafts); what a language lacks (the caseworker's notices) is
# Danish.
for _code, _texts in translations.TEXTS.items():
    TEXTS[_code] = {**TEXTS["da"], **_texts}

ADDRESS_MAX = 60
TITLE_MAX = 28
# Segments per citizen template, as sent (with the sender), GSM-7 and UCS-2 languages.
BUDGET = {
    "confirmed": 2,
    "moved": 2,
    "mode_switched": 1,
    "cancelled": 1,
    "session_cancelled": 1,
    "reminder_day_before": 2,
    "reminder_before_start": 1,
    "invitation": 2,
}
BUDGET_UCS2 = {
    "confirmed": 4,
    "moved": 4,
    "mode_switched": 3,
    "cancelled": 2,
    "session_cancelled": 2,
    "reminder_day_before": 3,
    "reminder_before_start": 2,
    "invitation": 5,
}


def _language(language) -> str:
    code = sms_texts.sms_language(language)
    return code if code in TEXTS else "da"


def _render(key, language, **values) -> str:
    return TEXTS[_language(language)][key].format(**values)


def how_to_meet(booking, language: str) -> str:
    """What the mode needs, for the citizen."""
    from .services import join_url

    if booking.mode == "video":
        url = join_url(booking)
        return (
            _render("how_video", language, url=url)
            if url
            else _render("how_video_no_link", language)
        )
    if booking.mode == "phone":
        return _render("how_phone", language)
    meeting_time = getattr(booking.slot.occurrence, "meeting_time", None)
    location = meeting_time.location if meeting_time else None
    address = location.full_address if location else ""
    return _render("how_in_person", language, address=sms_texts.shorten(address, ADDRESS_MAX))


def meeting_message(booking, event: str, **context) -> str:
    language = _language(getattr(booking, "language", "da"))
    slot = context.get("slot") or booking.slot
    if event not in TEXTS[language] or event.startswith(("how_", "notice")):
        event = "confirmed"
    service = slot.occurrence.meeting_service
    link = ""
    if event in ("confirmed", "moved", "reminder_day_before"):
        link = sms_texts.manage_link(booking, context)
    return _render(
        event,
        language,
        title=sms_texts.shorten(service.title if service else "", TITLE_MAX),
        when=sms_texts.when(slot.starts_at, language),
        mode=sms_texts.mode_name(booking.mode, language),
        how=how_to_meet(booking, language) if booking.status == "confirmed" else "",
        ref=sms_texts.shorten(booking.reference or "", sms_texts.REF_MAX),
        link=link,
    ).replace("  ", " ")


def invitation_message(service, slots, *, language="da") -> str:
    from django.conf import settings

    lines = "\n".join(
        f"{n} {sms_texts.when(slot.starts_at, language)}" for n, slot in enumerate(slots, start=1)
    )
    url = service.get_full_url() or ""
    if url and not url.startswith("http"):
        url = f"{settings.PUBLIC_BASE_URL}{url}"
    return _render(
        "invitation",
        language,
        title=sms_texts.shorten(service.title, TITLE_MAX),
        lines=lines,
        link=f" {url}" if url else "",
    )


def caseworker_notice(booking, event: str) -> str:
    language = "da"
    what = _render(f"notice_{event}", language, mode=sms_texts.mode_name(booking.mode, language))
    return _render(
        "notice",
        language,
        ref=booking.reference,
        when=sms_texts.when(booking.slot.starts_at, language),
        what=what,
    )
