"""The crisis banner everywhere a citizen looks, in Danish and in English."""

import pytest
from django.urls import reverse

from crisis.models import CrisisAction

from .conftest import book, slots_of, start_to_video

pytestmark = pytest.mark.django_db

MESSAGE = "Aarhus: vi mødes på video i denne uge."
STANDARD_EN = "Because of a crisis, we help by video or phone for now. The message in Danish:"


@pytest.fixture
def in_crisis(world, now, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: now)
    world.booking = book(slots_of(world.session_a, world.day2)[0], "20123401")
    world.action = start_to_video(world, starts_at=now, message=MESSAGE, scope=[world.hotspot_a])
    return world


def cards(html):
    """{hotspot title: the card's html} from the directory's list."""
    out = {}
    for card in html.split('<li class="hotspot-card">')[1:]:
        title = card.split("</a></h3>")[0].rsplit(">", 1)[1]
        out[title] = card.split("</li>")[0]
    return out


def test_the_directory_card_of_an_affected_hotspot_carries_the_banner(client, in_crisis):
    w = in_crisis
    directory = cards(client.get("/", HTTP_ACCEPT_LANGUAGE="da").content.decode())
    assert MESSAGE in directory["Hovedbiblioteket"]
    assert MESSAGE not in directory["Borgerservice Syd"]
    organisation = cards(client.get(w.org.url, HTTP_ACCEPT_LANGUAGE="da").content.decode())
    assert MESSAGE in organisation["Hovedbiblioteket"]
    assert MESSAGE not in organisation["Borgerservice Syd"]


def test_every_page_of_the_hotspot_shows_it(client, in_crisis):
    w = in_crisis
    pages = [
        w.hotspot_a.url,
        w.session_a.url,
        reverse("bookings:book", args=[slots_of(w.session_a, w.day2)[1].pk]),
        reverse("bookings:manage", args=[w.booking.manage_token]),
    ]
    for url in pages:
        assert MESSAGE in client.get(url).content.decode(), url


def test_the_confirmation_shows_it(client, in_crisis):
    w = in_crisis
    response = client.post(
        reverse("bookings:book", args=[slots_of(w.session_a, w.day2)[2].pk]),
        {"first_name": "Bodil", "phone": "20123409", "mode": "video"},
        follow=True,
    )
    from bookings.models import Booking

    booking = Booking.objects.get(phone="+4520123409")
    assert response.redirect_chain[-1][0] == reverse("bookings:confirmation", args=[booking.pk])
    assert MESSAGE in response.content.decode()


def test_in_english_a_standard_line_stands_above_the_danish_message(client, in_crisis):
    html = client.get(in_crisis.hotspot_a.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert STANDARD_EN in html
    assert f'<span lang="da">{MESSAGE}</span>' in html
    danish = client.get(in_crisis.hotspot_a.url, HTTP_ACCEPT_LANGUAGE="da").content.decode()
    assert STANDARD_EN not in danish and MESSAGE in danish


def test_an_english_text_replaces_it_in_english(client, in_crisis):
    from crisis.policy import forget_banners

    CrisisAction.objects.filter(pk=in_crisis.action.pk).update(
        message_en="Aarhus: we meet by video this week."
    )
    forget_banners()
    html = client.get(in_crisis.hotspot_a.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<span lang="en">Aarhus: we meet by video this week.</span>' in html
    assert STANDARD_EN not in html
    danish = client.get(in_crisis.hotspot_a.url, HTTP_ACCEPT_LANGUAGE="da").content.decode()
    assert MESSAGE in danish and "we meet by video" not in danish
