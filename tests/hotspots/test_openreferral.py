"""The Open Referral (HSDS 3.0) export: required fields present, the session's RRULE carried
into the schedule, nothing personal in it."""

import json

import pytest
from django.urls import reverse

from hotspots.models import Language
from tests.factories import make_hotspot, make_organisation, make_session

pytestmark = pytest.mark.django_db

REQUIRED = {
    "organization": {"id", "name", "description"},
    "service": {"id", "name", "status"},
    "location": {"id", "location_type"},
    "address": {
        "id",
        "address_1",
        "city",
        "state_province",
        "postal_code",
        "country",
        "address_type",
    },
    "schedule": {"id"},
    "language": {"id"},
    "accessibility": {"id"},
    "service_at_location": {"id", "service_id", "location_id"},
    "phone": {"id", "number"},
}


def is_uuid(value) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except (TypeError, ValueError):
        return False
    return True


def check(kind, obj):
    missing = REQUIRED[kind] - set(obj)
    assert not missing, f"{kind} lacks {missing}"
    assert is_uuid(obj["id"])


@pytest.fixture
def directory(home):
    from bookings.materialise import materialise_session
    from bookings.selectors import bookable_slots
    from bookings.services import book_slot

    organisation = make_organisation("Aarhus Kommune")
    arabic, _ = Language.objects.get_or_create(
        code="ar", defaults={"name": "Arabisk", "name_en": "Arabic"}
    )
    hotspot = make_hotspot(
        organisation,
        "Hovedbiblioteket",
        languages=[arabic],
        step_free_access=True,
        phone="70 20 30 40",
    )
    session = make_session(hotspot, "IT-café", offers_video=True)
    make_hotspot(organisation, "Borgerservice")  # no sessions: a drop-in service
    draft = make_hotspot(organisation, "Kladde")
    draft.unpublish()
    materialise_session(session)
    slot = bookable_slots(session=session, limit=1)[0]
    book_slot(
        slot_id=slot.pk, first_name="Hemmelig", phone="20123456", channel="web", note="Privat note"
    )
    return {"organisation": organisation, "hotspot": hotspot, "session": session}


def test_services_are_valid_hsds(client, directory):
    body = client.get(reverse("openreferral_services"), HTTP_ACCEPT_LANGUAGE="en").json()
    assert {"total_items", "total_pages", "page_number", "size", "contents"} <= set(body)
    services = body["contents"]
    assert body["total_items"] == len(services) == 2
    for service in services:
        check("service", service)
        assert service["status"] == "active"
        check("organization", service["organization"])
        for sal in service["service_at_locations"]:
            check("service_at_location", sal)
            location = sal["location"]
            check("location", location)
            for address in location["addresses"]:
                check("address", address)
                assert address["country"] == "DK"
            for item in location["accessibility"]:
                check("accessibility", item)
            for item in location["languages"]:
                check("language", item)
            for item in location["phones"]:
                check("phone", item)
        for schedule in service["schedules"]:
            check("schedule", schedule)
    cafe = next(s for s in services if s["name"].startswith("IT-café"))
    schedule = cafe["schedules"][0]
    assert (schedule["freq"], schedule["byday"], schedule["opens_at"], schedule["closes_at"]) == (
        "WEEKLY",
        "TU",
        "10:00",
        "12:00",
    )
    assert "RRULE:FREQ=WEEKLY;BYDAY=TU" in schedule["notes"]
    assert schedule["attending_type"] == "in_person, online"
    location = cafe["service_at_locations"][0]["location"]
    assert [a["description"] for a in location["accessibility"]] == ["Step-free access"]
    assert [lang["code"] for lang in cafe["languages"]] == ["ar"]
    assert "Kladde" not in json.dumps(body, ensure_ascii=False)


def test_ids_are_stable_between_exports(client, directory):
    first = client.get(reverse("openreferral_services")).json()
    second = client.get(reverse("openreferral_services")).json()
    assert [s["id"] for s in first["contents"]] == [s["id"] for s in second["contents"]]


def test_organizations_nest_their_services(client, directory):
    body = client.get(reverse("openreferral_organizations")).json()
    [organisation] = body["contents"]
    check("organization", organisation)
    assert len(organisation["services"]) == 2
    root = client.get(reverse("openreferral_index")).json()
    assert root["version"] == "3.0"


def test_no_personal_data(client, directory):
    text = client.get(reverse("openreferral_services")).content.decode()
    text += client.get(reverse("openreferral_organizations")).content.decode()
    for secret in ("Hemmelig", "20123456", "+4520123456", "Privat note"):
        assert secret not in text


def test_meeting_services_are_exported(client, directory):
    from meetings.models import MeetingServicePage

    service = MeetingServicePage(
        title="Samtale med jobcentret", slug="jobcenter", offers_in_person=False
    )
    directory["organisation"].add_child(instance=service)
    service.save_revision().publish()
    body = client.get(reverse("openreferral_services"), HTTP_ACCEPT_LANGUAGE="en").json()
    meeting = next(s for s in body["contents"] if s["name"] == "Samtale med jobcentret")
    check("service", meeting)
    check("organization", meeting["organization"])
    assert "video, phone" in meeting["application_process"]
