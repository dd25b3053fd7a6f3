"""Every text message we send, in Danish and English: short, plain, inside the GSM-7 alphabet
and a fixed segment budget (tests/sms/test_texts.py renders each with worst-case values).

Values we do not control (page titles) are cleaned to GSM-7 and shortened, so a long or fancy
hotspot name cannot push a reminder into three UCS-2 segments."""

from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from bookings import registry as engine

from . import gsm, registry

PLACE_MAX = 28
REF_MAX = 6

# Segment budget per template (GSM-7 segments of 153/160 septets).
BUDGET = {
    "confirmed": 2,
    "cancelled": 1,
    "moved": 2,
    "mode_switched": 1,
    "session_cancelled": 1,
    "waitlist_offer": 1,
    "reminder_day_before": 2,
    "reminder_before_start": 1,
    "help": 2,
    "offers": 2,
    "slot_gone": 2,
    "no_slots": 1,
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
    "waitlist_joined": 1,
    "waitlist_which_place": 1,
    "waitlist_not_needed": 1,
    "video_link": 1,
}

# A video booking's texts carry its join link (" Video: https://…/m/<token>/", about 70
# septets): these events, with these budgets where the link needs a segment more.
VIDEO_LINK_EVENTS = (
    "confirmed",
    "moved",
    "mode_switched",
    "reminder_day_before",
    "reminder_before_start",
)
VIDEO_BUDGET = {"reminder_before_start": 2}
VIDEO_LINE = "Video: {url}"

