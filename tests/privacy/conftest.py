"""The web journey's fixtures (a daily session with free times tomorrow, an English client) and
the signed-webhook settings, shared by the privacy and robustness tests."""

import pytest

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


@pytest.fixture
def meeting_slot(home, settings):
    from django.utils import timezone

    from bookings.models import Slot
    from meetings.materialise import materialise_all_meetings
    from tests.factories import make_organisation
    from tests.meetings.conftest import make_availability, make_caseworker, make_service

    settings.VIDEO_PROVIDER = "fake"
    jobcenter = make_organisation("Jobcenter Aarhus")
    service = make_service(jobcenter)
    anna = make_caseworker(jobcenter, "anna")
    service.caseworkers.set([anna])
    make_availability(jobcenter, anna, [service], offers_video=True)
    materialise_all_meetings(now=timezone.now())
    return Slot.objects.filter(caseworker=anna, starts_at__gt=timezone.now()).first()
