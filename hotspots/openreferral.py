"""An Open Referral HSDS 3.0 export of the published directory, for national service
directories: organisations → organization, hotspots → location (with address, languages,
accessibility and opening hours), sessions → service (with service_at_location and a schedule
built from the session's RRULE). Hotspots without sessions become a drop-in service of their
own. Caseworker meeting services are services too, at their meeting locations.

Only published pages and only public fields: no bookings, no names, no phone numbers of
citizens. Ids are stable UUIDs derived from the page ids, as HSDS requires UUIDs."""

import uuid

from django.conf import settings
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .models import HotspotPage, OrganisationPage, SessionPage

HSDS_VERSION = "3.0"
NAMESPACE = uuid.UUID("6f0f4c1e-6d1b-4c53-9b1e-5a0d3b1f7a21")
PAGE_SIZE = 50
HSDS_FREQ = {"WEEKLY", "MONTHLY"}  # the only frequencies HSDS 3.0 schedules know
WEEKDAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def hsds_id(kind: str, *parts) -> str:
    return str(uuid.uuid5(NAMESPACE, ":".join([kind, *map(str, parts)])))


def _absolute(page) -> str:
    url = page.url or ""
    if url.startswith("http"):
        return url
    return f"{settings.PUBLIC_BASE_URL}{url}" if settings.PUBLIC_BASE_URL else url


def parse_rrule(text: str) -> dict:
    """The first RRULE of a django-recurrence serialisation as a dict of its parts."""
    for line in (text or "").splitlines():
        if line.startswith("RRULE:"):
            return dict(
                part.split("=", 1) for part in line[len("RRULE:") :].split(";") if "=" in part
            )
    return {}


def _time(value) -> str:
    return value.strftime("%H:%M") if value else None


def session_schedule(session: SessionPage, *, service_id: str, sal_id: str) -> dict:
    rule_text = session.rrule
    rule = parse_rrule(rule_text)
    freq = rule.get("FREQ", "")
    byday = rule.get("BYDAY")
    if freq == "DAILY":  # HSDS has no DAILY: the same thing said weekly
        freq, byday = "WEEKLY", ",".join(WEEKDAY_CODES)
    until = rule.get("UNTIL")
    schedule = {
        "id": hsds_id("schedule", session.pk),
        "service_id": service_id,
        "service_at_location_id": sal_id,
        "valid_from": session.starts_on.isoformat() if session.starts_on else None,
        "valid_to": session.ends_on.isoformat() if session.ends_on else None,
        "dtstart": session.starts_on.isoformat() if session.starts_on else None,
        "until": f"{until[:4]}-{until[4:6]}-{until[6:8]}" if until else None,
        "count": int(rule["COUNT"]) if rule.get("COUNT", "").isdigit() else None,
        "wkst": rule.get("WKST", "MO"),
        "freq": freq if freq in HSDS_FREQ else None,
        "interval": int(rule.get("INTERVAL", "1")) if rule.get("INTERVAL", "1").isdigit() else 1,
        "byday": byday,
        "bymonthday": rule.get("BYMONTHDAY"),
        "opens_at": _time(session.start_time),
        "closes_at": _time(session.end_time),
        "description": session.schedule_text,
        "attending_type": _attending_type(session),
        # The full rule, as iCalendar text, for consumers that read RRULEs directly.
        "notes": f"Europe/Copenhagen local time. {rule_text}".strip(),
    }
    return {k: v for k, v in schedule.items() if v is not None}


def _attending_type(session) -> str:
    modes = session.offered_modes
    if modes == ["in_person"]:
        return "in_person"
    if "in_person" not in modes:
        return "online"
    return "in_person, online"


def opening_hours_schedules(hotspot: HotspotPage, *, location_id: str) -> list[dict]:
    return [
        {
            "id": hsds_id("opening", hotspot.pk, h.pk),
            "location_id": location_id,
            "freq": "WEEKLY",
            "interval": 1,
            "byday": WEEKDAY_CODES[h.weekday],
            "wkst": "MO",
            "opens_at": _time(h.opens),
            "closes_at": _time(h.closes),
            "description": _("Opening hours"),
        }
        for h in hotspot.opening_hours.all()
    ]


