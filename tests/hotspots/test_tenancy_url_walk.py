"""Issue 11, item 4: walk the URL resolver, find every admin and staff URL, and request each one
(GET, then POST with a plausible form body) as staff of organisation B against the objects of
organisation A. Each must refuse (403, 404, 405, 400, a redirect, or a page without A's data)
and leave the database as it was. A URL without a case in tenancy_url_cases.CASES fails the
walk: a new staff URL needs a tenancy case before it ships.

One world for all URLs (building a page tree per URL would take minutes); the failures are
collected and listed together at the end."""

import hashlib
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .tenancy_url_cases import CASES, Case, Lit

# Staff URLs outside /admin/: a draft hotspot's poster is for its own organisation's staff.
STAFF_URLS_OUTSIDE_ADMIN = {"hotspot_poster", "hotspot_poster_pdf"}

A_PHONE = "+4520304050"
A_MEETING_PHONE = "+4520304060"
A_VOLUNTEER_PHONE = "+4520120001"

# What B's staff must never see of A. Each group is one datum in its spellings; a group is not
# looked for in an answer to a request that itself carried it (a form echoing B's own input).
A_MARKERS = (
    ("Aarhus",),
    ("Hemmelig Kladde",),
    ("Zelda",),
    ("Wilma",),
    ("Xaviera",),
    ("Quincy",),
    (A_PHONE, "20 30 40 50", "20304050"),
    (A_MEETING_PHONE, "20 30 40 60", "20304060"),
    (A_VOLUNTEER_PHONE, "20 12 00 01", "20120001"),
)

# Tables whose rows are organisations' data (or could be made to be): compared before and after
# every URL. Left out: sessions, the requester's own UI preferences, permissions (static).
CHECKED_APPS = {
    "auth",
    "bookings",
    "crisis",
    "hotspots",
    "meetings",
    "sms",
    "taggit",
    "volunteers",
    "wagtailadmin",
    "wagtailcore",
    "wagtaildocs",
    "wagtailforms",
    "wagtailimages",
    "wagtailredirects",
}
UNCHECKED_MODELS = {
    "auth.permission",
    "bookings.ratelimitcounter",
    "wagtailcore.referenceindex",
}


def _walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield prefix + str(pattern.pattern), name, pattern


def staff_urls() -> dict[str, list[str]]:
    """Every admin and staff URL as {case key: [routes]} (a name may have several routes)."""
    found: dict[str, list[str]] = {}
    walked = list(_walk(get_resolver().url_patterns))
    # The organisation-scoped views (hotspots/admin_scoped_views.py) sit unnamed in front of
    # Wagtail's own on the same paths: the named case for that path walks them.
    named_routes = {route for route, name, _pattern in walked if name}
    for route, name, _pattern in walked:
        if not name and route in named_routes:
            continue
        if route.startswith("admin/") or name in STAFF_URLS_OUTSIDE_ADMIN:
            found.setdefault(name or route, []).append(route)
    return found


def test_every_staff_url_has_a_tenancy_case():
    missing = sorted(set(staff_urls()) - set(CASES))
    assert not missing, "new staff URL without a tenancy case: " + ", ".join(missing)


# --- The world: organisations A and B --------------------------------------------------------


