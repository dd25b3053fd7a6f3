from datetime import UTC, datetime

import pytest

import sms

# Monday 2 March 2026, 12:00 in Copenhagen. Factory sessions run on Tuesdays 10-12 from
# 1 January 2026, so the first date ahead is Tuesday 3 March, 22 hours later.
NOW = datetime(2026, 3, 2, 11, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _empty_sms_outbox():
    sms.outbox = []
    yield
    sms.outbox = []


@pytest.fixture
def now():
    return NOW


def make_cafe(*, now=NOW, organisation=None, title=None, **session_fields):
    """An organisation, a hotspot and a materialised Tuesday IT café whose seats follow the
    volunteers on shift (two citizens per volunteer, one slot of two hours)."""
    from bookings.materialise import materialise_session
    from tests.factories import make_hotspot, make_organisation, make_session

    organisation = organisation or make_organisation()
    hotspot = make_hotspot(organisation, title=title)
    values = {
        "capacity_rule": "per_volunteer",
        "seats_per_volunteer": 2,
        "slot_minutes": 120,
        "booking_cutoff_minutes": 0,
    }
    values.update(session_fields)
    session = make_session(hotspot, **values)
    materialise_session(session, now=now)
    return organisation, hotspot, session


def make_volunteer(organisation, phone, first_name="Grethe", **fields):
    from volunteers.models import Volunteer

    volunteer = Volunteer.objects.create(phone=phone, first_name=first_name, **fields)
    volunteer.organisations.add(organisation)
    return volunteer


def next_occurrence(session, now=NOW):
    return session.occurrences.filter(starts_at__gt=now).order_by("starts_at").first()


def sent_to(phone, purpose=None):
    from sms.models import Message

    messages = Message.objects.filter(direction="out", to_number=phone)
    if purpose:
        messages = messages.filter(purpose=purpose)
    bodies = list(messages.order_by("created_at", "pk").values_list("body", flat=True))
    assert all(b.startswith("Digihjælp: ") for b in bodies)  # every text says who writes
    return [b.removeprefix("Digihjælp: ") for b in bodies]


@pytest.fixture
def cafe(home):
    return make_cafe()


def vphone(n: int) -> str:
    """A valid Danish mobile number for volunteer n (phonenumbers rejects many made-up ones)."""
    return f"+452012{n:04d}"


def cphone(n: int) -> str:
    """A valid Danish mobile number for citizen n."""
    return f"+452233{n:04d}"
