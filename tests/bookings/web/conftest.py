"""Fixtures for the web journey. The views use the real clock, so sessions run every day from
long ago and are materialised with the real now: there is always a free time tomorrow."""

import pytest
import recurrence
from django.test import Client
from django.utils import timezone

import sms
from bookings.materialise import materialise_session
from bookings.selectors import bookable_slots
from tests.factories import make_hotspot, make_organisation, make_session, make_topic


def daily():
    return recurrence.Recurrence(rrules=[recurrence.Rule(recurrence.DAILY)])


@pytest.fixture
def sms_outbox():
    sms.outbox = []
    yield sms.outbox
    sms.outbox = []


@pytest.fixture
def client():
    # English, so tests compare against msgids, not translations that may change.
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def organisation(home):
    return make_organisation("Aarhus Kommune")


@pytest.fixture
def topic(db):
    return make_topic("MitID")


@pytest.fixture
def hotspot(organisation, topic):
    return make_web_hotspot(organisation, topic)


def make_web_hotspot(organisation, topic):
    return make_hotspot(organisation, "Dokk1", topics=[topic], sms_code="4021")


def make_booked_session(hotspot, **fields):
    values = {"rule": daily(), "fixed_capacity": 2, "booking_cutoff_minutes": 0}
    values.update(fields)
    session = make_session(hotspot, values.pop("title", "IT-café"), **values)
    materialise_session(session)
    return session


@pytest.fixture
def session(hotspot):
    return make_web_session(hotspot)


def make_web_session(hotspot):
    return make_booked_session(hotspot, what_to_bring="Your phone and its charger")


@pytest.fixture
def slot(session):
    return first_slot_of_a_day_not_started(session)


def first_slot_of_a_day_not_started(session):
    """The first free time of a day that has not started: during the café's own hours, today's
    times are bookable but its waiting list (which tests reach through this slot) is closed."""
    now = timezone.now()
    return next(s for s in bookable_slots(session=session) if s.occurrence.starts_at > now)


def make_web_world():
    """The chain of fixtures as one dict (organisation, topic, hotspot, session), for a module
    whose tests share it and ask for its parts (tests/bookings/web/test_journey.py)."""
    topic, organisation = make_topic("MitID"), make_organisation("Aarhus Kommune")
    hotspot = make_web_hotspot(organisation, topic)
    return {
        "organisation": organisation,
        "topic": topic,
        "hotspot": hotspot,
        "session": make_web_session(hotspot),
    }


def make_web_session_chain():
    """The `session` fixture with its whole chain at once, for a module whose tests share only
    the session (tests/shared_rows.py):

        _shared_session = module_rows("_shared_session", make_web_session_chain)

        @pytest.fixture
        def session(_shared_session, home):
            return per_test(_shared_session)
    """
    return make_web_world()["session"]


def form_data(**overrides):
    data = {
        "first_name": "Bodil",
        "phone": "20 12 34 56",
        "help_topic": "",
        "note": "",
        "submission": "submission-aaaaaaaaaaaa",
    }
    data.update(overrides)
    return data


def remembered_token(client, booking) -> str:
    """The plain manage token the booking browser keeps (a signed cookie, see bookings.confirmation_cookie)."""
    from django.test import RequestFactory

    from bookings.confirmation_cookie import TOKEN_COOKIE, remembered_tokens

    request = RequestFactory().get("/")
    request.COOKIES = {TOKEN_COOKIE: client.cookies[TOKEN_COOKIE].value}
    return remembered_tokens(request)[str(booking.pk)]
