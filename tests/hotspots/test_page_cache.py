"""Public pages come from the cache for anonymous visitors, and whatever a citizen would see
change (a publish, a booking, a crisis banner) is there on the very next request."""

from datetime import timedelta

import pytest
import recurrence
from django.test import TestCase
from django.utils import timezone

from tests.factories import make_hotspot, make_organisation, make_session, make_staff_user


@pytest.fixture
def place(home):
    from bookings.materialise import materialise_session

    organisation = make_organisation("Aarhus Kommune")
    hotspot = make_hotspot(organisation, "Hovedbiblioteket")
    session = make_session(hotspot, fixed_capacity=2)
    materialise_session(session)
    return organisation, hotspot, session


def first_free_slot(session):
    """The first time a citizen may still book: between a café's start and an hour before it,
    the first future time is already past the cut-off."""
    from bookings.selectors import bookable_slots

    return bookable_slots(session=session, limit=1)[0]


def html(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_a_second_visitor_gets_the_page_without_a_database_query(
    client, place, django_assert_num_queries
):
    _, hotspot, _ = place
    first = html(client, hotspot.url)
    with django_assert_num_queries(0):
        second = html(client, hotspot.url)
    assert second == first
    assert "csrfmiddlewaretoken" not in first


@pytest.mark.django_db
def test_each_language_and_query_is_its_own_page(client, place):
    danish = html(client, "/")
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="da" dir="ltr">' in danish and '<html lang="en" dir="ltr">' in english
    assert html(client, "/?q=Hovedbiblioteket") != html(client, "/?q=Vesterbro")


@pytest.mark.django_db
def test_a_publish_is_visible_on_the_next_request(client, place):
    _, hotspot, _ = place
    assert "Hovedbiblioteket" in html(client, "/")
    with TestCase.captureOnCommitCallbacks(execute=True):
        hotspot.title = "Det Nye Bibliotek"
        hotspot.save_revision().publish()
    assert "Det Nye Bibliotek" in html(client, "/")
    assert "Det Nye Bibliotek" in html(client, hotspot.url)


@pytest.mark.django_db
def test_an_unpublished_place_is_gone_on_the_next_request(client, place):
    _, hotspot, _ = place
    assert "Hovedbiblioteket" in html(client, "/")
    with TestCase.captureOnCommitCallbacks(execute=True):
        hotspot.unpublish()
    assert "Hovedbiblioteket" not in html(client, "/")
    assert client.get(hotspot.url).status_code == 404


@pytest.mark.django_db
def test_a_booking_shows_in_the_free_seats_on_the_next_request(client, place):
    from bookings import services

    _, _, session = place
    slot = first_free_slot(session)
    link = f'href="/book/{slot.pk}/"'
    page = html(client, session.url)
    assert link in page and "2 ledige<" in page.split(link)[1][:300]
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.book_slot(slot_id=slot.pk, first_name="Bodil", phone="20123456", channel="web")
    page = html(client, session.url)
    assert "1 ledig<" in page.split(link)[1][:300]


@pytest.mark.django_db
def test_a_crisis_banner_shows_on_the_next_request_and_goes_when_it_ends(client, place):
    from crisis import services

    organisation, hotspot, _ = place
    coordinator = make_staff_user(organisation, "koordinator", role="coordinators_group")
    assert "crisis-banner" not in html(client, hotspot.url)
    now = timezone.now()
    with TestCase.captureOnCommitCallbacks(execute=True):
        action = services.start_crisis_action(
            organisation=organisation,
            user=coordinator,
            kind="to_phone",
            starts_at=now,
            ends_at=now + timedelta(hours=2),
            message="Vi ringer til dig i stedet for at mødes.",
        )
    assert "Vi ringer til dig i stedet" in html(client, hotspot.url)

    # The period runs out with no one touching anything: the banner goes on time.
    from crisis.models import CrisisAction

    CrisisAction.objects.filter(pk=action.pk).update(ends_at=timezone.now())
    from django.core.cache import cache

    from crisis.policy import BANNER_CACHE_KEY

    cache.delete(BANNER_CACHE_KEY)  # the banner list's own 30 s cache has run out as well
    assert "Vi ringer til dig i stedet" not in html(client, hotspot.url)


@pytest.mark.django_db
def test_signed_in_editors_are_never_served_from_the_cache(client, place):
    from wagtail.models import Page

    organisation, hotspot, _ = place
    assert "Hovedbiblioteket" in html(client, hotspot.url)  # now cached for anonymous visitors
    # A change the page cache is not told about (a raw UPDATE): only a fresh render shows it.
    Page.objects.filter(pk=hotspot.pk).update(title="Omdøbt uden besked")
    assert "Omdøbt uden besked" not in html(client, hotspot.url)
    client.force_login(make_staff_user(organisation, "redaktoer"))
    assert "Omdøbt uden besked" in html(client, hotspot.url)


# With the cache down (Redis stopped, table missing) the pages still render: see
# tests/config/test_cache_outage.py, which runs with the page cache on as deployed.


@pytest.mark.django_db
def test_a_new_session_shows_on_the_directory_card_with_the_page_cache_off(client, settings, place):
    """The directory's cards are kept per hotspot under the content version: a session published
    below a hotspot is on its card on the next render, not the next day."""
    settings.PAGE_CACHE_SECONDS = 0
    _, hotspot, _ = place
    assert "Aftencafé" not in html(client, "/")
    with TestCase.captureOnCommitCallbacks(execute=True):
        make_session(
            hotspot,
            "Aftencafé",
            rule=recurrence.Recurrence(rrules=[recurrence.Rule(recurrence.DAILY)]),
        )
    assert "Aftencafé" in html(client, "/")
