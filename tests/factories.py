"""Builders for the page tree. Plain functions: Wagtail pages must be added through their parent,
which factory_boy does not know about."""

import itertools
from datetime import date, time

import recurrence
from django.contrib.auth import get_user_model

from hotspots.models import HelpTopic, HomePage, HotspotPage, OrganisationPage, SessionPage

_counter = itertools.count(1)


def home_page() -> HomePage:
    return HomePage.objects.get()


def weekly(*days) -> recurrence.Recurrence:
    return recurrence.Recurrence(rrules=[recurrence.Rule(recurrence.WEEKLY, byday=list(days))])


def make_topic(name="MitID", slug=None) -> HelpTopic:
    return HelpTopic.objects.get_or_create(
        slug=slug or name.lower().replace(" ", "-"), defaults={"name": name}
    )[0]


def make_organisation(title=None, kind="municipality", **fields) -> OrganisationPage:
    n = next(_counter)
    organisation = OrganisationPage(
        title=title or f"Kommune {n}", slug=f"org-{n}", kind=kind, **fields
    )
    home_page().add_child(instance=organisation)
    organisation.save_revision().publish()
    organisation.refresh_from_db()
    return organisation


def make_hotspot(organisation, title=None, *, topics=(), languages=(), **fields) -> HotspotPage:
    n = next(_counter)
    values = {
        "title": title or f"Bibliotek {n}",
        "slug": f"hotspot-{n}",
        "street_address": f"Testvej {n}",
        "postcode": "8000",
        "city": "Aarhus C",
        "latitude": 56.15,
        "longitude": 10.21,
        "sms_code": f"{n % 10000:04d}",
    }
    values.update(fields)
    hotspot = HotspotPage(**values)
    if topics:
        hotspot.help_topics = list(topics)
    if languages:
        hotspot.languages = list(languages)
    organisation.add_child(instance=hotspot)
    hotspot.save_revision().publish()
    return HotspotPage.objects.get(pk=hotspot.pk)


def make_session(hotspot, title="IT-café", *, rule=None, **fields) -> SessionPage:
    n = next(_counter)
    values = {
        "title": title,
        "slug": f"session-{n}",
        "recurrence": rule or weekly(recurrence.TU),
        "starts_on": date(2026, 1, 1),
        "start_time": time(10, 0),
        "end_time": time(12, 0),
        "fixed_capacity": 2,
    }
    values.update(fields)
    session = SessionPage(**values)
    hotspot.add_child(instance=session)
    session.save_revision().publish()
    return SessionPage.objects.get(pk=session.pk)


def make_staff_user(organisation, username=None, *, role="editors_group"):
    n = next(_counter)
    user = get_user_model().objects.create_user(
        username=username or f"staff{n}", password="secret-password-1"
    )
    user.groups.add(getattr(organisation, role))
    return user
