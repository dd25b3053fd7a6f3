import pytest
import recurrence
from django.utils import timezone

import sms
from sms.models import Direction, Message
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


SENDER = "Digihjælp: "


@pytest.fixture
def texting(django_capture_on_commit_callbacks):
    """text(body) -> the bodies of every SMS queued to the phone because of it, each checked
    to say who writes and given without that prefix."""
    from sms import services as sms_services

    counter = iter(range(1, 10_000))

    def text(body, *, phone="+4520304050", now=None):
        before = set(Message.objects.filter(direction=Direction.OUT).values_list("pk", flat=True))
        with django_capture_on_commit_callbacks(execute=False):  # no worker: we run it below
            message, _ = sms_services.receive_inbound(
                sid=f"SM{next(counter):032d}", from_number=phone, body=body, now=now
            )
        with django_capture_on_commit_callbacks(execute=True):
            sms_services.process_inbound_message(message_id=message.pk, now=now)
        bodies = list(
            Message.objects.filter(direction=Direction.OUT, to_number=phone)
            .exclude(pk__in=before)
            .order_by("pk")
            .values_list("body", flat=True)
        )
        assert all(b.startswith(SENDER) for b in bodies), bodies  # every text says who writes
        return [b.removeprefix(SENDER) for b in bodies]

    return text


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


def make_bookable_session(
    *, capacity=2, organisation=None, sms_code=None, hotspot_fields=None, **fields
):
    """A session every day with slots materialised for the weeks ahead."""
    from bookings.materialise import materialise_session

    organisation = organisation or make_organisation()
    hotspot_fields = dict(hotspot_fields or {})
    if sms_code:
        hotspot_fields["sms_code"] = sms_code
    hotspot = make_hotspot(organisation, **hotspot_fields)
    session = make_session(hotspot, rule=weekly(*ALL_DAYS), fixed_capacity=capacity, **fields)
    materialise_session(session, now=timezone.now())
    return session


@pytest.fixture
def session(db):
    return make_bookable_session()
