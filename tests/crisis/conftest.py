from datetime import UTC, datetime, timedelta

import pytest

import sms
from tests.shared_rows import per_test, shared_rows

# Monday 2 March 2026, 12:00 Copenhagen. Factory sessions run Tuesdays 10–12 from January 2026,
# in 30-minute slots of 2 seats.
NOW = datetime(2026, 3, 2, 11, 0, tzinfo=UTC)


@pytest.fixture
def sms_outbox():
    sms.outbox = []
    yield sms.outbox
    sms.outbox = []


@pytest.fixture
def now():
    return NOW


def book(slot, phone, *, channel="staff", mode=None, name="Bodil", now=NOW):
    from bookings import services

    return services.book_slot(
        slot_id=slot.pk, first_name=name, phone=phone, channel=channel, mode=mode, now=now
    )


def start_to_video(w, *, starts_at, message, scope=(), now=None):
    """A one-day "we meet by video" action, committed: the commit clears cached actions."""
    from django.test import TestCase

    from crisis import services

    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.start_crisis_action(
            organisation=w.org,
            user=w.coordinator,
            kind="to_video",
            starts_at=starts_at,
            ends_at=starts_at + timedelta(days=1),
            message=message,
            scope_page_ids=[page.pk for page in scope],
            now=now,
        )


def meeting_slot(service, caseworker, starts, minutes=45):
    """One caseworker meeting time of `service` (an occurrence with its one-seat slot)."""
    from bookings.models import Occurrence, Slot

    ends = starts + timedelta(minutes=minutes)
    occurrence = Occurrence.objects.create(
        meeting_service=service,
        caseworker=caseworker,
        date=starts.date(),
        starts_at=starts,
        ends_at=ends,
    )
    return Slot.objects.create(
        occurrence=occurrence, starts_at=starts, ends_at=ends, capacity=1, caseworker=caseworker
    )


def slots_of(session, day):
    from bookings.models import Slot

    return list(Slot.objects.filter(occurrence__session=session, occurrence__date=day))


class World:
    """Two organisations; the first has two hotspots, each with a Tuesday session."""


@pytest.fixture(scope="module")
def _shared_world(django_db_setup, django_db_blocker, request):
    """The world, built once for the tests of a module (tests/shared_rows.py)."""
    yield from shared_rows(django_db_blocker, request, lambda: build_world(NOW))


@pytest.fixture
def world(_shared_world, home):
    return per_test(_shared_world)


def build_world(now):
    from bookings.materialise import materialise_session
    from tests.factories import make_hotspot, make_organisation, make_session, make_staff_user

    w = World()
    w.org = make_organisation("Aarhus Kommune")
    w.other_org = make_organisation("Odense Kommune")
    w.hotspot_a = make_hotspot(w.org, "Hovedbiblioteket")
    w.hotspot_b = make_hotspot(w.org, "Borgerservice Syd")
    w.other_hotspot = make_hotspot(w.other_org, "Odense Bibliotek")
    w.session_a = make_session(w.hotspot_a, offers_video=True, offers_phone=True)
    w.session_b = make_session(w.hotspot_b, offers_video=True, offers_phone=True)
    w.other_session = make_session(w.other_hotspot, offers_video=True, offers_phone=True)
    for session in (w.session_a, w.session_b, w.other_session):
        materialise_session(session, now=now)
    w.coordinator = make_staff_user(w.org, "koordinator", role="coordinators_group")
    w.editor = make_staff_user(w.org, "redaktoer", role="editors_group")
    w.other_coordinator = make_staff_user(w.other_org, "odense", role="coordinators_group")
    # Tuesdays 3, 10 and 17 March 2026.
    w.day1, w.day2, w.day3 = (now.date() + timedelta(days=d) for d in (1, 8, 15))
    return w