TEXTS = {
    "da": {
        "confirmed": "Du er booket: {place} {when}, {mode}. Ref {ref}. Svar AFBUD for at melde afbud, FLYT for ny tid.{link}",
        "cancelled": "Din tid {when} hos {place} er aflyst. Svar TID for at finde en ny tid.",
        "moved": "Din tid er flyttet til {when} hos {place}, {mode}. Ref {ref}.{link}",
        "mode_switched": "Dit møde {when} er nu: {mode}. Ref {ref}.",
        "session_cancelled": "Beklager, {place} {when} er aflyst. Svar TID for at finde en ny tid.",
        "waitlist_offer": "Der er en ledig plads: {place} {when}. Svar JA inden {expires} for at få den.",
        "reminder_day_before": "Husk din tid i morgen {when} hos {place}, {mode}. Ref {ref}. Kan du ikke komme? Svar AFBUD.{link}",
        "reminder_before_start": "Husk din tid {when} hos {place}, {mode}. Svar AFBUD hvis du ikke kan.",
        "help": "Svar TID for ledige tider (TID 4021 eller TID 8000 for et sted). AFBUD melder afbud. FLYT giver nye tider. VENT: venteliste. VIDEO, TELEFON eller FREMMØDE skifter mødeform. ENGLISH for engelsk. STOP afmelder SMS.",
        "offers": "Ledige tider:\n{lines}\nSvar med tallet, fx 1.",
        "move_offers": "Nye tider:\n{lines}\nSvar med tallet for at flytte din tid.",
        "offer_line": "{n} {when} {place}",
        "slot_gone": "Beklager, den tid blev taget. Andre tider:\n{lines}\nSvar med tallet.",
        "no_slots": "Der er ingen ledige tider lige nu. Svar VENT for at komme på venteliste, eller HJÆLP.",
        "unknown_place": "Vi kender ikke {code}. Skriv TID og koden fra plakaten, fx TID 4021.",
        "no_such_offer": "Vi har ikke sendt dig tid nr. {n}. Svar TID for at se ledige tider.",
        "booked": "Du er booket: {when} hos {place}. Svar AFBUD for at melde afbud.",
        "already_booked": "Du har allerede en tid {when} hos {place}. Svar AFBUD for at melde afbud.",
        "cannot_book": "Den tid kan ikke bookes nu. Svar TID for at se andre tider.",
        "no_booking": "Du har ingen tid hos os. Svar TID for at finde en tid.",
        "cannot_change": "Din tid kan ikke ændres nu. Ring til stedet, hvis du har brug for hjælp.",
        "mode_not_offered": "Den tid kan kun være: {modes}.",
        "mode_unchanged": "Dit møde {when} er allerede: {mode}.",
        "no_waitlist_offer": "Vi har ikke noget tilbud til dig lige nu. Svar TID for ledige tider.",
        "language_set": "OK, vi skriver på dansk. Svar HJÆLP for hjælp.",
        "stopped": "Du får ikke flere SMS fra os. Svar START for at få SMS igen.",
        "started": "Velkommen tilbage. Du får SMS fra os igen. Svar HJÆLP for hjælp.",
        "waitlist_joined": "Du er på ventelisten til {place} {when}. Vi skriver, hvis en plads bliver ledig.",
        "waitlist_which_place": "Skriv VENT og koden fra plakaten, fx VENT 4021.",
        "waitlist_not_needed": "Der er stadig ledige tider. Svar TID for at se dem.",
        "use_afbud": "Svar AFBUD for at melde afbud til din tid. Svar HJÆLP for hjælp.",
        "not_understood": "Det forstod vi ikke. Svar TID for ledige tider eller HJÆLP for hjælp.",
        "person_will_call": "Det forstod vi ikke. En medarbejder ringer dig op snarest.",
        "person_will_call_again": "En medarbejder ringer dig op snarest. Svar HJÆLP for hjælp.",
        "video_link": "Din tid {when} er et videomøde. Video: {url}",
    },
    "en": {
        "confirmed": "Booked: {place} {when}, {mode}. Ref {ref}. Reply AFBUD to cancel, FLYT for a new time.{link}",
        "cancelled": "Your time {when} at {place} is cancelled. Reply TID to find a new time.",
        "moved": "Your time is moved to {when} at {place}, {mode}. Ref {ref}.{link}",
        "mode_switched": "Your meeting {when} is now: {mode}. Ref {ref}.",
        "session_cancelled": "Sorry, {place} {when} is cancelled. Reply TID to find a new time.",
        "waitlist_offer": "A seat is free: {place} {when}. Reply JA before {expires} to take it.",
        "reminder_day_before": "Your time is tomorrow {when} at {place}, {mode}. Ref {ref}. Cannot come? Reply AFBUD.{link}",
        "reminder_before_start": "Your time is {when} at {place}, {mode}. Reply AFBUD if you cannot come.",
        "help": "Reply TID for free times (TID 4021 or TID 8000 for a place). AFBUD cancels. FLYT gives new times. VENT: waiting list. VIDEO, TELEFON or FREMMØDE changes how you meet. DANSK for Danish. STOP ends SMS.",
        "offers": "Free times:\n{lines}\nReply with the number, e.g. 1.",
        "move_offers": "New times:\n{lines}\nReply with the number to move your time.",
        "offer_line": "{n} {when} {place}",
        "slot_gone": "Sorry, that time was taken. Other times:\n{lines}\nReply with the number.",
        "no_slots": "There are no free times right now. Reply VENT to join the waiting list, or HELP.",
        "unknown_place": "We do not know {code}. Write TID and the code on the poster, e.g. TID 4021.",
        "no_such_offer": "We have not sent you time no. {n}. Reply TID to see free times.",
        "booked": "Booked: {when} at {place}. Reply AFBUD to cancel.",
        "already_booked": "You already have a time {when} at {place}. Reply AFBUD to cancel.",
        "cannot_book": "That time cannot be booked now. Reply TID to see other times.",
        "no_booking": "You have no time with us. Reply TID to find a time.",
        "cannot_change": "Your time cannot be changed now. Call the place if you need help.",
        "mode_not_offered": "That time can only be: {modes}.",
        "mode_unchanged": "Your meeting {when} is already: {mode}.",
        "no_waitlist_offer": "We have no offer for you right now. Reply TID for free times.",
        "language_set": "OK, we will write in English. Reply HELP for help.",
        "stopped": "You will get no more SMS from us. Reply START to get SMS again.",
        "started": "Welcome back. You will get SMS from us again. Reply HELP for help.",
        "waitlist_joined": "You are on the waiting list for {place} {when}. We will write if a seat is free.",
        "waitlist_which_place": "Write VENT and the code on the poster, e.g. VENT 4021.",
        "waitlist_not_needed": "There are still free times. Reply TID to see them.",
        "use_afbud": "To cancel your time, reply AFBUD. Reply HELP for help.",
        "not_understood": "Sorry, we did not understand. Reply TID for free times or HELP for help.",
        "person_will_call": "Sorry, we did not understand. A staff member will call you soon.",
        "person_will_call_again": "A staff member will call you soon. Reply HELP for help.",
        "video_link": "Your time {when} is a video meeting. Video: {url}",
    },
}

