"""Realistic Danish demo content. Safe to run again: it only adds what is missing."""

from datetime import time

import recurrence
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

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

TOPICS = [
    ("mitid", "MitID", "MitID", "Oprette, forny eller bruge MitID-appen og kodeviseren."),
    ("digital-post", "Digital Post", "Digital Post", "Læse og svare på post fra det offentlige."),
    ("borger-dk", "borger.dk", "borger.dk", "Ansøgninger og selvbetjening på borger.dk."),
    ("sundhed", "Sundhed.dk og Min Læge", "Health apps", "Prøvesvar, recepter og lægen."),
    ("netbank", "Netbank og MobilePay", "Online banking", "Betale regninger og bruge MobilePay."),
    ("telefon", "Din telefon eller tablet", "Your phone or tablet", "Indstillinger og apps."),
    ("skat", "Skat og årsopgørelse", "Tax", "Forskudsopgørelse og årsopgørelse på skat.dk."),
    ("job", "Jobnet og CV", "Jobs and CV", "Jobnet, CV og ansøgninger."),
]

WEEKLY = recurrence.WEEKLY
MONTHLY = recurrence.MONTHLY
MO, TU, WE, TH, FR, SA = (
    recurrence.MO,
    recurrence.TU,
    recurrence.WE,
    recurrence.TH,
    recurrence.FR,
    recurrence.SA,
)