def location_for(hotspot: HotspotPage, organisation_id: str | None) -> dict:
    location_id = hsds_id("location", hotspot.pk)
    accessibility = [
        {
            "id": hsds_id("accessibility", hotspot.pk, i),
            "location_id": location_id,
            "description": feature,
        }
        for i, feature in enumerate(hotspot.accessibility_features)
    ]
    location = {
        "id": location_id,
        "location_type": "physical",
        "url": _absolute(hotspot),
        "organization_id": organisation_id,
        "name": hotspot.title,
        "description": hotspot.summary or "",
        "transportation": hotspot.directions or "",
        "latitude": hotspot.latitude,
        "longitude": hotspot.longitude,
        "external_identifier": hotspot.sms_code,
        "external_identifier_type": "Digihjælp SMS code",
        "languages": [
            {"id": hsds_id("language", "location", hotspot.pk, lang.code), **_language(lang)}
            for lang in hotspot.languages.all()
        ],
        "addresses": [
            {
                "id": hsds_id("address", hotspot.pk),
                "location_id": location_id,
                "address_1": hotspot.street_address,
                "city": hotspot.city,
                "state_province": "",
                "postal_code": hotspot.postcode,
                "country": "DK",
                "address_type": "physical",
            }
        ],
        "accessibility": accessibility,
        "phones": (
            [{"id": hsds_id("phone", hotspot.pk), "number": hotspot.phone, "type": "voice"}]
            if hotspot.phone
            else []
        ),
        "schedules": opening_hours_schedules(hotspot, location_id=location_id),
    }
    return {k: v for k, v in location.items() if v is not None}


def _language(lang) -> dict:
    return {"name": lang.name_en or lang.name, "code": lang.code}


def _organisation(organisation: OrganisationPage) -> dict:
    return {
        "id": hsds_id("organization", organisation.pk),
        "name": organisation.title,
        "description": getattr(organisation, "search_description", "") or organisation.title,
        "website": getattr(organisation, "website", "") or _absolute(organisation),
        "uri": _absolute(organisation),
    }


def _service(*, key, name, description, url, organisation, hotspot, location, schedules_for):
    service_id = hsds_id("service", *key)
    sal_id = hsds_id("service_at_location", *key)
    schedules = schedules_for(service_id, sal_id)
    return {
        "id": service_id,
        "organization_id": organisation["id"] if organisation else None,
        "name": name,
        "description": description,
        "url": url,
        "status": "active",
        "fees_description": _("Free"),
        "languages": [
            {
                "id": hsds_id("language", "service", *key, lang["code"]),
                "service_id": service_id,
                **{k: lang[k] for k in ("name", "code")},
            }
            for lang in location["languages"]
        ],
        "schedules": schedules,
        "organization": organisation,
        "service_at_locations": [
            {
                "id": sal_id,
                "service_id": service_id,
                "location_id": location["id"],
                "location": location,
                "schedules": schedules,
            }
        ],
    }


def build_services() -> list[dict]:
    """Every published service, each as a full HSDS 3.0 service object."""
    organisations = {o.path: o for o in OrganisationPage.objects.live()}
    hotspots = list(
        HotspotPage.objects.live()
        .order_by("path")
        .prefetch_related("opening_hours", "languages", "help_topics")
    )
    sessions_by_parent: dict[str, list] = {}
    for session in SessionPage.objects.live().order_by("path"):
        sessions_by_parent.setdefault(session.path[: -SessionPage.steplen], []).append(session)
    services = []
    for hotspot in hotspots:
        org_page = next(
            (o for path, o in organisations.items() if hotspot.path.startswith(path)), None
        )
        organisation = _organisation(org_page) if org_page else None
        location = location_for(hotspot, organisation["id"] if organisation else None)
        topics = ", ".join(t.name for t in hotspot.help_topics.all())
        sessions = sessions_by_parent.get(hotspot.path, [])
        for session in sessions:
            services.append(
                _service(
                    key=(session.pk,),
                    name=f"{session.title}, {hotspot.title}",
                    description=" ".join(
                        filter(None, [session.description, topics and f"({topics})"])
                    )
                    or session.title,
                    url=_absolute(session),
                    organisation=organisation,
                    hotspot=hotspot,
                    location=location,
                    schedules_for=lambda service_id, sal_id, s=session: [
                        session_schedule(s, service_id=service_id, sal_id=sal_id)
                    ],
                )
            )
        if not sessions:
            services.append(
                _service(
                    key=("dropin", hotspot.pk),
                    name=hotspot.title,
                    description=" ".join(filter(None, [hotspot.summary, topics])) or hotspot.title,
                    url=_absolute(hotspot),
                    organisation=organisation,
                    hotspot=hotspot,
                    location=location,
                    schedules_for=lambda service_id, sal_id: [],
                )
            )
    services += _meeting_services(organisations)
    return services


