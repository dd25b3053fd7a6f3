"""Realistic Danish demo content. Safe to run again: it only adds what is missing."""

from datetime import time

import recurrence
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from demo.content import ORGANISATIONS, TOPICS, rule_from_spec
from hotspots.info_pages import ensure_info_pages
from hotspots.models import (
    HelpTopic,
    HomePage,
    HotspotPage,
    Language,
    OpeningHours,
    OrganisationPage,
    SessionPage,
)

DEMO_PASSWORD = "digihjaelp-demo"
CASEWORKER_USERNAME = "sagsbehandler"


class Command(BaseCommand):
    help = "Create realistic Danish demo content and demo staff users (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        home = HomePage.objects.first()
        if home is None:
            self.stderr.write("No directory page: run `manage.py migrate` first.")
            return
        topics = {}
        for order, (slug, name, name_en, description) in enumerate(TOPICS):
            topics[slug], _ = HelpTopic.objects.get_or_create(
                slug=slug,
                defaults={
                    "name": name,
                    "name_en": name_en,
                    "description": description,
                    "sort_order": order,
                },
            )
        languages = {language.code: language for language in Language.objects.all()}
        # About, privacy, accessibility, sitemap and open data: the footer's pages.
        ensure_info_pages(home)
        logins = []
        created_pages = 0
        for slug, title, kind, phone, username, hotspots in ORGANISATIONS:
            organisation = OrganisationPage.objects.child_of(home).filter(slug=slug).first()
            if organisation is None:
                organisation = OrganisationPage(
                    title=title, slug=slug, kind=kind, phone=phone, live=True
                )
                home.add_child(instance=organisation)
                organisation.save_revision().publish()
                organisation.refresh_from_db()
                created_pages += 1
            logins.append(self._demo_user(username, organisation))
            for spec in hotspots:
                created_pages += self._hotspot(organisation, spec, topics, languages)
        self._superuser()
        created_pages += self._meetings(home)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content ready ({created_pages} new pages, {len(logins)} organisations). "
                "The logins: manage.py demo_logins"
            )
        )

    def _meetings(self, home) -> int:
        """Caseworker meetings (meetings app): two services under Aarhus Kommune, served by a
        demo caseworker with weekday morning hours."""
        from meetings.materialise import materialise_caseworker
        from meetings.models import (
            CaseworkerAvailability,
            CaseworkerProfile,
            MeetingLocation,
            MeetingServicePage,
        )

        organisation = OrganisationPage.objects.child_of(home).filter(slug="aarhus-kommune").first()
        if organisation is None:
            return 0
        organisation.refresh_from_db()
        User = get_user_model()
        caseworker, created_user = User.objects.get_or_create(
            username=CASEWORKER_USERNAME,
            defaults={"first_name": "Sanne", "last_name": "Holm", "email": "sanne@example.invalid"},
        )
        if created_user:
            caseworker.set_password(DEMO_PASSWORD)
            caseworker.save()
        if organisation.caseworkers_group:
            caseworker.groups.add(organisation.caseworkers_group)
        CaseworkerProfile.objects.get_or_create(user=caseworker)
        location, _ = MeetingLocation.objects.get_or_create(
            organisation=organisation,
            name="Jobcenter Aarhus, mødelokale 2",
            defaults={
                "address": "Værkmestergade 1",
                "postcode": "8000",
                "city": "Aarhus C",
                "directions": "Spørg efter din sagsbehandler i receptionen.",
            },
        )
        created = 0
        services = []
        for slug, title, minutes, description in (
            (
                "samtale-med-jobcentret",
                "Samtale med jobcentret",
                45,
                "<p>En samtale med din sagsbehandler om job, uddannelse eller sygedagpenge. "
                "Du vælger selv, om I mødes, taler i telefon eller ses på video.</p>",
            ),
            (
                "bostoettesamtale",
                "Bostøttesamtale",
                30,
                "<p>En kort samtale med din kontaktperson om hverdagen i dit hjem.</p>",
            ),
        ):
            service = MeetingServicePage.objects.child_of(organisation).filter(slug=slug).first()
            if service is None:
                service = MeetingServicePage(
                    title=title, slug=slug, duration_minutes=minutes, description=description
                )
                organisation.add_child(instance=service)
                service.save_revision().publish()
                service = MeetingServicePage.objects.get(pk=service.pk)
                created += 1
            service.caseworkers.add(caseworker)
            services.append(service)
        if not CaseworkerAvailability.objects.filter(caseworker=caseworker).exists():
            availability = CaseworkerAvailability.objects.create(
                organisation=organisation,
                caseworker=caseworker,
                recurrence=rule_from_spec(
                    (
                        recurrence.WEEKLY,
                        [recurrence.MO, recurrence.TU, recurrence.WE, recurrence.TH],
                    )
                ),
                starts_on=timezone.localdate(),
                start_time=time(9, 0),
                end_time=time(12, 0),
                location=location,
            )
            availability.services.set(services)
        materialise_caseworker(caseworker.pk)
        return created

    def _hotspot(self, organisation, spec, topics, languages) -> int:
        (
            slug,
            title,
            street,
            postcode,
            city,
            lat,
            lon,
            code,
            topic_slugs,
            language_codes,
            accessibility,
            hours,
            sessions,
        ) = spec
        created = 0
        hotspot = HotspotPage.objects.child_of(organisation).filter(slug=slug).first()
        if hotspot is None:
            hotspot = HotspotPage(
                title=title,
                slug=slug,
                kind="mobile" if slug == "it-bussen" else "fixed",
                summary=f"Gratis hjælp til det digitale i {city}. Kom som du er.",
                street_address=street,
                postcode=postcode,
                city=city,
                latitude=lat,
                longitude=lon,
                sms_code=code,
                phone=organisation.phone,
                **accessibility,
            )
            hotspot.help_topics = [topics[s] for s in topic_slugs]
            hotspot.languages = [languages[c] for c in language_codes if c in languages]
            hotspot.opening_hours = [
                OpeningHours(weekday=day, opens=time(o), closes=time(c)) for day, o, c in hours
            ]
            organisation.add_child(instance=hotspot)
            hotspot.save_revision().publish()
            created += 1
        for s_slug, s_title, rule, (sh, sm), (eh, em), capacity, booking_kind in sessions:
            if SessionPage.objects.child_of(hotspot).filter(slug=s_slug).exists():
                continue
            session = SessionPage(
                title=s_title,
                slug=s_slug,
                description="Frivillige hjælper dig roligt og i dit eget tempo.",
                recurrence=rule_from_spec(rule),
                starts_on=timezone.localdate().replace(day=1),
                start_time=time(sh, sm),
                end_time=time(eh, em),
                fixed_capacity=capacity,
                booking_kind=booking_kind,
                what_to_bring="Din telefon eller tablet, opladeren og din MitID-app eller kodeviser.",
            )
            hotspot.add_child(instance=session)
            session.save_revision().publish()
            created += 1
        return created

    def _demo_user(self, username, organisation):
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": username.capitalize(), "email": f"{username}@example.invalid"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        organisation.refresh_from_db()
        for group in (organisation.editors_group, organisation.coordinators_group):
            if group:
                user.groups.add(group)
        return username, organisation.title

    def _superuser(self):
        User = get_user_model()
        if not User.objects.filter(username="admin").exists():
            User.objects.create_superuser("admin", "admin@example.invalid", DEMO_PASSWORD)
