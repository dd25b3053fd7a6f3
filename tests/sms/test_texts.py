"""Every text rendered with worst-case values must stay in GSM-7 and inside its segment budget:
one curly quote turns a 2-segment reminder into a 4-segment UCS-2 one on a basic phone."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from django.test import override_settings

from sms import gsm, texts
from sms.dialog import MAX_OFFERS

# The longest page title Wagtail allows, full of characters that cost extra or are not GSM-7.
LONGEST_PLACE = ("Ældre Sagens IT-café – “Digital hjælp” på Østerbro € [1] " * 10)[:255]
LONGEST_STREET = ("Kong Christian den Niendes Allé " * 5)[:120]
LONGEST_CITY = "Frederiksberg C" * 4
LONGEST_REASON = ("Biblioteket bliver ombygget og har lukket i hele perioden. " * 4)[:200]
LONGEST_REF = "WWWWWW"
# A two-digit day and month, and a long weekday name in both languages.
START = datetime(2026, 12, 30, 13, 45, tzinfo=UTC)  # onsdag / Wed
TOKEN = "A" * 22  # 128 bits, urlsafe base64
LINK = " https://digihjaelp.example/b/" + TOKEN + "/"
EVENTS = (
    "confirmed",
    "cancelled",
    "moved",
    "mode_switched",
    "session_cancelled",
    "waitlist_offer",
    "reminder_day_before",
    "reminder_before_start",
)


def fake_hotspot(short_name=""):
    return SimpleNamespace(
        title=LONGEST_PLACE,
        short_name=short_name,
        street_address=LONGEST_STREET,
        postcode="9999",
        city=LONGEST_CITY,
    )


def fake_booking(language, mode="in_person"):
    hotspot = fake_hotspot()
    session = SimpleNamespace(get_parent=lambda: hotspot, hotspot=hotspot)
    occurrence = SimpleNamespace(session=session, source_kind="session")
    slot = SimpleNamespace(starts_at=START, occurrence=occurrence)
    return SimpleNamespace(
        slot=slot, language=language, mode=mode, reference=LONGEST_REF, manage_token=TOKEN
    )


def worst_values(language):
    lines = texts.offer_lines(
        [(n, START, LONGEST_PLACE) for n in range(1, MAX_OFFERS + 1)], language
    )
    place = texts.place_name(fake_hotspot())
    return {
        "place": place,
        "where": f"{place}, {texts.address_of(fake_hotspot())}",
        "when": texts.when(START, language),
        "mode": max(
            (texts.mode_name(m, language) for m in ("in_person", "video", "phone")), key=len
        ),
        "modes": ", ".join(texts.mode_name(m, language) for m in ("in_person", "video", "phone")),
        "ref": LONGEST_REF,
        "link": LINK,
        "expires": max(
            (texts.deadline(START + timedelta(days=d), language, now=START) for d in (0, 1, 5)),
            key=len,
        ),
        "reason": texts.closure_reason(LONGEST_REASON),
        "code": "9999",
        "n": 99,
        "lines": lines,
        "url": "https://digihjaelp.example/m/" + "B" * 32 + "/",
    }


def rendered_texts(languages=texts.SMS_LANGUAGES):
    """(language, template, text as sent) for every template with worst-case values."""
    for language in languages:
        values = worst_values(language)
        for key in texts.TEXTS[language]:
            text = texts.render(key, language, **values)
            yield language, key, text if key == "offer_line" else texts.signed(text)
        for event in EVENTS:
            for mode in ("in_person", "video", "phone"):
                context = {"expires_at": START + timedelta(days=3)}
                if event == "session_cancelled":
                    context["closure_reason"] = LONGEST_REASON
                yield (
                    language,
                    "session_closed" if event == "session_cancelled" else event,
                    texts.signed(
                        texts.booking_message(fake_booking(language, mode), event, **context)
                    ),
                )


def test_every_key_has_a_budget_and_every_language():
    for language in texts.SMS_LANGUAGES:
        assert set(texts.TEXTS[language]) == set(texts.TEXTS["da"]), language
    assert set(texts.TEXTS["da"]) <= set(texts.BUDGET)


@override_settings(PUBLIC_BASE_URL="https://digihjaelp.example")
@pytest.mark.parametrize(("language", "key", "text"), list(rendered_texts()))
def test_text_fits_its_encoding_and_budget(language, key, text):
    if not getattr(texts.CATALOGUE[language], "UCS2", False):
        assert gsm.is_gsm7(text), f"{language}/{key} has {gsm.non_gsm_characters(text)}: {text!r}"
    assert gsm.segments(text) <= texts.budget(key, language), (
        f"{language}/{key} needs {gsm.segments(text)} segments: {text!r}"
    )


def test_every_text_says_who_writes():
    for _language, key, text in rendered_texts():
        if key != "offer_line":
            assert text.startswith("Digihjælp: ")
    assert texts.signed("Digihjælp: Hej") == "Digihjælp: Hej"


@override_settings(SMS_SENDER_PREFIX="")
def test_a_sender_name_replaces_the_prefix():
    assert texts.signed("Du er booket") == "Du er booket"


def test_booking_texts_give_the_address_in_person():
    booking = fake_booking("da")
    booking.slot.occurrence.session.hotspot = SimpleNamespace(
        title="Dokk1 - Borgerservice og Hovedbibliotek",
        short_name="Dokk1",
        street_address="Hack Kampmanns Plads 2",
        postcode="8000",
        city="Aarhus C",
    )
    confirmed = texts.booking_message(booking, "confirmed")
    assert "hos Dokk1, Hack Kampmanns Plads 2, 8000 Aarhus C, fremmøde" in confirmed
    reminder = texts.booking_message(booking, "reminder_before_start")
    assert "Hack Kampmanns Plads 2, 8000 Aarhus C" in reminder
    booking.mode = "video"
    assert "Kampmanns" not in texts.booking_message(booking, "reminder_before_start")


def test_place_names_are_shortened_at_a_word():
    assert texts.place_name(SimpleNamespace(title="Dokk1 - Borgerservice Aarhus")) == (
        "Dokk1 - Borgerservice"
    )
    assert texts.place_name(SimpleNamespace(title="Dokk1 – Borgerserviceafdelingen")) == "Dokk1"
    assert (
        texts.place_name(SimpleNamespace(title="Biblioteket i Hasle, Aarhus V og omegn"))
        == "Biblioteket i Hasle"
    )
    assert texts.place_name(SimpleNamespace(title="Bi", short_name="")) == "Bi"
    assert texts.place_name(SimpleNamespace(title="Dokk1 - Borgerser", short_name="Dokk1")) == (
        "Dokk1"
    )
    for name in (texts.place_name(fake_hotspot()), texts.shorten(LONGEST_PLACE, 18)):
        assert not name.endswith((".", "-", ","))
        assert name in gsm.to_gsm7(LONGEST_PLACE)


def test_deadlines_read_as_times():
    now = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # 10.00 in Copenhagen
    assert texts.deadline(datetime(2026, 12, 1, 15, 7, tzinfo=UTC), "da", now=now) == (
        "kl. 16.07 i dag"
    )
    assert texts.deadline(datetime(2026, 12, 2, 8, 0, tzinfo=UTC), "da", now=now) == (
        "kl. 09.00 i morgen"
    )
    assert texts.deadline(datetime(2026, 12, 4, 8, 0, tzinfo=UTC), "da", now=now) == (
        "fre 04.12 kl. 09.00"
    )
    assert texts.deadline(datetime(2026, 12, 1, 15, 7, tzinfo=UTC), "en", now=now) == (
        "16.07 today"
    )


def test_closure_reason_is_in_the_cancellation():
    text = texts.booking_message(
        fake_booking("da"), "session_cancelled", closure_reason="Biblioteket er lukket"
    )
    assert ": Biblioteket er lukket. Svar TID" in text


def test_segment_arithmetic():
    assert gsm.segments("a" * 160) == 1
    assert gsm.segments("a" * 161) == 2
    assert gsm.segments("€" * 80) == 1  # two septets each
    assert gsm.segments("“" + "a" * 69) == 1
    assert gsm.segments("“" + "a" * 70) == 2  # UCS-2
    assert gsm.is_gsm7("Æble, øl og å")
    assert not gsm.is_gsm7("10–12")


def test_shorten_cleans_and_cuts():
    short = texts.shorten(LONGEST_PLACE, texts.PLACE_MAX)
    assert gsm.is_gsm7(short)
    assert gsm.septets(short) <= texts.PLACE_MAX
    assert texts.shorten("Hovedbiblioteksfilialen", 10) == "Hovedbibli"
    assert texts.shorten("Café “Lyset”", 28) == 'Café "Lyset"'


def meeting_worst_values(language):
    from meetings import texts as meeting_texts

    url = "https://digihjaelp.example/m/" + TOKEN + "/"
    how = meeting_texts.TEXTS[language]
    return {
        "title": "W" * meeting_texts.TITLE_MAX,
        "when": texts.when(START, language),
        "mode": worst_values(language)["mode"],
        "how": max(
            (
                how["how_in_person"].format(address="W" * meeting_texts.ADDRESS_MAX),
                how["how_video"].format(url=url),
                how["how_video_no_link"],
                how["how_phone"],
            ),
            key=len,
        ),
        "ref": LONGEST_REF,
        "link": LINK,
        "lines": "\n".join(f"{n} {texts.when(START, language)}" for n in range(1, MAX_OFFERS + 1)),
    }


@pytest.mark.parametrize("language", texts.SMS_LANGUAGES)
def test_meeting_texts_fit_their_budget_in_every_language(language):
    from meetings import texts as meeting_texts

    ucs2 = texts.CATALOGUE[language].UCS2
    values = meeting_worst_values(language)
    for key, budget in meeting_texts.BUDGET.items():
        text = texts.signed(meeting_texts.TEXTS[language][key].format(**values))
        if not ucs2:
            assert gsm.is_gsm7(text), (language, key, gsm.non_gsm_characters(text))
        limit = meeting_texts.BUDGET_UCS2[key] if ucs2 else budget
        assert gsm.segments(text) <= limit, (language, key, gsm.segments(text))


@pytest.mark.parametrize("language", texts.SMS_LANGUAGES)
def test_crisis_texts_fit_their_budget_in_every_language(language):
    from crisis import texts as crisis_texts

    longest = "W" * crisis_texts.INTRO_MAX
    ucs2 = texts.CATALOGUE[language].UCS2
    for key in crisis_texts.LINES[language]:
        outcome, _, extra = key.partition(":")
        for message_en in ("", longest):
            text = texts.signed(
                crisis_texts.compose(
                    outcome=outcome,
                    extra=extra,
                    language=language,
                    message=longest,
                    message_en=message_en,
                    org="O" * 60,
                )
            )
            if not ucs2:
                assert gsm.is_gsm7(text), (language, key, gsm.non_gsm_characters(text))
            limit = crisis_texts.SEGMENTS_UCS2 if ucs2 else crisis_texts.SEGMENTS
            assert gsm.segments(text) <= limit, (language, key, gsm.segments(text))


@override_settings(PUBLIC_BASE_URL="https://digihjaelp.example")
@pytest.mark.parametrize("language", texts.SMS_LANGUAGES)
@pytest.mark.parametrize("event", texts.VIDEO_LINK_EVENTS)
def test_an_it_cafe_video_text_carries_its_join_link_within_budget(monkeypatch, language, event):
    from bookings import registry

    link = "https://digihjaelp.example/m/" + "B" * 32 + "/"  # 24 bytes, urlsafe base64
    monkeypatch.setattr(registry, "video_join_url", lambda booking: link)
    booking = fake_booking(language, "video")
    text = texts.booking_message(booking, event)
    assert text.endswith(f" Video: {link}")
    sent = texts.signed(text)
    if not texts.CATALOGUE[language].UCS2:
        assert gsm.is_gsm7(sent)
    assert gsm.segments(sent) <= texts.budget(event, language, with_video_link=True), text
    # Only video bookings carry it.
    assert link not in texts.booking_message(fake_booking(language, "phone"), event)
