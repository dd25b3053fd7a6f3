"""Demo volunteers for `make run`: a few per organisation, one coordinator number for gap
alerts, and shifts on some of the coming dates so the rota shows both staffed dates and gaps.
Idempotent: running it again adds only what is missing."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from bookings.materialise import materialise_all
from hotspots.models import OrganisationPage
from volunteers import selectors, services
from volunteers.errors import VolunteerError
from volunteers.models import Volunteer

NAMES = ["Grethe", "Bent", "Inger", "Poul", "Hanne", "Jørgen"]


class Command(BaseCommand):
    help = "Create demo volunteers and shifts for every organisation (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        now = timezone.now()
        materialise_all(now=now)
        created = 0
        teams = 0
        for index, organisation in enumerate(OrganisationPage.objects.order_by("path")):
            team = []
            for n, name in enumerate(NAMES[:3]):
                phone = f"+452012{index:02d}{n + 1:02d}"
                volunteer, was_created = Volunteer.objects.get_or_create(
                    phone=phone, defaults={"first_name": name, "invited_at": now}
                )
                volunteer.organisations.add(organisation)
                created += was_created
                team.append(volunteer)
            team[0].alerts_for.add(organisation)
            teams += 1
            # Every other coming date gets one volunteer: the rota shows staffed dates and gaps.
            occurrences = selectors.upcoming_occurrences([organisation], now=now, days=14)
            for position, occurrence in enumerate(occurrences):
                if position % 2:
                    continue
                volunteer = team[position // 2 % len(team)]
                if occurrence.shifts.exists():
                    continue
                try:
                    services.take_shift(volunteer=volunteer, occurrence_id=occurrence.pk, now=now)
                except VolunteerError:
                    continue
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo volunteers ready ({created} new, {teams} organisations). "
                "Their numbers: manage.py demo_logins"
            )
        )
