"""Coordinators are told once per occurrence that starts within 48 hours with no volunteer."""

from datetime import timedelta

import pytest

from config.periodic import registered_jobs
from volunteers import services
from volunteers.models import GapAlert

from .conftest import NOW, make_volunteer, next_occurrence, sent_to, vphone

pytestmark = pytest.mark.django_db


def test_gap_alert_is_sent_once_per_occurrence(cafe):
    organisation, _hotspot, session = cafe
    dorte = make_volunteer(organisation, vphone(4), "Dorte")
    dorte.alerts_for.add(organisation)
    assert services.alert_unstaffed_soon(now=NOW) == 1
    assert services.alert_unstaffed_soon(now=NOW) == 0
    alerts = sent_to(dorte.phone, "volunteer_gap_alert")
    assert len(alerts) == 1 and alerts[0].startswith("Ingen frivillig på vagt tir 03.03")
    assert GapAlert.objects.get().occurrence == next_occurrence(session)


def test_staffed_sessions_raise_no_alert(cafe):
    organisation, _hotspot, session = cafe
    anna = make_volunteer(organisation, vphone(1), "Anna")
    dorte = make_volunteer(organisation, vphone(4), "Dorte")
    dorte.alerts_for.add(organisation)
    services.take_shift(volunteer=anna, occurrence_id=next_occurrence(session).pk, now=NOW)
    assert services.alert_unstaffed_soon(now=NOW) == 0
    # A week later the next Tuesday is within 48 hours and nobody is on it.
    assert services.alert_unstaffed_soon(now=NOW + timedelta(days=7)) == 1


def test_jobs_are_registered(cafe):
    jobs = registered_jobs()
    for name in ("volunteer_weekly_shifts", "volunteer_gap_alerts", "volunteer_login_codes"):
        assert name in jobs
        assert isinstance(jobs[name](NOW), str)
