from datetime import UTC, datetime

import pytest

import sms


@pytest.fixture
def sms_outbox():
    sms.outbox = []
    yield sms.outbox
    sms.outbox = []


# A fixed "now": Monday 2 March 2026, 12:00 Copenhagen (11:00 UTC). Sessions from the factories
# run on Tuesdays 10–12 starting 1 January 2026.
NOW = datetime(2026, 3, 2, 11, 0, tzinfo=UTC)


@pytest.fixture
def now():
    return NOW


@pytest.fixture
def session(home, now):
    return make_session_with_times(now)


def make_session_with_times(now=NOW):
    """A session of two seats, in person or by video, with its times from `now` on; a module
    whose tests share one builds it with `module_rows` (tests/shared_rows.py)."""
    from bookings.materialise import materialise_session
    from tests.factories import make_hotspot, make_organisation, make_session

    organisation = make_organisation()
    hotspot = make_hotspot(organisation)
    session = make_session(hotspot, fixed_capacity=2, offers_video=True)
    materialise_session(session, now=now)
    return session


@pytest.fixture
def slot(session, now):
    from bookings.selectors import bookable_slots

    return bookable_slots(session=session, now=now, limit=1)[0]
