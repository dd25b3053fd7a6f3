"""Run every periodic job once. Call it from cron or a systemd timer every 5 minutes."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from config.periodic import registered_jobs


class Command(BaseCommand):
    help = "Materialise slots, send due reminders and purge expired personal data."

    def add_arguments(self, parser):
        parser.add_argument("--only", action="append", default=[], help="Run only this job.")

    def handle(self, *args, only, **options):
        now = timezone.now()
        jobs = registered_jobs()
        unknown = set(only) - set(jobs)
        if unknown:
            self.stderr.write(
                f"Unknown job(s): {', '.join(sorted(unknown))}. Known: {', '.join(jobs)}"
            )
            return
        for name, job in jobs.items():
            if only and name not in only:
                continue
            result = job(now)
            self.stdout.write(f"{name}: {result}")
        if not jobs:
            self.stdout.write("No periodic jobs registered.")
