"""Administrators see each periodic job's last run and outcome in the admin (Reports →
Background work); nobody else does. runperiodic also removes the heartbeat rows of workers that
died without removing their own."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from ops.models import JobOutcome, PeriodicJobRecord, WorkerHeartbeat

pytestmark = pytest.mark.django_db


def test_administrators_see_each_jobs_last_run_and_outcome(admin_client):
    now = timezone.now()
    PeriodicJobRecord.objects.create(
        name="send_reminders",
        last_finished_at=now,
        last_duration=1.5,
        last_outcome=JobOutcome.FAILED,
        last_summary="OperationalError: the database is gone",
        consecutive_failures=3,
    )
    PeriodicJobRecord.objects.create(
        name="materialise",
        last_finished_at=now,
        last_succeeded_at=now,
        last_outcome=JobOutcome.SUCCEEDED,
        last_summary="sessions=4",
    )
    response = admin_client.get(reverse("ops_admin:background_work"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    for shown in (
        "send_reminders",
        "Failed",
        "3 times in a row",
        "OperationalError: the database is gone",
        "materialise",
        "Succeeded",
        "sessions=4",
    ):
        assert shown in html, shown
    assert "The periodic jobs last ran" not in html  # they ran just now


def test_staff_who_are_not_administrators_do_not_see_it(client, django_user_model):
    from django.contrib.auth.models import Permission

    staff = django_user_model.objects.create_user("koordinator", password="secret-password-1")
    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(staff)
    response = client.get(reverse("ops_admin:background_work"))
    assert response.status_code in (302, 403)
    assert b"send_reminders" not in response.content


def test_heartbeats_of_workers_gone_a_day_are_pruned():
    now = timezone.now()
    for worker_id, seen in (("gone", now - timedelta(days=2)), ("alive", now)):
        WorkerHeartbeat.objects.create(
            worker_id=worker_id,
            hostname="web1",
            pid=1,
            queues="*",
            started_at=seen,
            last_seen_at=seen,
        )
    out = StringIO()
    call_command("runperiodic", only=["prune_worker_heartbeats"], stdout=out)
    assert "prune_worker_heartbeats: heartbeats=1" in out.getvalue()
    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["alive"]
