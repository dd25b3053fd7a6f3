"""The directory and a hotspot page cost the same number of SQL queries whether there are 10,
100 or 1,000 hotspots (DESIGN §7: and at most 12)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from hotspots.models import HotspotPage, SessionPage
from tests.factories import make_hotspot, make_organisation, make_session

from .bulk import add_hotspots

pytestmark = pytest.mark.django_db
MAX_QUERIES = 12
URLS = [
    "/",
    "/?q=8000",
    "/?q=Aalborg&topic=mitid&weekday=1&accessibility=step_free_access",
    "/?language=da&open_now=on&page=2",
]


def _count(client, url) -> tuple[int, list[str]]:
    client.get(url)  # warm the site-root cache, as a running server would have it
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), [q["sql"] for q in queries.captured_queries]


def test_bulk_builder_makes_a_valid_tree(home):
    organisation = make_organisation()
    hotspots = add_hotspots(organisation, 30)
    assert HotspotPage.objects.live().descendant_of(organisation).count() == 30
    assert SessionPage.objects.live().count() == 30
    assert Page.find_problems() == ([], [], [], [], [])
    assert hotspots[0].get_parent().pk == organisation.pk


@pytest.mark.slow
def test_same_number_of_queries_with_10_100_and_1000_hotspots(client, home):
    organisation = make_organisation()
    # One hotspot built the ordinary way (revisions, signals), the rest in bulk.
    featured = make_hotspot(organisation, "Dokk1", sms_code="0999")
    featured_session = make_session(featured)
    counts: dict[int, dict[str, int]] = {}
    built = 1
    for target in (10, 100, 1000):
        add_hotspots(organisation, target - built, first_number=built)
        built = target
        counts[target] = {url: _count(client, url)[0] for url in URLS}
        counts[target]["hotspot"] = _count(client, featured.url)[0]
        counts[target]["session"] = _count(client, featured_session.url)[0]
        counts[target]["calendar"] = _count(client, featured.url + "kalender/")[0]
        counts[target]["bulk hotspot"] = _count(
            client, HotspotPage.objects.order_by("-pk").first().url
        )[0]
    print(counts[1000])
    assert counts[10] == counts[100] == counts[1000], counts
    for url, count in counts[1000].items():
        assert count <= MAX_QUERIES, (url, count)