@pytest.fixture
def world(home, settings):
    """A with everything it can own; B with one staff member in every role (and team lead)."""
    from django.core.files.base import ContentFile
    from wagtail.contrib.redirects.models import Redirect
    from wagtail.documents.models import Document
    from wagtail.images.models import Image
    from wagtail.models import Site, Task, Workflow

    from bookings import services as engine
    from bookings.selectors import bookable_slots
    from crisis.models import CrisisAction
    from hotspots.models import HelpTopic
    from meetings.materialise import materialise_all_meetings
    from meetings.models import CaseworkerProfile, MeetingLocation
    from meetings.services import book_meeting
    from sms.services import simulate_inbound
    from tests.factories import make_hotspot, make_organisation, make_staff_user
    from tests.meetings.conftest import make_availability, make_caseworker, make_service, slot_of
    from tests.sms.conftest import make_bookable_session
    from volunteers.models import Shift, VolunteerNeed
    from volunteers.services import invite_volunteer

    settings.VIDEO_PROVIDER = "fake"
    settings.BOOKING_HORIZON_WEEKS = 2
    now = timezone.now()
    a_org = make_organisation("Aarhus Kommune")
    b_org = make_organisation("Odense Kommune")
    session = make_bookable_session(organisation=a_org, sms_code="4021", title="IT-café Aarhus")
    hotspot = session.get_parent().specific
    hotspot.title = "Dokk1 Aarhus"
    hotspot.save_revision().publish()
    draft = make_hotspot(a_org, "Hemmelig Kladde Aarhus", sms_code="4029")
    draft.unpublish()
    make_bookable_session(organisation=b_org, sms_code="5000", title="IT-café Odense")

    slot = bookable_slots(session=session, limit=2)[1]
    booking = engine.book_slot(
        slot_id=bookable_slots(session=session, limit=1)[0].pk,
        first_name="Zelda",
        phone=A_PHONE,
        channel="web",
    )
    simulate_inbound(phone=A_PHONE, body="hvem er det??")
    simulate_inbound(phone=A_PHONE, body="det forstår jeg ikke")  # needs a person now

    location = MeetingLocation.objects.create(
        organisation=a_org, name="Jobcenter Aarhus", address="Værkmestergade 1", postcode="8000"
    )
    service = make_service(a_org, "Samtale Aarhus")
    quincy = make_caseworker(a_org, "quincy")
    service.caseworkers.set([quincy])
    make_availability(
        a_org, quincy, [service], location=location, starts_on=timezone.localdate(now)
    )
    materialise_all_meetings(now=now)
    # The first time a citizen may still book: on a Tuesday morning today's first times are
    # already inside the service's cut-off, and the walk's booking then failed.
    past_the_cutoff = now + timedelta(minutes=service.booking_cutoff_minutes)
    meeting_booking = book_meeting(
        slot_id=slot_of(service, quincy, past_the_cutoff).pk,
        first_name="Wilma",
        phone=A_MEETING_PHONE,
        mode="phone",
        now=now,
    )
    from meetings.models import AvailabilityException

    timeoff = AvailabilityException.objects.create(
        organisation=a_org,
        caseworker=quincy,
        starts_on=timezone.localdate(now) + timedelta(days=30),
        ends_on=timezone.localdate(now) + timedelta(days=31),
        reason="Ferie",
    )

    volunteer = invite_volunteer(
        organisation=a_org, phone=A_VOLUNTEER_PHONE, first_name="Xaviera", send_sms=False
    )
    occurrence = booking.slot.occurrence
    Shift.objects.create(volunteer=volunteer, occurrence=occurrence)
    VolunteerNeed.objects.create(session=session, volunteers_needed=2)

    a_editor = make_staff_user(a_org, "aarhus-editor")
    crisis = CrisisAction.objects.create(
        organisation=a_org,
        kind="to_video",
        starts_at=now,
        ends_at=now + timedelta(days=1),
        message="Vandskade i Aarhus: vi mødes på video",
        created_by=a_editor,
    )
    image = Image.objects.create(
        title="Aarhus billede",
        file=ContentFile(_png(), name="aarhus.png"),
        collection=a_org.collection,
    )
    document = Document.objects.create(
        title="Aarhus dokument",
        file=ContentFile(b"Aarhus", name="aarhus.txt"),
        collection=a_org.collection,
    )
    topic = HelpTopic.objects.create(name="MitID", slug="mitid")
    redirect = Redirect.objects.create(old_path="/aarhus-gammel", redirect_link="/")

    b_staff = make_staff_user(b_org, "odense-staff")
    for group in (b_org.coordinators_group, b_org.caseworkers_group):
        b_staff.groups.add(group)
    CaseworkerProfile.objects.create(user=b_staff, is_team_lead=True)

    objects = {
        "org": a_org,
        "b_org": b_org,
        "hotspot": hotspot,
        "draft": draft,
        "session": session,
        "slot": slot,
        "booking": booking,
        "meeting_booking": meeting_booking,
        "location": location,
        "timeoff": timeoff,
        "volunteer": volunteer,
        "crisis": crisis,
        "image": image,
        "document": document,
        "collection": a_org.collection,
        "group": a_org.editors_group,
        "a_editor": a_editor,
        "topic": topic,
        "redirect": redirect,
        "site": Site.objects.get(is_default_site=True),
        "workflow": Workflow.objects.first(),
        "task": Task.objects.first(),
        "revision": hotspot.latest_revision,
    }
    literals = {
        "day": timezone.localdate(booking.slot.starts_at).isoformat(),
        "a_editor_uid": urlsafe_base64_encode(force_bytes(a_editor.pk)),
        "REF": booking.reference,
        "PHONE": A_PHONE,
    }
    return objects, literals, b_staff


