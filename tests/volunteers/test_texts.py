"""Every volunteer text is GSM-7 and inside its segment budget, with worst-case values."""

from datetime import UTC, datetime

import pytest

from sms import gsm
from sms import texts as sms_texts
from volunteers import texts


@pytest.mark.parametrize("language", ["da", "en"])
@pytest.mark.parametrize("key", sorted(texts.BUDGET))
def test_texts_fit_gsm7_and_budget(key, language):
    values = {
        "code": "999999",
        "name": texts.name("Maximiliane-Charlotte Østergaard “Lotte”"),
        "org": texts.place("Københavns Kommune – Borgerservice og Biblioteker"),
        "place": texts.place("Hovedbiblioteket — Mølleparken (indgang fra gården) 🙂"),
        "when": texts.when(datetime(2026, 12, 30, 9, 0, tzinfo=UTC), language),
        "n": 120,
        "days": 7,
        "link": "https://digihjaelp.kommune.example/frivillig/",
    }
    body = sms_texts.signed(texts.render(key, language, **values))  # as sent: "Digihjælp: …"
    assert gsm.is_gsm7(body), gsm.non_gsm_characters(body)
    assert gsm.segments(body) <= texts.BUDGET[key]


def test_every_key_exists_in_both_languages():
    assert set(texts.TEXTS["da"]) == set(texts.TEXTS["en"]) == set(texts.BUDGET)
