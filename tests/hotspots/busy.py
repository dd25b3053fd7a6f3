"""The worst case for a poster, from the field: a long name, directions, a phone number, every
weekday open (one day twice), three sessions and three languages."""

from datetime import time

from hotspots.models import Language, OpeningHours
from tests.factories import make_hotspot, make_organisation, make_session


def make_busy_hotspot():
    organisation = make_organisation("Aarhus Kommune, Borgerservice og Biblioteker")
    languages = [
        Language.objects.get_or_create(code=code, defaults={"name": name, "name_en": name})[0]
        for code, name in (("ar", "Arabisk"), ("tr", "Tyrkisk"), ("so", "Somali"))
    ]
    hotspot = make_hotspot(
        organisation,
        "Dokk1 - Borgerservice og Hovedbiblioteket Aarhus",
        sms_code="4021",
        street_address="Hack Kampmanns Plads 2",
        postcode="8000",
        city="Aarhus C",
        directions="Indgang fra havnesiden, 1. sal ved borgerservice-skranken",
        phone="89 40 92 00",
        languages=languages,
    )
    for weekday in range(7):
        OpeningHours.objects.create(
            hotspot=hotspot, weekday=weekday, opens=time(8, 0), closes=time(12, 0)
        )
    OpeningHours.objects.create(hotspot=hotspot, weekday=2, opens=time(14, 0), closes=time(19, 30))
    for title in ("IT-café", "MitID-hjælp på arabisk", "Digital Post for begyndere"):
        make_session(hotspot, title)
    return hotspot
