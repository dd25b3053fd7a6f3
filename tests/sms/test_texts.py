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
LONGEST_REF = "WWWWWW"
# A two-digit day and month, and a long weekday name in both languages.
START = datetime(2026, 12, 30, 13, 45, tzinfo=UTC)  # onsdag / Wed
TOKEN = "A" * 22  # 128 bits, urlsafe base64


def fake_booking(language, mode="in_person"):
    hotspot = SimpleNamespace(title=LONGEST_PLACE)
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
    return {
        "place": texts.shorten(LONGEST_PLACE, texts.PLACE_MAX),
        "when": texts.when(START, language),
        "mode": max(
            (texts.mode_name(m, language) for m in ("in_person", "video", "phone")), key=len
        ),
        "modes": ", ".join(texts.mode_name(m, language) for m in ("in_person", "video", "phone")),
        "ref": LONGEST_REF,
        "link": " https://digihjaelp.example/b/" + TOKEN + "/",
        "expires": "23.59",
        "code": "9999",
        "n": 99,
        "lines": lines,
        "url": "https://digihjaelp.example/m/" + "B" * 32 + "/",
    }


def rendered_texts():
    for language in ("da", "en"):
        values = worst_values(language)
        for key in texts.TEXTS[language]:
            yield language, key, texts.render(key, language, **values)
        for event in (
            "confirmed",
            "cancelled",
            "moved",
            "mode_switched",
            "session_cancelled",
            "waitlist_offer",
            "reminder_day_before",
            "reminder_before_start",
        ):
            for mode in ("in_person", "video", "phone"):
                yield (
                    language,
                    event,
                    texts.booking_message(
                        fake_booking(language, mode), event, expires_at=START + timedelta(hours=2)
                    ),
                )


def test_every_key_has_a_budget_and_both_languages():
    assert set(texts.TEXTS["da"]) == set(texts.TEXTS["en"])
    assert set(texts.TEXTS["da"]) <= set(texts.BUDGET)


@override_settings(PUBLIC_BASE_URL="https://digihjaelp.example")
@pytest.mark.parametrize(("language", "key", "text"), list(rendered_texts()))
def test_text_is_gsm7_and_within_budget(language, key, text):
    assert gsm.is_gsm7(text), f"{language}/{key} has {gsm.non_gsm_characters(text)}: {text!r}"
    assert gsm.segments(text) <= texts.BUDGET[key], (
        f"{language}/{key} needs {gsm.segments(text)} segments ({gsm.septets(text)} septets)"
    )


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
    assert texts.shorten("Café “Lyset”", 28) == 'Café "Lyset"'


@override_settings(PUBLIC_BASE_URL="https://digihjaelp.example")
@pytest.mark.parametrize("language", ["da", "en"])
@pytest.mark.parametrize("event", texts.VIDEO_LINK_EVENTS)
def test_an_it_cafe_video_text_carries_its_join_link_within_budget(monkeypatch, language, event):
    from bookings import registry

    link = "https://digihjaelp.example/m/" + "B" * 32 + "/"  # 24 bytes, urlsafe base64
    monkeypatch.setattr(registry, "video_join_url", lambda booking: link)
    booking = fake_booking(language, "video")
    text = texts.booking_message(booking, event)
    assert text.endswith(f" Video: {link}")
    assert gsm.is_gsm7(text)
    assert gsm.segments(text) <= texts.budget(event, with_video_link=True), text
    # Only video bookings carry it.
    assert link not in texts.booking_message(fake_booking(language, "phone"), event)
