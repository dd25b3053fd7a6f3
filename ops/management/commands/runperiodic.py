"""Run every periodic job once. A systemd timer (deploy/systemd/) or cron calls it every 5
minutes; see ops/periodic_runner.py for the rules that keep jobs from silently stopping."""

from django.core.management.base import BaseCommand, CommandError

from ops.models import JobOutcome
from ops.periodic_runner import SKIPPED, UnknownPeriodicJob, run_periodic_jobs


class Command(BaseCommand):
    help = (
        "Run every periodic job once: materialise slots, send due reminders, purge expired "
        "personal data, prune spent records. Exits non-zero if any job failed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--only", action="append", default=[], help="Run only this job (repeatable)."
        )

    def handle(self, *args, only, verbosity, **options):
        try:
            runs = run_periodic_jobs(only=only)
        except UnknownPeriodicJob as error:
            raise CommandError(str(error)) from error
        if not runs:
            self.stdout.write("No periodic jobs registered.")
            return
        for run in runs:
            if run.outcome == JobOutcome.FAILED:
                self.stderr.write(f"{run.name}: FAILED after {run.duration:.1f} s: {run.summary}")
            elif verbosity:
                note = " (skipped: another run holds this job)" if run.outcome == SKIPPED else ""
                self.stdout.write(f"{run.name}: {run.summary}{note}")
        failed = [run.name for run in runs if run.outcome == JobOutcome.FAILED]
        if failed:
            raise CommandError(
                f"{len(failed)} of {len(runs)} periodic jobs failed: {', '.join(failed)}. "
                "The others ran; see the log for the errors."
            )