def _png() -> bytes:
    import io

    from PIL import Image as Picture

    data = io.BytesIO()
    Picture.new("RGB", (4, 3), (200, 30, 30)).save(data, "PNG")
    return data.getvalue()


# --- Filling, requesting, judging ------------------------------------------------------------


def _value(spec, objects, literals):
    if isinstance(spec, Lit):
        return literals.get(spec.value, spec.value) if isinstance(spec.value, str) else spec.value
    if spec in literals:
        return literals[spec]
    thing = objects[spec]
    return thing.pk if thing is not None else 0


def _url(key: str, case: Case, objects, literals) -> str:
    if key.startswith("admin/"):
        path = "/" + key.replace("^.*/$", "not-a-page/")
    else:
        kwargs = {k: _value(v, objects, literals) for k, v in case.kwargs.items()}
        path = reverse(key, kwargs=kwargs)
    if case.query:
        query = {k: _value(v, objects, literals) for k, v in case.query.items()}
        path += "?" + urlencode(query, doseq=True)
    return path


def _form_body(objects, literals) -> dict:
    """A plausible body for any of the forms: A's ids and values in every field B might try."""
    a = objects
    today = timezone.localdate()
    return {
        "title": "Overtaget",
        "slug": "overtaget",
        "name": "Overtaget",
        "first_name": "Overtaget",
        "phone": A_PHONE,
        "text": "AFBUD",
        "attended": "1",
        "mode": "phone",
        "member": "on",
        "alerts": "on",
        "send_sms": "on",
        "volunteers_needed": "5",
        "organisation": a["org"].pk,
        "conversation": _conversation_pk(),
        "service": a["meeting_booking"].slot.occurrence.meeting_service_id,
        "caseworker": a["meeting_booking"].slot.occurrence.caseworker_id,
        "scope": a["hotspot"].pk,
        "kind": "to_video",
        "first_day": today.isoformat(),
        "last_day": today.isoformat(),
        "template": "video",
        "message": "Overtaget",
        "confirm": "1",
        "delete": "1",
        "collection": a["collection"].pk,
        "parent_page": a["org"].pk,
        "id": [a["hotspot"].pk],
        "old_path": "/aarhus-gammel",
        "redirect_link": "/overtaget",
        "next": "/admin/",
    }


def _conversation_pk():
    from sms.models import Conversation

    conversation = Conversation.objects.filter(phone=A_PHONE).first()
    return conversation.pk if conversation else 0


def _fingerprint() -> dict[str, str]:
    prints = {}
    for model in apps.get_models(include_auto_created=True):  # many-to-many tables too
        label = model._meta.label_lower
        if model._meta.app_label not in CHECKED_APPS or label in UNCHECKED_MODELS:
            continue
        # Signing B in again (after a view ended the session) is not a change of data.
        fields = [f.attname for f in model._meta.concrete_fields if f.attname != "last_login"]
        rows = [
            tuple(_stable(value) for value in row)
            for row in model._base_manager.order_by("pk").values_list(*fields)
        ]
        prints[label] = hashlib.sha256(repr(rows).encode()).hexdigest()
    return prints