def _meeting_service_location(location, organisation_id) -> dict:
    location_id = hsds_id("meeting_location", location.pk)
    return {
        "id": location_id,
        "location_type": "physical",
        "organization_id": organisation_id,
        "name": location.name,
        "transportation": location.directions or "",
        "languages": [],
        "accessibility": [],
        "phones": [],
        "schedules": [],
        "addresses": [
            {
                "id": hsds_id("meeting_address", location.pk),
                "location_id": location_id,
                "address_1": location.address,
                "city": location.city,
                "state_province": "",
                "postal_code": location.postcode,
                "country": "DK",
                "address_type": "physical",
            }
        ],
    }


def _meeting_services(organisations) -> list[dict]:
    """Caseworker meeting services: bookable in person (at their meeting locations), by video
    or by phone. Their times are individual caseworkers' hours, so no fixed schedule."""
    from django.apps import apps
    from django.utils.html import strip_tags

    try:
        model = apps.get_model("meetings", "MeetingServicePage")
    except LookupError:
        return []
    services = []
    for page in model.objects.live().order_by("path").prefetch_related("locations"):
        org_page = next(
            (o for path, o in organisations.items() if page.path.startswith(path)), None
        )
        organisation = _organisation(org_page) if org_page else None
        service_id = hsds_id("service", "meeting", page.pk)
        modes = [
            label
            for flag, label in (
                (page.offers_in_person, _("in person")),
                (page.offers_video, _("video")),
                (page.offers_phone, _("phone")),
            )
            if flag
        ]
        locations = [
            _meeting_service_location(location, organisation["id"] if organisation else None)
            for location in page.locations.all()
        ]
        services.append(
            {
                "id": service_id,
                "organization_id": organisation["id"] if organisation else None,
                "name": page.title,
                "description": strip_tags(str(page.description or "")).strip() or page.title,
                "url": _absolute(page),
                "status": "active",
                "fees_description": _("Free"),
                "application_process": _("Book a time and choose how to meet: %(modes)s.")
                % {"modes": ", ".join(str(m) for m in modes)},
                "languages": [],
                "schedules": [],
                "organization": organisation,
                "service_at_locations": [
                    {
                        "id": hsds_id("service_at_location", "meeting", page.pk, location["id"]),
                        "service_id": service_id,
                        "location_id": location["id"],
                        "location": location,
                        "schedules": [],
                    }
                    for location in locations
                ],
            }
        )
    return services


def _page(request, items) -> dict:
    try:
        number = max(int(request.GET.get("page", "1")), 1)
    except ValueError:
        number = 1
    size = PAGE_SIZE
    total_pages = max((len(items) + size - 1) // size, 1)
    contents = items[(number - 1) * size : number * size]
    return {
        "total_items": len(items),
        "total_pages": total_pages,
        "page_number": number,
        "size": size,
        "first_page": number == 1,
        "last_page": number >= total_pages,
        "empty": not contents,
        "contents": contents,
    }


def _json(data) -> JsonResponse:
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def index(request):
    return _json(
        {
            "version": HSDS_VERSION,
            "profile": "https://openreferral.org/",
            "openapi_url": "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json",
            "services": request.build_absolute_uri("services/"),
            "organizations": request.build_absolute_uri("organizations/"),
        }
    )


@require_GET
def services(request):
    return _json(_page(request, build_services()))


@require_GET
def organizations(request):
    by_id: dict[str, dict] = {}
    for service in build_services():
        organisation = service.pop("organization")
        if organisation is None:
            continue
        entry = by_id.setdefault(organisation["id"], {**organisation, "services": []})
        entry["services"].append(service)
    return _json(_page(request, list(by_id.values())))