# (slug, title, kind, phone, username, hotspots)
# hotspot: (slug, title, street, postcode, city, lat, lon, sms code, topics, languages,
#           accessibility, opening hours [(weekday, opens, closes)], sessions)
# session: (slug, title, rule, start, end, capacity, kind)
ORGANISATIONS = [
    (
        "aarhus-kommune",
        "Aarhus Kommune",
        "municipality",
        "89 40 20 00",
        "aarhus",
        [
            (
                "dokk1",
                "Dokk1 – Borgerservice og Bibliotek",
                "Hack Kampmanns Plads 2",
                "8000",
                "Aarhus C",
                56.1537,
                10.2144,
                "4021",
                ["mitid", "digital-post", "borger-dk", "netbank"],
                ["da", "en", "ar"],
                {"step_free_access": True, "hearing_loop": True, "accessible_toilet": True},
                [(0, 8, 20), (1, 8, 20), (2, 8, 20), (3, 8, 20), (4, 8, 18), (5, 10, 16)],
                [
                    ("it-cafe-tirsdag", "IT-café", [WEEKLY, [TU]], (10, 0), (12, 0), 3, "booked"),
                    ("mitid-hjaelp", "MitID-hjælp", [WEEKLY, [TH]], (14, 0), (16, 0), 2, "booked"),
                ],
            ),
            (
                "gellerup-bibliotek",
                "Gellerup Bibliotek",
                "Gudrunsvej 14",
                "8220",
                "Brabrand",
                56.1525,
                10.1336,
                "4022",
                ["mitid", "digital-post", "telefon", "job"],
                ["da", "ar", "so", "tr"],
                {"step_free_access": True, "accessible_toilet": True},
                [(0, 10, 18), (1, 10, 18), (2, 10, 18), (3, 10, 18), (4, 10, 16)],
                [
                    (
                        "digital-hjaelp-onsdag",
                        "Digital hjælp på flere sprog",
                        [WEEKLY, [WE]],
                        (13, 0),
                        (15, 0),
                        4,
                        "booked",
                    ),
                ],
            ),
            (
                "viby-lokalcenter",
                "Lokalcenter Viby",
                "Skanderborgvej 150",
                "8260",
                "Viby J",
                56.1289,
                10.1596,
                "4023",
                ["netbank", "sundhed", "telefon"],
                ["da"],
                {"step_free_access": True, "hearing_loop": True, "quiet_room": True},
                [(0, 9, 15), (2, 9, 15), (4, 9, 13)],
                [
                    (
                        "seniorernes-it-cafe",
                        "Seniorernes IT-café",
                        [WEEKLY, [MO]],
                        (10, 0),
                        (12, 0),
                        2,
                        "booked",
                    ),
                ],
            ),
            (
                "it-bussen",
                "IT-bussen i Aarhus",
                "Torvet 1",
                "8300",
                "Odder",
                55.9730,
                10.1520,
                "4024",
                ["mitid", "telefon"],
                ["da"],
                {},
                [(3, 9, 15)],
                [
                    (
                        "it-bussen-odder",
                        "IT-bussen holder i Odder",
                        [MONTHLY, [TH(1)]],
                        (9, 30),
                        (13, 0),
                        2,
                        "drop_in",
                    ),
                ],
            ),
        ],
    ),
    (
        "odense-bibliotekerne",
        "Odense Bibliotekerne",
        "library",
        "66 13 13 72",
        "odense",
        [
            (
                "odense-hovedbibliotek",
                "Odense Hovedbibliotek",
                "Østre Stationsvej 15",
                "5000",
                "Odense C",
                55.4018,
                10.3866,
                "5031",
                ["mitid", "digital-post", "skat", "borger-dk"],
                ["da", "en", "uk", "pl"],
                {"step_free_access": True, "hearing_loop": True, "accessible_toilet": True},
                [(0, 8, 21), (1, 8, 21), (2, 8, 21), (3, 8, 21), (4, 8, 19), (5, 10, 15)],
                [
                    (
                        "it-cafe-mandag-torsdag",
                        "IT-café",
                        [WEEKLY, [MO, TH]],
                        (13, 0),
                        (15, 0),
                        4,
                        "booked",
                    ),
                    (
                        "skatte-hjaelp",
                        "Hjælp til årsopgørelsen",
                        [MONTHLY, [SA(-1)]],
                        (10, 0),
                        (13, 0),
                        3,
                        "booked",
                    ),
                ],
            ),
            (
                "vollsmose-bibliotek",
                "Vollsmose Bibliotek",
                "Vollsmose Torv 1",
                "5240",
                "Odense NØ",
                55.4067,
                10.4270,
                "5032",
                ["mitid", "digital-post", "job", "telefon"],
                ["da", "ar", "so", "fa"],
                {"step_free_access": True},
                [(0, 10, 18), (1, 10, 18), (2, 10, 18), (3, 10, 18)],
                [
                    (
                        "lektiecafe-for-voksne",
                        "Digital café for voksne",
                        [WEEKLY, [TU]],
                        (16, 0),
                        (18, 0),
                        3,
                        "booked",
                    ),
                ],
            ),
            (
                "dalum-bibliotek",
                "Dalum Bibliotek",
                "Dalumvej 132",
                "5250",
                "Odense SV",
                55.3640,
                10.3590,
                "5033",
                ["netbank", "sundhed", "telefon"],
                ["da"],
                {"accessible_toilet": True},
                [(1, 10, 17), (3, 10, 17)],
                [
                    (
                        "tablet-hjaelp",
                        "Tablet og telefon",
                        [WEEKLY, [WE], 2],
                        (10, 0),
                        (12, 0),
                        2,
                        "booked",
                    ),
                ],
            ),
        ],
    ),
    (
        "kirkens-korshaer-kobenhavn",
        "Kirkens Korshær København",
        "drop_in_centre",
        "35 36 83 00",
        "korshaer",
        [
            (
                "natcafeen-vesterbro",
                "Varmestuen på Vesterbro",
                "Istedgade 100",
                "1650",
                "København V",
                55.6688,
                12.5522,
                "2101",
                ["mitid", "digital-post", "borger-dk"],
                ["da", "en", "pl", "ro"],
                {"step_free_access": True},
                [(0, 9, 16), (1, 9, 16), (2, 9, 16), (3, 9, 16), (4, 9, 14)],
                [
                    (
                        "digital-post-hjaelp",
                        "Hjælp til Digital Post",
                        [WEEKLY, [TU, FR]],
                        (11, 0),
                        (13, 0),
                        2,
                        "booked",
                    ),
                ],
            ),
            (
                "vaerestedet-norrebro",
                "Værestedet på Nørrebro",
                "Blågårdsgade 23",
                "2200",
                "København N",
                55.6866,
                12.5556,
                "2102",
                ["mitid", "telefon", "sundhed"],
                ["da", "ar", "so"],
                {"quiet_room": True},
                [(0, 10, 15), (2, 10, 15), (4, 10, 15)],
                [
                    (
                        "drop-in-it",
                        "Drop-in IT-hjælp",
                        [WEEKLY, [WE]],
                        (12, 0),
                        (14, 0),
                        2,
                        "drop_in",
                    ),
                ],
            ),
        ],
    ),
    (
        "aeldre-sagen-aalborg",
        "Ældre Sagen Aalborg",
        "ngo",
        "98 12 34 56",
        "aeldresagen",
        [
            (
                "aalborg-medborgerhus",
                "Medborgerhuset i Aalborg",
                "Kattesundet 6",
                "9000",
                "Aalborg",
                57.0469,
                9.9198,
                "9041",
                ["netbank", "sundhed", "telefon", "mitid"],
                ["da"],
                {"step_free_access": True, "hearing_loop": True, "accessible_toilet": True},
                [(0, 9, 16), (1, 9, 16), (2, 9, 16), (3, 9, 16)],
                [
                    (
                        "it-cafe-aalborg",
                        "IT-café for seniorer",
                        [WEEKLY, [TU]],
                        (13, 0),
                        (15, 30),
                        4,
                        "booked",
                    ),
                ],
            ),
            (
                "noerresundby-lokalcenter",
                "Lokalcenter Nørresundby",
                "Østergade 14",
                "9400",
                "Nørresundby",
                57.0590,
                9.9230,
                "9042",
                ["telefon", "netbank"],
                ["da"],
                {"step_free_access": True},
                [(3, 10, 14)],
                [
                    (
                        "telefon-cafe",
                        "Telefon-café",
                        [WEEKLY, [TH]],
                        (10, 0),
                        (12, 0),
                        3,
                        "booked",
                    ),
                ],
            ),
            (
                "hjoerring-bibliotek",
                "Hjørring Bibliotek",
                "Springvandspladsen 1",
                "9800",
                "Hjørring",
                57.4597,
                9.9828,
                "9043",
                ["mitid", "digital-post", "sundhed"],
                ["da", "de"],
                {"step_free_access": True, "accessible_toilet": True},
                [(0, 10, 19), (1, 10, 19), (2, 10, 19), (3, 10, 19), (4, 10, 17)],
                [
                    (
                        "it-hjaelp-hjoerring",
                        "IT-hjælp",
                        [WEEKLY, [MO]],
                        (14, 0),
                        (16, 0),
                        2,
                        "booked",
                    ),
                ],
            ),
        ],
    ),
]


def _rule(spec) -> recurrence.Recurrence:
    freq, days, *rest = spec
    interval = rest[0] if rest else 1
    return recurrence.Recurrence(rrules=[recurrence.Rule(freq, interval=interval, byday=days)])


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
                recurrence=_rule(
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
                recurrence=_rule(rule),
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
