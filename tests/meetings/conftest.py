from datetime import UTC, date, datetime, time, timedelta

import pytest
import recurrence
from django.test import override_settings

from tests.shared_rows import per_test, shared_rows

# Monday 2 March 2026, 12:00 in Copenhagen. Availability runs on Tuesdays 9–12 (45-minute
# meetings: 9.00, 9.45, 10.30, 11.15).
NOW = datetime(2026, 3, 2, 11, 0, tzinfo=UTC)


@pytest.fixture
def now():
    return NOW


def make_caseworker(organisation, username, *, phone=""):
    from meetings.models import CaseworkerProfile
    from tests.factories import make_staff_user

    user = make_staff_user(organisation, username, role="caseworkers_group")
    user.first_name = username.capitalize()
    user.save()
    if phone:
        CaseworkerProfile.objects.create(user=user, phone=phone)
    return user


def make_service(organisation, title="Samtale med jobcentret", *, revision=False, **fields):
    from meetings.models import MeetingServicePage
    from tests.factories import add_live

    values = {
        "title": title,
        "slug": title.lower().replace(" ", "-"),
        "duration_minutes": 45,
        "booking_cutoff_minutes": 120,
        "mode_change_cutoff_minutes": 60,
    }
    values.update(fields)
    service = MeetingServicePage(**values)
    add_live(organisation, service, revision=revision)
    return MeetingServicePage.objects.get(pk=service.pk)


def make_availability(organisation, caseworker, services, *, location=None, rule=None, **fields):
    from meetings.models import CaseworkerAvailability

    values = {
        "organisation": organisation,
        "caseworker": caseworker,
        "recurrence": rule
        or recurrence.Recurrence(
            rrules=[recurrence.Rule(recurrence.WEEKLY, byday=[recurrence.TU])]
        ),
        "starts_on": date(2026, 1, 1),
        "start_time": time(9, 0),
        "end_time": time(12, 0),
        "location": location,
        "offers_in_person": location is not None,
    }
    values.update(fields)
    availability = CaseworkerAvailability.objects.create(**values)
    availability.services.set(services)
    return availability


def open_daily_service(organisation, *, location, start=time(8, 0), end=time(16, 0), **fields):
    """A meeting service with caseworker Anna free every day from today, start to end, at
    `location`, its times made: what the citizen-journey tests book. The service carries
    `.anna` and `.location` for the test."""
    from meetings.materialise import materialise_all_meetings

    service = make_service(organisation, **fields)
    anna = make_caseworker(organisation, "anna")
    make_availability(
        organisation,
        anna,
        [service],
        location=location,
        rule=recurrence.Recurrence(rrules=[recurrence.Rule(recurrence.DAILY)]),
        starts_on=date.today(),
        # Two weeks of daily times: more than any journey books or moves to. The whole
        # eight-week horizon made some 560 times per test, a second and a half of its set-up.
        ends_on=date.today() + timedelta(days=13),
        start_time=start,
        end_time=end,
    )
    materialise_all_meetings()
    service.anna, service.location = anna, location
    return service


class World:
    pass


def build_world(now):
    """Aarhus with one service, two caseworkers (Anna, Bo), a location and availability."""
    from meetings.materialise import materialise_all_meetings
    from meetings.models import MeetingLocation
    from tests.factories import make_organisation

    organisation = make_organisation("Aarhus Kommune", phone="+45 89 40 20 00")
    location = MeetingLocation.objects.create(
        organisation=organisation,
        name="Jobcenter, lokale 2",
        address="Værkmestergade 1",
        postcode="8000",
        city="Aarhus C",
    )
    service = make_service(organisation)
    anna = make_caseworker(organisation, "anna", phone="+4520010001")
    bo = make_caseworker(organisation, "bo")
    service.caseworkers.set([anna, bo])
    make_availability(organisation, anna, [service], location=location)
    make_availability(organisation, bo, [service], location=location)
    materialise_all_meetings(now=now)

    w = World()
    w.organisation, w.location, w.service, w.anna, w.bo = organisation, location, service, anna, bo
    return w


@pytest.fixture(scope="module")
def _shared_world(django_db_setup, django_db_blocker, request):
    """The world, built once for the tests of a module (tests/shared_rows.py)."""

    def build():
        with override_settings(VIDEO_PROVIDER="fake"):
            return build_world(NOW)

    yield from shared_rows(django_db_blocker, request, build)


@pytest.fixture
def world(_shared_world, home, settings):
    settings.VIDEO_PROVIDER = "fake"
    return per_test(_shared_world)


def slot_of(service, caseworker, now, index=0):
    from bookings.models import Slot

    return (
        Slot.objects.filter(occurrence__meeting_service=service, caseworker=caseworker)
        .filter(starts_at__gt=now)
        .order_by("starts_at")[index]
    )