MODE_NAMES = {
    "da": {"in_person": "fremmøde", "video": "video", "phone": "telefon"},
    "en": {"in_person": "in person", "video": "video", "phone": "phone"},
}
WEEKDAYS = {
    "da": ["man", "tir", "ons", "tor", "fre", "lør", "søn"],
    "en": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
}


def language_of(value) -> str:
    return "en" if value == "en" else "da"


def shorten(text: str, limit: int) -> str:
    """Clean to GSM-7 and cut to `limit` septets, marking the cut."""
    text = " ".join(gsm.to_gsm7(text or "").split())
    if gsm.septets(text) <= limit:
        return text
    out = ""
    for ch in text:
        if gsm.septets(out + ch) > limit - 1:
            break
        out += ch
    return out.rstrip() + "."


def when(start, language: str) -> str:
    local = timezone.localtime(start)
    day = WEEKDAYS[language_of(language)][local.weekday()]
    if language_of(language) == "en":
        return f"{day} {local:%d.%m} at {local:%H.%M}"
    return f"{day} {local:%d.%m} kl. {local:%H.%M}"


def clock(moment) -> str:
    return f"{timezone.localtime(moment):%H.%M}"


def mode_name(mode: str, language: str) -> str:
    return MODE_NAMES[language_of(language)].get(mode, mode)


def render(key: str, language: str, **values) -> str:
    return TEXTS[language_of(language)][key].format(**values)


def place_of_slot(slot) -> str:
    if getattr(slot.occurrence, "meeting_service_id", None):
        return slot.occurrence.meeting_service.title  # a caseworker meeting: the service
    session = slot.occurrence.session
    return session.get_parent().title


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
    reminder_day_before, reminder_before_start."""
    language = language_of(getattr(booking, "language", "da"))
    slot = context.get("slot") or booking.slot
    render_for_source = registry.booking_texts_for(slot.occurrence.source_kind)
    if render_for_source is not None:
        # Caseworker meetings carry what their mode needs (address, join link, "we call you"):
        # the meetings app writes their texts (sms.registry).
        return render_for_source(booking, event, **context)
    values = {
        "place": shorten(context.get("place") or place_of_slot(slot), PLACE_MAX),
        "when": when(slot.starts_at, language),
        "mode": mode_name(booking.mode, language),
        "ref": shorten(booking.reference or "", REF_MAX),
        "link": "",
        "expires": clock(context["expires_at"]) if context.get("expires_at") else "",
    }
    if event in ("confirmed", "moved", "reminder_day_before"):
        values["link"] = manage_link(booking, context)
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
    language = language_of(getattr(booking, "language", "da"))
    return render("video_link", language, when=when(booking.slot.starts_at, language), url=url)


def budget(key: str, *, with_video_link: bool = False) -> int:
    return VIDEO_BUDGET.get(key, BUDGET[key]) if with_video_link else BUDGET[key]


def waitlist_offer_message(entry) -> str:
    """Called by the booking engine when a freed seat is held for a waiting phone."""
    language = language_of(entry.language)
    slot = entry.offered_slot
    return render(
        "waitlist_offer",
        language,
        place=shorten(place_of_slot(slot), PLACE_MAX),
        when=when(slot.starts_at, language),
        expires=clock(entry.offer_expires_at),
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
