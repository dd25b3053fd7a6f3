"""The SMS dialog as a pure function: (state, text, now) -> (new state, reply, actions).

It knows keywords, offers and languages, and nothing about the database: everything it needs
to look up or change goes through the `world` port it is given (sms.services.world.DatabaseWorld in
production, a fake in tests). The state is a plain JSON dict stored per phone.

Keywords follow DESIGN §5. CANCEL and STOP are never booking actions: carriers treat them as
opt-out, so a citizen who texts "cancel" must not silently lose a seat either way.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Protocol

from . import texts

MAX_OFFERS = 5
MISSES_BEFORE_PERSON = 2

# Danish and English keywords work in every conversation; each language adds its own words
# (sms/languages/<code>.py KEYWORDS), which count only in a conversation in that language (the
# Polish "tak" means yes, the Danish one thanks), and its switch words, which always count.
KEYWORDS = {
    "list": ["tid", "tider", "book", "booke", "booking"],
    "cancel": ["afbud", "aflys"],
    "move": ["flyt", "move"],
    "video": ["video"],
    "phone": ["telefon", "phone", "tlf"],
    "in_person": ["fremmøde", "fremmode", "fremmoede", "fremmod"],
    "accept": ["ja", "yes"],
    "wait": ["vent", "venteliste", "wait", "waitlist"],
    "help": ["hjælp", "hjaelp", "hjalp", "help", "info"],
    "stop": ["stop", "afmeld", "stopall", "unsubscribe"],
    "start": ["start", "unstop"],
    # Not actions: carriers own these words. We only point to the word that works.
    "cancel_hint": ["cancel", "unbook"],
    # Understood, but nothing to do: a greeting gets the short menu, thanks gets no reply.
    "hello": ["hej", "hejsa", "hey", "hi", "hello", "hallo", "halløj", "goddag", "godmorgen"],
    "thanks": [
        "tak",
        "takker",
        "mangetak",
        "tusindtak",
        "thanks",
        "thank",
        "thankyou",
        "thx",
        "ok",
        "okay",
        "fint",
        "super",
    ],
    # "nr 2", "nummer 2": the number that follows is the choice.
    "number": ["nr", "nummer", "no", "number"],
}
# Phrases that mean "I cannot come": we ask to confirm with AFBUD rather than cancel.
CANNOT_COME = [
    "kan ikke komme",
    "kommer ikke",
    "cannot come",
    "can not come",
    "can t come",
    "cant come",
    "cannot make it",
    "can t make it",
]
SWITCH_WORDS = {"da": ["dansk", "danish"], "en": ["english", "engelsk"]}


def fold(word: str) -> str:
    """Diacritics off (TÜRKÇE = turkce), a few letters every keyboard writes differently."""
    word = word.replace("æ", "ae").replace("ø", "o").replace("ı", "i").replace("ß", "ss")
    word = word.replace("ي", "ی").replace("ى", "ی").replace("ك", "ک").replace("ة", "ه")
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _table(words_by_intent: dict) -> dict[str, str]:
    table = {}
    for intent, words in words_by_intent.items():
        for word in words:
            w = normalise(word)
            table.setdefault(w, intent)
            table.setdefault(fold(w), intent)
    return table


def _switch_table() -> dict[str, str]:
    words = {f"lang:{code}": list(ws) for code, ws in SWITCH_WORDS.items()}
    for code, module in texts.CATALOGUE.items():
        words.setdefault(f"lang:{code}", []).extend(getattr(module, "SWITCH_WORDS", []))
    return _table(words)


@cache
def _word_table(language: str) -> dict[str, str]:
    own = getattr(texts.CATALOGUE.get(language), "KEYWORDS", {}) if language else {}
    return {**_switch_table(), **_table(KEYWORDS), **_table(own)}


@cache
def _phrases(language: str) -> tuple[str, ...]:
    own = getattr(texts.CATALOGUE.get(language), "CANNOT_COME", []) if language else []
    return tuple(fold(normalise(p)) for p in [*CANNOT_COME, *own])


@dataclass
class Outcome:
    """What the world says about one action. `code` is "ok" or an error code; `data` carries
    what the reply needs (times, place, alternatives)."""

    code: str = "ok"
    data: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.code == "ok"


@dataclass
class Offer:
    slot_id: int
    starts_at: datetime
    place: str


class World(Protocol):
    def find_offers(self, *, place_code: str | None, limit: int) -> Outcome: ...
    def book(self, *, slot_id: int, language: str, mode: str | None = None) -> Outcome: ...
    def cancel_next(self) -> Outcome: ...
    def move_offers(self, *, limit: int) -> Outcome: ...
    def move(self, *, slot_id: int) -> Outcome: ...
    def switch_mode(self, *, mode: str) -> Outcome: ...
    def accept_waitlist_offer(self) -> Outcome: ...
    def join_waitlist(self, *, place_code: str | None, language: str) -> Outcome: ...
    def opt_out(self) -> Outcome: ...
    def leave_waitlist(self) -> Outcome: ...
    def opt_in(self) -> Outcome: ...
    def is_opted_out(self) -> bool: ...
    def last_place_code(self) -> str | None: ...


# Arabic-Indic and Persian digits read as digits.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
# "TID4021", "nr2": letters and digits run together are two words.
_LETTERS_THEN_DIGITS = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])")


def normalise(text: str) -> str:
    """NFKC (full-width digits, ligatures), casefold, Arabic and Persian digits to 0-9,
    punctuation and symbols to spaces, letters and digits run together split apart."""
    text = unicodedata.normalize("NFKC", text or "").casefold().translate(_DIGITS)
    cleaned = "".join(" " if unicodedata.category(ch)[0] in "PSZC" else ch for ch in text)
    cleaned = _LETTERS_THEN_DIGITS.sub(" ", cleaned)
    return " ".join(cleaned.split())


def damerau_levenshtein_at_most_one(a: str, b: str) -> bool:
    """True when a and b differ by at most one insertion, deletion, substitution or swap of
    two neighbours."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diffs = [i for i in range(la) if a[i] != b[i]]
        if len(diffs) == 1:
            return True
        return (
            len(diffs) == 2
            and diffs[1] == diffs[0] + 1
            and a[diffs[0]] == b[diffs[1]]
            and a[diffs[1]] == b[diffs[0]]
        )
    if la > lb:
        a, b = b, a
    # b is one longer: deleting one character of b must give a.
    return any(b[:i] + b[i + 1 :] == a for i in range(len(b)))


