"""The web journey's fixtures (a daily session with free times tomorrow, an English client) and
the signed-webhook settings, shared by the privacy and robustness tests."""

from tests.bookings.web.conftest import (  # noqa: F401 (fixtures)
    client,
    hotspot,
    organisation,
    session,
    slot,
    sms_outbox,
    topic,
)
from tests.sms.conftest import twilio_settings  # noqa: F401 (fixture)