def _stable(value):
    # A recurrence rule's repr carries its memory address; its text is what is stored.
    if value is None or isinstance(value, (str, int, float, bool, dict, list, tuple)):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _leaks(response, request_text: str) -> list[str]:
    if response.status_code not in (200, 201):
        location = response.get("Location", "") if response.status_code in (301, 302) else ""
        body = location
    else:
        body = b"".join(response).decode(errors="replace") if response.streaming else ""
        body = body or response.content.decode(errors="replace")
    found = []
    for group in A_MARKERS:
        if any(spelling in request_text for spelling in group):
            continue
        found += [spelling for spelling in group if spelling in body]
    return found


def _judge(method: str, response, request_text: str, case: Case) -> str:
    """'' when B was refused, else what went wrong."""
    status = response.status_code
    if status >= 500 and not case.server_error:
        return f"{method} answered {status}"
    if status in (400, 403, 404, 405):
        return ""
    leaks = _leaks(response, request_text)
    if leaks:
        return f"{method} {status} showed A's data: {', '.join(sorted(set(leaks)))}"
    return ""


class _WriteWatch:
    """Whether any statement that can change a row ran since the last look. Data cannot change
    without one, so the walk takes its fingerprint (a read of every checked table) only after a
    URL that wrote something: most refuse at once and write nothing, and reading every table
    after each of some 300 URLs was most of the walk's time."""

    WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "TRUNCATE", "ALTER", "DROP", "CREATE")

    def __init__(self):
        self.wrote = False

    def __call__(self, execute, sql, params, many, context):
        if sql.lstrip().upper().startswith(self.WRITES):
            self.wrote = True
        return execute(sql, params, many, context)

    def look(self) -> bool:
        wrote, self.wrote = self.wrote, False
        return wrote


def _walk_cases(client, world) -> list[str]:
    from django.db import connection

    watch = _WriteWatch()
    with connection.execute_wrapper(watch):
        return _walk_cases_watched(client, world, watch)


def _walk_cases_watched(client, world, watch: _WriteWatch) -> list[str]:
    objects, literals, b_staff = world
    body = _form_body(objects, literals)
    body_text = urlencode(body, doseq=True)
    failures = []
    last = _fingerprint()
    watch.look()
    for key, _routes in sorted(staff_urls().items()):
        case = CASES.get(key)
        if case is None:
            continue
        url = _url(key, case, objects, literals)
        before = None if case.own_rows else last
        problems = []
        response = client.get(url)
        problems.append(_judge("GET", response, url, case))
        if case.post:
            response = client.post(url, body)
            problems.append(_judge("POST", response, url + body_text, case))
        if "_auth_user_id" not in client.session:
            client.force_login(b_staff)  # a view ended the session; the walk goes on
        if watch.look():
            last = _fingerprint()
            watch.look()  # the fingerprint only reads
        if before is not None:
            changed = sorted(label for label in before if before[label] != last.get(label))
            if changed:
                problems.append("changed " + ", ".join(changed))
        problems = [p for p in problems if p]
        if problems:
            failures.append(f"{key} ({url}): " + "; ".join(problems))
    return failures


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.page_indexes  # the search and "used by" pages must have something to leak
def test_other_organisations_staff_are_refused_on_every_staff_url(client, world, settings):
    settings.DEBUG = False
    client.raise_request_exception = False
    client.force_login(world[2])
    failures = _walk_cases(client, world)
    assert not failures, f"{len(failures)} staff URLs let B at A's data:\n" + "\n".join(failures)


@pytest.mark.django_db
def test_the_walk_looks_at_the_data_after_every_write_and_only_then(home):
    """The walk skips its fingerprint after a URL that wrote nothing: a write must be seen."""
    from django.contrib.auth.models import Group
    from django.db import connection

    watch = _WriteWatch()
    with connection.execute_wrapper(watch):
        list(Group.objects.all())
        assert not watch.look()
        Group.objects.create(name="Skrevet")
        assert watch.look()
        assert not watch.look()
        Group.objects.filter(name="Skrevet").update(name="Ændret")
        assert watch.look()
        Group.objects.filter(name="Ændret").delete()
        assert watch.look()