def match_keyword(word: str, language: str = "da") -> str | None:
    """The intent for one word, forgiving one typo in words of four or more letters; a word
    within one typo of two different intents is not guessed."""
    table = _word_table(texts.sms_language(language))
    for form in (word, fold(word)):
        if form in table:
            return table[form]
    if len(word) < 4:
        return None
    folded = fold(word)
    candidates = {
        intent
        for known, intent in table.items()
        if len(known) >= 4 and damerau_levenshtein_at_most_one(folded, known)
    }
    return candidates.pop() if len(candidates) == 1 else None


@dataclass
class Parsed:
    intent: str | None
    number: int | None = None
    place_code: str | None = None
    mode: str | None = None


_FOUR_DIGITS = re.compile(r"^[0-9]{4}$")


def parse(text: str, language: str = "da") -> Parsed:
    raw = unicodedata.normalize("NFKC", text or "").strip()
    if raw in ("?", "؟") or raw.startswith(("?", "؟")) and not normalise(raw):
        return Parsed("help")
    words = normalise(text).split()
    greeted = False
    # "Hej", "Hej TID 8000": a greeting first is polite, not a question.
    while len(words) > 1 and match_keyword(words[0], language) == "hello":
        words, greeted = words[1:], True
    parsed = _parse_words(words, language)
    if parsed.intent is None and parsed.number is None:
        if greeted:
            return Parsed("hello")
        if any(f" {p} " in f" {fold(' '.join(words))} " for p in _phrases(language)):
            return Parsed("cannot_come")
    return parsed


def _parse_words(words: list[str], language: str) -> Parsed:
    if not words:
        return Parsed(None)
    first = words[0]
    if (
        len(words) >= 2
        and match_keyword(first, language) == "number"
        and words[1].isdigit()
        and len(words[1]) <= 2
    ):
        words = words[1:]  # "nr 2", "nummer 2", "no. 2"
        first = words[0]
    if first.isdigit() and len(first) <= 2 and len(words) >= 2:
        # Answer to a caseworker's meeting invitation (meetings app): "1 VIDEO", "2 telefon",
        # "3 fremmøde" = take offer 1 and meet that way.
        mode = match_keyword(words[1], language)
        if mode is None and len(words) >= 3:
            mode = match_keyword(words[1] + words[2], language)
        if mode in ("video", "phone", "in_person"):
            return Parsed("choose", number=int(first), mode=mode)
    if first.isdigit() and len(words) == 1:
        if _FOUR_DIGITS.match(first):
            return Parsed("list", place_code=first)  # a bare poster code or postcode
        if len(first) <= 2:
            return Parsed("choose", number=int(first))
        return Parsed(None)
    intent = match_keyword(first, language)
    if intent is None and len(words) >= 2:
        # "in person", "fremmøde tak" and the like: try the two first words together.
        intent = match_keyword(first + words[1], language)
    if intent in ("list", "wait"):
        code = next((w for w in words[1:] if _FOUR_DIGITS.match(w)), None)
        return Parsed(intent, place_code=code)
    if intent == "stop" and len(words) >= 2 and match_keyword(words[1], language) == "wait":
        return Parsed("leave_waitlist")  # STOP VENT: off the waiting list, not off SMS
    if intent == "number":
        return Parsed(None)
    return Parsed(intent)


