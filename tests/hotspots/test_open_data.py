"""Open data: the Wagtail API without personal data, the iCal feed, JSON-LD and the sitemap."""

import json
import re
from datetime import time, timedelta
from zoneinfo import ZoneInfo

import pytest
import recurrence
from django.contrib.auth import get_user_model
from django.utils import timezone
from icalendar import Calendar

from hotspots.models import OpeningHours
from tests.factories import make_hotspot, make_organisation, make_session, make_topic, weekly
from tests.shared_rows import per_test, shared_rows

pytestmark = pytest.mark.django_db
CPH = ZoneInfo("Europe/Copenhagen")

PERSONAL = ["Jens Hansen", "jens.hansen", "jens@example.dk", "Mette", "mette@example.dk"]
FORBIDDEN_KEYS = {
    "owner",
    "email",
    "username",
    "first_name",
    "last_name",
    "user",
    "editors_group",
    "coordinators_group",
    "caseworkers_group",
    "group",
    "groups",
    "locked_by",
    "latest_revision",
    "phone_number",
}


@pytest.fixture(scope="module")
def _shared_published(django_db_setup, django_db_blocker, request):
    yield from shared_rows(django_db_blocker, request, _publish)


@pytest.fixture
def published(_shared_published, home):
    return per_test(_shared_published)


def _publish():
    User = get_user_model()
    editor = User.objects.create_user(
        "jens.hansen", "jens@example.dk", "pw-123456789", first_name="Jens", last_name="Hansen"
    )
    other = User.objects.create_user("mette", "mette@example.dk", "pw-123456789")
    organisation = make_organisation("Aarhus Kommune")
    editor.groups.add(organisation.editors_group)
    other.groups.add(organisation.coordinators_group)
    hotspot = make_hotspot(
        organisation,
        "Dokk1",
        topics=[make_topic("MitID", "mitid")],
        street_address="Hack Kampmanns Plads 2",
        latitude=56.1537,
        longitude=10.2144,
        phone="89 40 20 00",
        sms_code="4021",
    )
    OpeningHours.objects.create(hotspot=hotspot, weekday=1, opens=time(8), closes=time(20))
    session = make_session(hotspot, "IT-café", rule=weekly(recurrence.TU))
    for page in (organisation, hotspot, session):
        page.owner = editor
        page.save_revision(user=editor).publish(user=editor)
    return {"organisation": organisation, "hotspot": hotspot, "session": session}


def _keys(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | set().union(*(_keys(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(set(), *(_keys(v) for v in value))
    return set()


@pytest.mark.parametrize(
    "url",
    [
        "/api/v2/pages/?type=hotspots.HotspotPage&fields=*",
        "/api/v2/pages/?type=hotspots.SessionPage&fields=*",
        "/api/v2/pages/?type=hotspots.OrganisationPage&fields=*",
        "/api/v2/pages/?fields=*",
        "/api/v2/images/?fields=*",
    ],
)
def test_api_lists_expose_no_personal_data(client, published, url):
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    for text in PERSONAL:
        assert text not in body, text
    assert not (_keys(response.json()) & FORBIDDEN_KEYS)


def test_api_details_expose_no_personal_data(client, published):
    for page in published.values():
        response = client.get(f"/api/v2/pages/{page.pk}/?fields=*")
        assert response.status_code == 200
        body = response.content.decode()
        assert not any(text in body for text in PERSONAL)
        assert not (_keys(response.json()) & FORBIDDEN_KEYS)


def test_api_gives_hotspot_and_session_data(client, published):
    data = client.get("/api/v2/pages/?type=hotspots.HotspotPage&fields=*").json()
    (item,) = data["items"]
    assert item["sms_code"] == "4021"
    assert item["postcode"] == "8000"
    assert item["help_topic_names"] == ["MitID"]
    assert item["opening_hours_list"] == [{"weekday": 1, "opens": "08:00:00", "closes": "20:00:00"}]
    sessions = client.get("/api/v2/pages/?type=hotspots.SessionPage&fields=*").json()["items"]
    assert sessions[0]["rrule"].startswith("RRULE:FREQ=WEEKLY;BYDAY=TU")
    assert sessions[0]["upcoming_starts"]


def test_api_hides_unpublished_pages(client, published):
    published["hotspot"].unpublish()
    data = client.get("/api/v2/pages/?type=hotspots.HotspotPage").json()
    assert data["meta"]["total_count"] == 0


def test_api_survives_bad_parameters(client, published):
    for query in ("type=nope.Nope", "fields=owner", "limit=-1", "offset=abc", "order=owner"):
        response = client.get(f"/api/v2/pages/?{query}")
        assert response.status_code == 400, query


# --- iCal --------------------------------------------------------------------------------


def test_ical_feed_parses_and_has_the_sessions_in_copenhagen_time(client, published):
    hotspot = published["hotspot"]
    response = client.get(hotspot.url + "kalender/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert 11 <= len(events) <= 14  # Tuesdays in the next 90 days
    uids = {str(e["UID"]) for e in events}
    assert len(uids) == len(events)
    now = timezone.now()
    for event in events:
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert start.tzinfo is not None and end > start > now - timedelta(hours=2)
        local = start.astimezone(CPH)
        assert (local.weekday(), local.hour, local.minute) == (1, 10, 0)
        assert event["DTSTART"].params["TZID"] == "Europe/Copenhagen"
        assert "IT-café" in str(event["SUMMARY"])
        assert "Hack Kampmanns Plads 2" in str(event["LOCATION"])
    # Strict clients (Outlook) need the time zone definition the TZID refers to.
    timezones = [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")]
    assert timezones == ["Europe/Copenhagen"]


def test_ical_feed_of_a_hotspot_without_sessions_is_an_empty_calendar(client, home):
    hotspot = make_hotspot(make_organisation())
    response = client.get(hotspot.url + "kalender/")
    assert response.status_code == 200
    assert list(Calendar.from_ical(response.content).walk("VEVENT")) == []


def test_ical_feed_leaves_out_unpublished_sessions(client, published):
    published["session"].unpublish()
    response = client.get(published["hotspot"].url + "kalender/")
    assert list(Calendar.from_ical(response.content).walk("VEVENT")) == []


# --- JSON-LD and sitemap ----------------------------------------------------------------


def test_hotspot_page_has_parseable_json_ld_with_address_and_geo(client, published):
    response = client.get(published["hotspot"].url)
    html = response.content.decode()
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    data = json.loads(blocks[0])
    assert data["@context"] == "https://schema.org"
    assert data["address"]["streetAddress"] == "Hack Kampmanns Plads 2"
    assert data["address"]["postalCode"] == "8000"
    assert data["geo"] == {"@type": "GeoCoordinates", "latitude": 56.1537, "longitude": 10.2144}
    assert data["openingHoursSpecification"][0]["dayOfWeek"] == "https://schema.org/Tuesday"
    assert data["event"] and data["event"][0]["startDate"].endswith(("+01:00", "+02:00"))


def test_json_ld_cannot_be_broken_out_of(client, home):
    hotspot = make_hotspot(make_organisation(), "</script><script>alert(1)</script>")
    html = client.get(hotspot.url).content.decode()
    assert "<script>alert(1)" not in html
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert json.loads(block.group(1))["name"] == "</script><script>alert(1)</script>"


def test_sitemap_lists_hotspots_and_sessions(client, published):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    body = response.content.decode()
    for page in published.values():
        assert page.url in body
