"""The rules that keep periodic jobs from silently stopping: a failing job does not stop the
others and makes the command fail; two runs never run one job at once; each job's last run and
outcome is stored; an unknown --only name is an error."""

import threading
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from ops.models import JobOutcome, PeriodicJobRecord
from ops.periodic_runner import claim_job
from tests.threads import run_together

pytestmark = pytest.mark.django_db


def run_only(*names) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("runperiodic", only=list(names), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_failing_job_does_not_stop_the_others_and_the_command_fails(temporary_jobs):
    ran = []

    def broken(now):
        raise RuntimeError("the provider answered 500 for +45 20 12 34 56")

    def after(now):
        ran.append("after")
        return "did its work"

    temporary_jobs("zz_test_broken", broken)
    temporary_jobs("zz_test_works", after)
    with pytest.raises(CommandError) as failure:
        run_only("zz_test_broken", "zz_test_works")
    # The job after the broken one (in name order) still ran, and the exit code says "failed".
    assert ran == ["after"]
    assert "1 of 2 periodic jobs failed: zz_test_broken" in str(failure.value)
    assert failure.value.returncode == 1

    broken_record = PeriodicJobRecord.objects.get(name="zz_test_broken")
    assert broken_record.last_outcome == JobOutcome.FAILED
    assert broken_record.last_summary.startswith("RuntimeError: the provider answered 500")
    # The stored error is shown to administrators: no phone number in it.
    assert "20 12 34 56" not in broken_record.last_summary
    assert "[number]" in broken_record.last_summary
    assert broken_record.consecutive_failures == 1
    assert broken_record.locked_until is None  # the lock is freed after a failure too

    with pytest.raises(CommandError):
        run_only("zz_test_broken")
    assert PeriodicJobRecord.objects.get(name="zz_test_broken").consecutive_failures == 2


def test_each_jobs_last_run_duration_and_outcome_are_stored(temporary_jobs):
    temporary_jobs("zz_test_counts", lambda now: "anonymised=3")
    before = timezone.now()
    out, _ = run_only("zz_test_counts")
    assert "zz_test_counts: anonymised=3" in out
    record = PeriodicJobRecord.objects.get(name="zz_test_counts")
    assert record.last_outcome == JobOutcome.SUCCEEDED
    assert record.last_summary == "anonymised=3"
    assert before <= record.last_started_at <= record.last_finished_at <= timezone.now()
    assert record.last_succeeded_at == record.last_finished_at
    assert record.last_duration is not None and record.last_duration >= 0
    assert record.consecutive_failures == 0 and record.locked_until is None


def test_a_success_after_failures_resets_the_count(temporary_jobs):
    outcomes = iter([RuntimeError("down"), "fine"])

    def flaky(now):
        outcome = next(outcomes)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    temporary_jobs("zz_test_flaky", flaky)
    with pytest.raises(CommandError):
        run_only("zz_test_flaky")
    run_only("zz_test_flaky")
    record = PeriodicJobRecord.objects.get(name="zz_test_flaky")
    assert (record.last_outcome, record.last_summary, record.consecutive_failures) == (
        JobOutcome.SUCCEEDED,
        "fine",
        0,
    )


def test_an_unknown_only_name_is_an_error_and_runs_nothing(temporary_jobs):
    ran = []
    temporary_jobs("zz_test_known", lambda now: ran.append(1) or "ran")
    with pytest.raises(CommandError) as failure:
        run_only("zz_test_known", "materialse")
    assert "Unknown periodic job(s): materialse" in str(failure.value)
    assert "materialise" in str(failure.value)  # the known names are listed
    assert ran == []


# serialized_rollback, as every transactional test here: the page tree survives for the next.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.concurrency
def test_two_runs_at_once_never_run_the_same_job_twice(temporary_jobs):
    """Two timers start runperiodic at the same moment (two machines, or a slow run overlapping
    the next): the job runs once, the other run skips it and says so."""
    entered = threading.Event()
    release = threading.Event()
    calls = []

    def slow(now):
        calls.append(threading.get_ident())
        entered.set()
        release.wait(30)
        return "slow job done"

    temporary_jobs("zz_test_slow", slow)
    outputs = []

    def timer():
        out = StringIO()
        call_command("runperiodic", only=["zz_test_slow"], stdout=out)
        outputs.append(out.getvalue())
        return "ok"

    def second_timer():
        entered.wait(30)  # the first run holds the job now
        try:
            return timer()
        finally:
            release.set()

    outcomes, errors = run_together([timer, second_timer])
    assert errors == []
    assert outcomes["ok"] == 2
    assert len(calls) == 1
    assert any("skipped: another run holds this job" in out for out in outputs)
    assert any("zz_test_slow: slow job done" in out for out in outputs)
    record = PeriodicJobRecord.objects.get(name="zz_test_slow")
    assert record.last_outcome == JobOutcome.SUCCEEDED and record.locked_until is None


def test_a_lock_left_by_a_killed_run_expires_with_its_lease():
    now = timezone.now()
    lease = timedelta(minutes=30)
    assert claim_job(name="zz_test_killed", lease=lease, now=now) is not None
    # The run was killed: nobody freed the lock. Another run within the lease must skip...
    assert claim_job(name="zz_test_killed", lease=lease, now=now + timedelta(minutes=29)) is None
    # ...and one after it may take the job over.
    assert claim_job(name="zz_test_killed", lease=lease, now=now + timedelta(minutes=31))


def test_every_registered_job_runs_and_is_recorded():
    """The real jobs, once, as the timer runs them: all succeed on an empty database."""
    from config.periodic import registered_jobs

    out, err = run_only()
    assert err == ""
    names = set(registered_jobs())
    assert {"prune_task_results", "prune_sessions", "materialise", "sms_outbox"} <= names
    records = PeriodicJobRecord.objects.filter(name__in=names)
    assert records.count() == len(names)
    assert set(records.values_list("last_outcome", flat=True)) == {JobOutcome.SUCCEEDED}