def fresh_state(language: str = "da") -> dict:
    return {"lang": language, "offers": [], "offer_kind": "", "misses": 0, "needs_person": False}


def _offer_lines(offers: list[Offer], language: str) -> str:
    return texts.offer_lines(
        [(n, o.starts_at, o.place) for n, o in enumerate(offers, start=1)], language
    )


def _remember_offers(state: dict, offers: list[Offer], kind: str) -> None:
    state["offers"] = [o.slot_id for o in offers]
    state["offer_kind"] = kind


def respond(state: dict | None, text: str, now: datetime, *, world: World):
    """Returns (new_state, reply or None, actions). Actions are (name, outcome code) pairs: what
    the dialog asked the world to do, for the log and for tests.

    A phone that opted out may still cancel or move by text, but gets no reply: they asked us
    to stay silent, and only START brings the replies back."""
    state, reply, actions = _respond(state, text, now, world=world)
    keyword_reply = any(name in ("opt_in", "opt_out") for name, _c in actions)
    if reply is not None and not keyword_reply and world.is_opted_out():
        return state, None, actions
    return state, reply, actions


def _respond(state: dict | None, text: str, now: datetime, *, world: World):
    state = {**fresh_state(), **(state or {})}
    lang = texts.sms_language(state.get("lang"))
    actions: list[tuple[str, str]] = []
    parsed = parse(text, lang)
    # "Kan ikke komme" asked to confirm; only the very next answer may confirm with JA.
    confirming_cancel = state.pop("confirm", None) == "cancel"
    if confirming_cancel and parsed.intent == "accept":
        parsed = Parsed("cancel")

    def say(key: str, **values) -> str:
        return texts.render(key, lang, **values)

    if parsed.intent == "start":
        outcome = world.opt_in()
        actions.append(("opt_in", outcome.code))
        state["misses"] = 0
        return state, say("started"), actions
    if parsed.intent == "stop":
        outcome = world.opt_out()
        actions.append(("opt_out", outcome.code))
        state.update(offers=[], offer_kind="", misses=0)
        return state, say("stopped"), actions

    if parsed.intent is None and parsed.number is None:
        state["misses"] = int(state.get("misses", 0)) + 1
        if state.get("needs_person"):
            return state, say("person_will_call_again"), actions
        if state["misses"] >= MISSES_BEFORE_PERSON:
            state["needs_person"] = True
            actions.append(("needs_person", "ok"))
            return state, say("person_will_call"), actions
        return state, say("not_understood"), actions

    state["misses"] = 0
    reply = None

    if parsed.intent == "thanks":
        reply = None  # "Tak": nothing to answer, and nothing misunderstood
    elif parsed.intent == "hello":
        reply = say("hello")
    elif parsed.intent == "cannot_come":
        state["confirm"] = "cancel"
        reply = say("confirm_cancel")
    elif parsed.intent == "help":
        reply = say("help")
    elif parsed.intent == "cancel_hint":
        reply = say("use_afbud")
    elif parsed.intent.startswith("lang:"):
        lang = parsed.intent.split(":", 1)[1]
        state["lang"] = lang
        actions.append(("set_language", lang))
        reply = say("language_set")
    elif parsed.intent == "list":
        reply = _list(state, parsed, lang, world, actions)
    elif parsed.intent == "choose":
        reply = _choose(state, parsed.number, lang, world, actions, mode=parsed.mode)
    elif parsed.intent == "cancel":
        outcome = world.cancel_next()
        actions.append(("cancel", outcome.code))
        reply = _simple_reply(outcome, lang, notified_key=None)
    elif parsed.intent == "move":
        outcome = world.move_offers(limit=MAX_OFFERS)
        actions.append(("move_offers", outcome.code))
        if outcome.ok and outcome.data.get("offers"):
            offers = outcome.data["offers"]
            _remember_offers(state, offers, "move")
            reply = say("move_offers", lines=_offer_lines(offers, lang))
        elif outcome.ok:
            reply = say("no_slots")
        else:
            reply = _simple_reply(outcome, lang, notified_key=None)
    elif parsed.intent in ("video", "phone", "in_person"):
        outcome = world.switch_mode(mode=parsed.intent)
        actions.append(("switch_mode", outcome.code))
        reply = _simple_reply(outcome, lang, notified_key=None)
    elif parsed.intent == "wait":
        if parsed.place_code:
            state["place_code"] = parsed.place_code
        outcome = world.join_waitlist(place_code=state.get("place_code"), language=lang)
        actions.append(("join_waitlist", outcome.code))
        data = outcome.data
        key = {
            "ok": "waitlist_joined",
            "no_place": "waitlist_which_place",
            "nothing_full": "waitlist_not_needed",
            "unknown_place": "unknown_place",
            "already_booked": "already_booked",
        }.get(outcome.code, "cannot_book")
        reply = say(
            key,
            when=data.get("when", ""),
            place=data.get("place", ""),
            code=parsed.place_code or state.get("place_code") or "",
        )
    elif parsed.intent == "leave_waitlist":
        outcome = world.leave_waitlist()
        actions.append(("leave_waitlist", outcome.code))
        key = "waitlist_left" if outcome.ok else "not_on_waitlist"
        reply = say(key, when=outcome.data.get("when", ""), place=outcome.data.get("place", ""))
    elif parsed.intent == "accept":
        outcome = world.accept_waitlist_offer()
        actions.append(("accept_waitlist_offer", outcome.code))
        reply = _simple_reply(outcome, lang, notified_key=None)
    return state, reply, actions


