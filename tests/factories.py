"""Builders for the page tree. Plain functions: Wagtail pages must be added through their parent,
which factory_boy does not know about.

Pages are added live in one save, without a revision: what a test of bookings, SMS or the
directory needs, at a third of the cost of an editor's publish (three saves, each indexed for
search and references). A test that needs what publishing leaves behind (a revision to compare
or edit, the page_published signal) passes revision=True."""

import itertools
from datetime import date, time

import recurrence
from django.contrib.auth import get_user_model
from django.utils import timezone

from hotspots.models import HelpTopic, HomePage, HotspotPage, OrganisationPage, SessionPage

_counter = itertools.count(1)


def home_page() -> HomePage:
    return HomePage.objects.get()


def weekly(*days) -> recurrence.Recurrence:
    return recurrence.Recurrence(rrules=[recurrence.Rule(recurrence.WEEKLY, byday=list(days))])


# Set by tests/conftest.py for each test: whether Wagtail keeps its records of every page saved
# (search and reference indexes, the "created" log entry), which admin tests read.
keeps_page_records = True


def add_live(parent, page, *, revision=False):
    """Add `page` under `parent`, published. With revision=True as an editor publishes it (a
    revision, the page_published signal); otherwise in one save, live, with publish dates."""
    if revision:
        parent.add_child(instance=page)
        page.save_revision().publish()
        return page
    page.live = True
    page.has_unpublished_changes = False
    page.first_published_at = page.last_published_at = timezone.now()
    if keeps_page_records:
        parent.add_child(instance=page)
    else:
        _add_without_bookkeeping(parent, page)
    return page


def _add_without_bookkeeping(parent, page):
    """Wagtail validates a live page it saves with a full_clean: a dozen queries that check, for
    a page a test builds from known values, what the database's own keys and constraints check
    anyway. A draft's checks stay (the defaults, a unique slug below the parent); so does every
    signal. The "created" log entry is left out, as the indexes are (tests/conftest.py)."""
    save = page.save

    def save_as_built(*args, **kwargs):
        page.minimal_clean()
        return save(*args, clean=False, log_action=None, **kwargs)

    page.save = save_as_built  # treebeard's add_child calls page.save() with no arguments
    try:
        parent.add_child(instance=page)
    finally:
        del page.save


def make_topic(name="MitID", slug=None) -> HelpTopic:
    return HelpTopic.objects.get_or_create(
        slug=slug or name.lower().replace(" ", "-"), defaults={"name": name}
    )[0]


def make_organisation(
    title=None, kind="municipality", *, revision=False, **fields
) -> OrganisationPage:
    n = next(_counter)
    organisation = OrganisationPage(
        title=title or f"Kommune {n}", slug=f"org-{n}", kind=kind, **fields
    )
    add_live(home_page(), organisation, revision=revision)
    organisation.refresh_from_db()
    return organisation


def make_hotspot(
    organisation, title=None, *, topics=(), languages=(), revision=False, **fields
) -> HotspotPage:
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
    add_live(organisation, hotspot, revision=revision)
    return HotspotPage.objects.get(pk=hotspot.pk)


def make_session(hotspot, title="IT-café", *, rule=None, revision=False, **fields) -> SessionPage:
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
    add_live(hotspot, session, revision=revision)
    return SessionPage.objects.get(pk=session.pk)


def first_day_not_started(session):
    """The session's next day whose first time is still ahead (during the café's own hours,
    today's has started)."""
    return session.occurrences.filter(starts_at__gt=timezone.now()).order_by("starts_at").first()


def make_staff_user(organisation, username=None, *, role="editors_group"):
    n = next(_counter)
    user = get_user_model().objects.create_user(
        username=username or f"staff{n}", password="secret-password-1"
    )
    user.groups.add(getattr(organisation, role))
    return user
