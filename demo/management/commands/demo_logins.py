"""Print every demo login, with the address `make run` serves on: the admin users (superuser,
each organisation's editor and coordinator, the caseworker) and the volunteers' numbers as they
are typed on the login page. `make run` calls it last, so it is the last thing on the screen."""

import phonenumbers
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from demo.content import ORGANISATIONS
from hotspots.models import OrganisationPage
from volunteers.models import Volunteer

from .seed_demo import CASEWORKER_USERNAME, DEMO_PASSWORD


def as_typed(phone: str) -> str:
    """+4520120001 -> "20 12 00 01", as a Danish volunteer types it."""
    number = phonenumbers.parse(phone, "DK")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


class Command(BaseCommand):
    help = "Print the demo logins (made by seed_demo and seed_demo_volunteers)."

    def handle(self, *args, **options):
        base = settings.PUBLIC_BASE_URL
        users = set(get_user_model().objects.values_list("username", flat=True))
        titles = dict(OrganisationPage.objects.values_list("slug", "title"))
        write = self.stdout.write
        write("")
        write(self.style.SUCCESS(f"Digihjælp runs at {base}/"))
        write(f"Admin: {base}/admin/  (password for every demo user: {DEMO_PASSWORD})")
        if "admin" in users:
            write("  admin          superuser")
        for slug, _title, _kind, _phone, username, _hotspots in ORGANISATIONS:
            if username in users:
                write(f"  {username:<14} editor and coordinator, {titles.get(slug, slug)}")
        if CASEWORKER_USERNAME in users:
            write(f"  {CASEWORKER_USERNAME:<14} caseworker, Aarhus Kommune (menu 'My meetings')")
        volunteers = Volunteer.objects.prefetch_related("organisations").order_by("phone")
        if volunteers:
            write(
                f"Volunteer portal: {base}/frivillig/  (type a number; the SMS code is printed "
                "in this terminal)"
            )
            for volunteer in volunteers:
                organisations = ", ".join(o.title for o in volunteer.organisations.all())
                write(f"  {as_typed(volunteer.phone)}    {volunteer.first_name}, {organisations}")
        write(f"SMS simulator (practice numbers 70 00 00 00-99): {base}/sms/simulator/")
        write("")