def _list(state: dict, parsed: Parsed, lang: str, world: World, actions) -> str:
    """Free times at the place asked for, else the last place this phone used; a phone with no
    history is asked where rather than sent times from all over the country."""
    code = parsed.place_code or state.get("place_code") or world.last_place_code()
    if not code:
        actions.append(("find_offers", "which_place"))
        return texts.render("which_place", lang)
    state["place_code"] = code
    outcome = world.find_offers(place_code=code, limit=MAX_OFFERS)
    actions.append(("find_offers", outcome.code))
    if outcome.code == "unknown_place":
        state.pop("place_code", None)
        return texts.render("unknown_place", lang, code=code)
    if not outcome.data.get("offers"):
        _remember_offers(state, [], "")
        return texts.render("no_slots", lang)
    offers = outcome.data["offers"]
    _remember_offers(state, offers, "book")
    return texts.render("offers", lang, lines=_offer_lines(offers, lang))


def _choose(state: dict, number: int, lang: str, world: World, actions, mode=None) -> str | None:
    offers = state.get("offers") or []
    if not 1 <= number <= len(offers):
        actions.append(("choose", "no_such_offer"))
        return texts.render("no_such_offer", lang, n=number)
    slot_id = offers[number - 1]
    if state.get("offer_kind") == "move":
        outcome = world.move(slot_id=slot_id)
        actions.append(("move", outcome.code))
    else:
        if mode is None:
            outcome = world.book(slot_id=slot_id, language=lang)
        else:
            outcome = world.book(slot_id=slot_id, language=lang, mode=mode)
        actions.append(("book", outcome.code))
    if outcome.ok or outcome.code == "already_booked":
        _remember_offers(state, [], "")
    if outcome.code == "full":
        alternatives = outcome.data.get("offers") or []
        if alternatives:
            _remember_offers(state, alternatives, state.get("offer_kind") or "book")
            return texts.render("slot_gone", lang, lines=_offer_lines(alternatives, lang))
        _remember_offers(state, [], "")
        return texts.render("no_slots", lang)
    return _simple_reply(outcome, lang, notified_key="booked")


def _simple_reply(outcome: Outcome, lang: str, *, notified_key: str | None) -> str | None:
    """Successful changes are confirmed by the booking engine's own notification (one text per
    change, the same on every channel); the dialog only speaks when nobody else will."""
    data = outcome.data
    if outcome.ok:
        if data.get("notified", True) or not notified_key:
            return None
        return texts.render(
            notified_key, lang, when=data.get("when", ""), place=data.get("place", "")
        )
    key = {
        "already_booked": "already_booked",
        "no_booking": "no_booking",
        "not_changeable": "cannot_change",
        "mode_not_offered": "mode_not_offered",
        "mode_unchanged": "mode_unchanged",
        "no_waitlist_offer": "no_waitlist_offer",
    }.get(outcome.code, "cannot_book")
    values = {
        "when": data.get("when", ""),
        "place": data.get("place", ""),
        "modes": data.get("modes", ""),
        "mode": data.get("mode", ""),
    }
    return texts.render(key, lang, **values)
