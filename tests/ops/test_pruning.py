"""runperiodic prunes what the machinery leaves behind: finished task rows and expired
sessions. Work still to do is never pruned."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.tasks.base import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from .factories import task_row

pytestmark = pytest.mark.django_db


def test_finished_task_rows_are_pruned_after_their_days_and_work_is_kept(settings):
    settings.TASK_RESULTS_KEEP_DAYS = 1
    settings.FAILED_TASK_RESULTS_KEEP_DAYS = 14
    now = timezone.now()

    def finished(status, days_ago):
        return task_row(
            status=status,
            enqueued_at=now - timedelta(days=days_ago),
            finished_at=now - timedelta(days=days_ago),
        ).pk

    finished(TaskResultStatus.SUCCESSFUL, 2)
    recent_success = finished(TaskResultStatus.SUCCESSFUL, 0.5)
    week_old_failure = finished(TaskResultStatus.FAILED, 7)
    finished(TaskResultStatus.FAILED, 15)
    waiting = task_row(enqueued_at=now - timedelta(days=30)).pk
    running = task_row(status=TaskResultStatus.RUNNING, enqueued_at=now - timedelta(days=30)).pk

    out = StringIO()
    call_command("runperiodic", only=["prune_task_results"], stdout=out)
    assert "prune_task_results: succeeded=1, failed=1" in out.getvalue()
    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {
        recent_success,
        week_old_failure,
        waiting,
        running,
    }


def test_expired_sessions_are_pruned():
    expired, current = SessionStore(), SessionStore()
    for store in (expired, current):
        store["volunteer"] = 1
        store.create()
    Session.objects.filter(session_key=expired.session_key).update(
        expire_date=timezone.now() - timedelta(minutes=1)
    )
    out = StringIO()
    call_command("runperiodic", only=["prune_sessions"], stdout=out)
    assert "prune_sessions: sessions=1" in out.getvalue()
    assert list(Session.objects.values_list("session_key", flat=True)) == [current.session_key]
