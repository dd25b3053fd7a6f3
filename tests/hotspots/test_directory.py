"""The public directory: search by postcode or town, filters, nearest-first ordering and bad
input that must never become a server error."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
import recurrence
from django.utils import translation

from hotspots.models import Language, OpeningHours
from hotspots.selectors import DirectoryFilters, search_directory
from tests.factories import make_hotspot, make_organisation, make_session, make_topic, weekly
from tests.shared_rows import per_test, shared_rows

pytestmark = pytest.mark.django_db
CPH = ZoneInfo("Europe/Copenhagen")
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(scope="module")
def _shared_places(django_db_setup, django_db_blocker, request):
    yield from shared_rows(django_db_blocker, request, _build_places)


@pytest.fixture
def places(_shared_places, home):
    return per_test(_shared_places)


def _build_places():
    mitid = make_topic("MitID", "mitid")
    bank = make_topic("Netbank", "netbank")
    arabic = Language.objects.get(code="ar")
    danish = Language.objects.get(code="da")
    org = make_organisation("Region Midt")
    # Alphabetically "Aalborg" comes first; by distance from 8000 it must not.
    aalborg = make_hotspot(
        org,
        "Aalborg Hovedbibliotek",
        postcode="9000",
        city="Aalborg",
        latitude=57.0480,
        longitude=9.9190,
        topics=[bank],
        languages=[danish],
    )
    dokk1 = make_hotspot(
        org,
        "Dokk1",
        postcode="8000",
        city="Aarhus C",
        latitude=56.1537,
        longitude=10.2144,
        topics=[mitid, bank],
        languages=[danish, arabic],
        step_free_access=True,
        hearing_loop=True,
    )
    esbjerg = make_hotspot(
        org,
        "Esbjerg Bibliotek",
        postcode="6700",
        city="Esbjerg",
        latitude=55.4760,
        longitude=8.4590,
        topics=[mitid],
        step_free_access=True,
    )
    horsens = make_hotspot(
        org,
        "Horsens Borgerservice",
        postcode="8700",
        city="Horsens",
        latitude=55.8610,
        longitude=9.8500,
        topics=[mitid],
    )
    fredericia = make_hotspot(
        org,
        "Fredericia Bibliotek",
        postcode="7000",
        city="Fredericia",
        latitude=55.5650,
        longitude=9.7520,
    )
    make_session(dokk1, rule=weekly(recurrence.TU))
    make_session(aalborg, rule=weekly(recurrence.TH))
    make_session(horsens, rule=weekly(recurrence.MO, recurrence.WE))
    OpeningHours.objects.create(hotspot=dokk1, weekday=1, opens=time(8), closes=time(20))
    OpeningHours.objects.create(hotspot=esbjerg, weekday=1, opens=time(10), closes=time(12))
    return {
        "aalborg": aalborg,
        "dokk1": dokk1,
        "esbjerg": esbjerg,
        "horsens": horsens,
        "fredericia": fredericia,
    }


def titles(response) -> list[str]:
    return [h.title for h in response.context["hotspots"]]


def search(home, **filters) -> list[str]:
    now = filters.pop("now", None)
    result = search_directory(
        root=home, filters=DirectoryFilters(**filters), page_number=1, now=now
    )
    return [h.title for h in result.page.object_list]


# --- Search and ordering ------------------------------------------------------------------


def test_empty_search_lists_every_place_by_town(client, places):
    response = client.get("/", **EN)
    assert response.status_code == 200
    assert titles(response) == [
        "Aalborg Hovedbibliotek",
        "Dokk1",
        "Esbjerg Bibliotek",
        "Fredericia Bibliotek",
        "Horsens Borgerservice",
    ]
    assert not response.context["notices"]
    response = client.get("/?q=&topic=&weekday=&language=", **EN)
    assert len(titles(response)) == 5 and not response.context["notices"]


def test_postcode_puts_the_nearest_first(client, places):
    response = client.get("/?q=8000", **EN)
    assert titles(response)[0] == "Dokk1"
    assert titles(response).index("Dokk1") < titles(response).index("Aalborg Hovedbibliotek")
    distances = [h.distance_km for h in response.context["hotspots"]]
    assert distances == sorted(distances)
    assert distances[0] < 2


def test_ordering_uses_coordinates_not_postcode_digits(client, places):
    # From 7100 Vejle: Fredericia (7000) ~20 km, Horsens (8700) ~25 km, Esbjerg (6700) ~70 km.
    # Ordering by how close the digits are would put Esbjerg before Horsens.
    order = titles(client.get("/?q=7100", **EN))
    wanted = ["Fredericia Bibliotek", "Horsens Borgerservice", "Esbjerg Bibliotek"]
    assert [title for title in order if title in wanted] == wanted
    assert order[0] == "Fredericia Bibliotek"


def test_town_name_search_sorts_by_distance_from_the_town(client, places):
    for query in ("Aalborg", "aalborg", "  AALBORG ", "9000 Aalborg"):
        order = titles(client.get("/", {"q": query}, **EN))
        assert order[0] == "Aalborg Hovedbibliotek", query
    assert titles(client.get("/", {"q": "Aarhus"}, **EN))[0] == "Dokk1"


def test_place_name_that_is_not_a_town_matches_titles(client, places):
    response = client.get("/", {"q": "Dokk1"}, **EN)
    assert titles(response) == ["Dokk1"]


def test_unknown_town_shows_every_place_with_a_kind_message(client, places):
    response = client.get("/", {"q": "Atlantis"}, **EN)
    assert response.status_code == 200
    assert len(titles(response)) == 5
    assert "We found no place called" in response.content.decode()


@pytest.mark.parametrize("query", ["0000", "9999", "123", "12345"])
def test_unknown_or_malformed_postcode_gets_a_clear_message(client, places, query):
    response = client.get("/", {"q": query}, **EN)
    assert response.status_code == 200
    assert len(titles(response)) == 5
    assert "is not a Danish postcode" in response.content.decode()


def test_valid_postcode_missing_from_the_table_uses_the_nearest_known_town(client, places):
    response = client.get("/", {"q": "8001"}, **EN)
    assert response.status_code == 200
    assert titles(response)[0] == "Dokk1"
    assert "We do not know postcode 8001 exactly" in response.content.decode()


# --- Filters -----------------------------------------------------------------------------


def test_topic_filter(client, places):
    assert titles(client.get("/?topic=netbank", **EN)) == ["Aalborg Hovedbibliotek", "Dokk1"]


def test_weekday_filter_uses_the_session_schedule(client, places):
    assert titles(client.get("/?weekday=1", **EN)) == ["Dokk1"]
    assert titles(client.get("/?weekday=3", **EN)) == ["Aalborg Hovedbibliotek"]
    assert titles(client.get("/?weekday=2", **EN)) == ["Horsens Borgerservice"]
    assert titles(client.get("/?weekday=6", **EN)) == []


def test_weekday_filter_ignores_unpublished_sessions(client, places):
    session = make_session(places["fredericia"], rule=weekly(recurrence.FR))
    assert titles(client.get("/?weekday=4", **EN)) == ["Fredericia Bibliotek"]
    session.unpublish()
    assert titles(client.get("/?weekday=4", **EN)) == []


def test_language_filter(client, places):
    assert titles(client.get("/?language=ar", **EN)) == ["Dokk1"]
    # Only languages some live place speaks are offered.
    form = client.get("/", **EN).context["form"]
    codes = {value for value, _label in form.fields["language"].choices}
    assert codes == {"", "ar", "da"}


def test_accessibility_filters_combine(client, places):
    assert titles(client.get("/?accessibility=step_free_access", **EN)) == [
        "Dokk1",
        "Esbjerg Bibliotek",
    ]
    assert titles(
        client.get("/?accessibility=step_free_access&accessibility=hearing_loop", **EN)
    ) == ["Dokk1"]


def test_open_now(home, places):
    tuesday_11 = datetime(2026, 11, 24, 11, 0, tzinfo=CPH)
    tuesday_13 = datetime(2026, 11, 24, 13, 0, tzinfo=CPH)
    wednesday_11 = datetime(2026, 11, 25, 11, 0, tzinfo=CPH)
    assert search(home, open_now=True, now=tuesday_11) == ["Dokk1", "Esbjerg Bibliotek"]
    assert search(home, open_now=True, now=tuesday_13) == ["Dokk1"]
    assert search(home, open_now=True, now=wednesday_11) == []


def test_open_now_through_the_page(client, places):
    response = client.get("/?open_now=on", **EN)
    assert response.status_code == 200
    assert set(titles(response)) <= {"Dokk1", "Esbjerg Bibliotek"}


def test_filters_combine_with_postcode_ordering(client, places):
    order = titles(client.get("/?q=9000&topic=mitid&accessibility=step_free_access", **EN))
    assert order == ["Dokk1", "Esbjerg Bibliotek"]
    order = titles(client.get("/?q=6700&topic=mitid", **EN))
    assert order == ["Esbjerg Bibliotek", "Horsens Borgerservice", "Dokk1"]
    assert titles(client.get("/?q=8000&topic=netbank&weekday=3&language=da", **EN)) == [
        "Aalborg Hovedbibliotek"
    ]


def test_no_match_says_so(client, places):
    response = client.get("/?topic=netbank&weekday=0", **EN)
    assert titles(response) == []
    assert "No place matches all your choices" in response.content.decode()


def test_unpublished_hotspots_are_not_listed(client, places):
    places["esbjerg"].unpublish()
    assert "Esbjerg Bibliotek" not in titles(client.get("/", **EN))


def test_each_result_shows_next_session_times(client, places):
    response = client.get("/?q=8000", **EN)
    dokk1 = response.context["hotspots"][0]
    assert dokk1.next_times
    assert all(t["start"].astimezone(CPH).weekday() == 1 for t in dokk1.next_times)
    assert 'datetime="' in response.content.decode()


def test_results_are_paginated(client, home):
    org = make_organisation()
    for n in range(25):
        make_hotspot(org, f"Sted {n:02d}")
    first = client.get("/", **EN)
    assert len(titles(first)) == 20
    second = client.get("/?page=2", **EN)
    assert len(titles(second)) == 5
    assert 'href="?page=1"' in second.content.decode()
    with_query = client.get("/?q=8000&page=2", **EN).content.decode()
    assert "q=8000&amp;page=1" in with_query


# --- Bad input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "weekday=abc",
        "weekday=9",
        "weekday=-1",
        "page=-1",
        "page=abc",
        "page=99999",
        "page=0",
        "topic=<script>alert(1)</script>",
        "language=xx",
        "accessibility=is_superuser",
        "open_now=maybe",
        "q=" + "8" * 5000,
        "q=%00%01",
        "q=%ZZ",
        "q=<script>alert(1)</script>",
        "q=' OR 1=1 --",
        "q=%E2%80%AE",
        "q=8000&q=9000",
        "weekday=1&weekday=2",
        "&&&=&=",
        "page=1.5",
    ],
)
def test_malformed_query_strings_never_break_the_page(client, places, query):
    response = client.get("/?" + query, **EN)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert response.context["hotspots"] is not None


def test_invalid_choices_are_dropped_with_a_note(client, places):
    response = client.get("/?weekday=abc&topic=<script>", **EN)
    html = response.content.decode()
    assert "were not understood and were left out" in html
    assert "Day" in html and "I need help with" in html
    assert len(titles(response)) == 5


def test_long_query_is_cut_not_an_error(client, places):
    response = client.get("/", {"q": "Aarhus " * 2000}, **EN)
    assert response.status_code == 200


def test_danish_is_the_default_language(client, places):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="da" dir="ltr">' in html
    with translation.override("da"):
        # Django's own Danish weekday names, so this holds before our .po file exists.
        assert "tirsdag" in html
