"""SMS in the citizen's language (issue 15): each language's own keywords and switch words,
Danish and English keywords in every language, Arabic and Persian digits, and replies in the
conversation's language."""

from datetime import UTC, datetime

import pytest

from sms import texts
from sms.dialog import fold, normalise, parse, respond

from .test_dialog import WITH_OFFERS, FakeWorld

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
OTHER = ("ar", "fa", "uk", "pl", "tr", "so")
SWITCH = {
    "ar": "العربية",
    "fa": "فارسی",
    "uk": "УКРАЇНСЬКА",
    "pl": "POLSKI",
    "tr": "TÜRKÇE",
    "so": "SOOMAALI",
}
# The main keywords in each language's own words, as a citizen might type them.
OWN_WORDS = {
    "ar": {
        "list": "موعد",
        "cancel": "إلغاء",
        "move": "تغيير",
        "accept": "نعم",
        "stop": "توقف",
        "help": "مساعدة",
    },
    "fa": {
        "list": "وقت",
        "cancel": "لغو",
        "move": "تغییر",
        "accept": "بله",
        "stop": "توقف",
        "help": "کمک",
    },
    "uk": {
        "list": "ЧАС",
        "cancel": "Скасувати",
        "move": "перенести",
        "accept": "ТАК",
        "stop": "СТОП",
        "help": "Допомога",
    },
    "pl": {
        "list": "TERMIN",
        "cancel": "odwolaj",
        "move": "PRZENIEŚ",
        "accept": "Tak",
        "stop": "STOP",
        "help": "pomoc",
    },
    "tr": {
        "list": "Randevu",
        "cancel": "İPTAL",
        "move": "degistir",
        "accept": "EVET",
        "stop": "DUR",
        "help": "YARDIM",
    },
    "so": {
        "list": "BALLAN",
        "cancel": "baji",
        "move": "BEDDEL",
        "accept": "haa",
        "stop": "JOOJI",
        "help": "caawin",
    },
}
SHARED = {
    "list": "TID",
    "cancel": "AFBUD",
    "move": "FLYT",
    "accept": "JA",
    "stop": "STOP",
    "help": "HELP",
}


def test_every_language_has_every_template_and_a_draft_note():
    for code in OTHER:
        module = texts.CATALOGUE[code]
        assert set(module.TEXTS) == set(texts.TEXTS["da"]), code
        assert "DRAFT" in module.__doc__ and "native speaker" in module.__doc__
        assert set(module.MODE_NAMES) == {"in_person", "video", "phone"}
        assert len(module.WEEKDAYS) == 7


@pytest.mark.parametrize("code", OTHER)
def test_switch_word_in_its_own_name_and_script(code):
    state, reply, actions = respond({}, SWITCH[code], NOW, world=FakeWorld())
    assert state["lang"] == code and ("set_language", code) in actions
    assert reply == texts.render("language_set", code)
    # From any other language, too, and back to Danish with DANSK.
    state, _, _ = respond(
        {"lang": "uk" if code != "uk" else "ar"}, SWITCH[code], NOW, world=FakeWorld()
    )
    assert state["lang"] == code
    state, reply, _ = respond(state, "dansk", NOW, world=FakeWorld())
    assert state["lang"] == "da" and reply.startswith("OK, vi skriver på dansk")


@pytest.mark.parametrize("code", OTHER)
@pytest.mark.parametrize("intent", ["list", "cancel", "move", "accept", "stop", "help"])
def test_own_and_shared_keywords(code, intent):
    assert parse(OWN_WORDS[code][intent], code).intent == intent
    assert parse(SHARED[intent], code).intent == intent  # Danish and English always work


@pytest.mark.parametrize("code", OTHER)
def test_every_listed_keyword_is_understood_in_its_language(code):
    module = texts.CATALOGUE[code]
    for intent, words in module.KEYWORDS.items():
        for word in words:
            if intent == "number":
                assert parse(f"{word} 2", code).number == 2
            else:
                assert parse(word, code).intent == intent, (code, word)
                assert parse(word.upper(), code).intent == intent, (code, word)


def test_diacritics_and_case_do_not_matter():
    assert parse("turkce").intent == "lang:tr"
    assert parse("Türkçe").intent == "lang:tr"
    assert parse("ukrainska").intent == "lang:uk"
    assert parse("odwołaj", "pl").intent == "cancel"
    assert parse("ODWOLAJ", "pl").intent == "cancel"
    assert parse("iptal", "tr").intent == "cancel"
    assert parse("الغاء", "ar").intent == "cancel"  # without the hamza
    assert fold("فارسي") == fold("فارسی")  # Arabic and Persian yeh


def test_a_word_means_what_it_means_in_the_conversations_language():
    # "tak" is thanks in Danish, yes in Polish; "так" is yes in Ukrainian.
    assert parse("tak", "da").intent == "thanks"
    assert parse("tak", "pl").intent == "accept"
    assert parse("так", "uk").intent == "accept"


def test_arabic_and_persian_digits():
    assert normalise("٤٠٢١") == "4021"
    assert normalise("۴۰۲۱") == "4021"
    assert parse("موعد ٤٠٢١", "ar").place_code == "4021"
    assert parse("وقت ۸۰۰۰", "fa").place_code == "8000"
    assert parse("٢", "ar").number == 2
    world = FakeWorld()
    respond({**WITH_OFFERS, "lang": "ar"}, "١", NOW, world=world)
    assert world.calls == [("book", 11, "ar")]


@pytest.mark.parametrize("code", OTHER)
def test_replies_are_in_the_conversations_language(code):
    own = TEXTS_OF(code)
    _, reply, _ = respond({"lang": code}, OWN_WORDS[code]["help"], NOW, world=FakeWorld())
    assert reply == own["help"]
    _, reply, _ = respond({"lang": code}, "TID", NOW, world=FakeWorld())
    assert reply == own["which_place"]
    _, reply, _ = respond({"lang": code, "place_code": "4021"}, "TID", NOW, world=FakeWorld())
    assert reply.startswith(own["offers"].split("\n")[0])
    _, reply, _ = respond({"lang": code}, "zzzz qqqq", NOW, world=FakeWorld())
    assert reply == own["not_understood"]
    world = FakeWorld()
    _, reply, _ = respond({"lang": code}, "STOP VENT", NOW, world=world)
    assert world.calls == [("leave_waitlist",)]
    assert reply.startswith(own["waitlist_left"].split("{")[0])


def TEXTS_OF(code):  # noqa: N802
    return texts.TEXTS[code]


@pytest.mark.parametrize("code", OTHER)
def test_cannot_come_in_every_language(code):
    phrase = texts.CATALOGUE[code].CANNOT_COME[0]
    state, reply, _ = respond({"lang": code}, phrase, NOW, world=FakeWorld())
    assert reply == texts.render("confirm_cancel", code) and state["confirm"] == "cancel"
