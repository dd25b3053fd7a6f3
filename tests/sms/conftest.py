import pytest
import recurrence
from django.utils import timezone

import sms
from tests.factories import make_hotspot, make_organisation, make_session, weekly

ALL_DAYS = (
    recurrence.MO,
    recurrence.TU,
    recurrence.WE,
    recurrence.TH,
    recurrence.FR,
    recurrence.SA,
    recurrence.SU,
)


@pytest.fixture(autouse=True)
def _empty_sms_outbox():
    sms.outbox = []
    yield
    sms.outbox = []


@pytest.fixture(autouse=True)
def _short_horizon(settings):
    # Two weeks of slots is plenty for SMS tests and keeps materialising fast.
    settings.BOOKING_HORIZON_WEEKS = 2


@pytest.fixture
def twilio_settings(settings):
    settings.TWILIO_ACCOUNT_SID = "AC" + "0" * 32
    settings.TWILIO_AUTH_TOKEN = "test-auth-token"
    settings.TWILIO_MESSAGING_SERVICE_SID = "MG" + "1" * 32
    settings.PUBLIC_BASE_URL = "https://digihjaelp.example"
    return settings


def make_bookable_session(*, capacity=2, organisation=None, sms_code=None, **fields):
    """A session every day with slots materialised for the weeks ahead."""
    from bookings.materialise import materialise_session

    organisation = organisation or make_organisation()
    hotspot_fields = {"sms_code": sms_code} if sms_code else {}
    hotspot = make_hotspot(organisation, **hotspot_fields)
    session = make_session(hotspot, rule=weekly(*ALL_DAYS), fixed_capacity=capacity, **fields)
    materialise_session(session, now=timezone.now())
    return session


@pytest.fixture
def session(db):
    return make_bookable_session()
