"""Build many published hotspots (with sessions) quickly, for query-count tests and benches.

Adding a thousand pages one by one through treebeard and revisions takes minutes, so this writes
the rows directly with correct materialised paths, depths, child counts and URL paths. The pages
are exactly what Wagtail would have published, minus the revision history."""

import random
from datetime import date, time

import recurrence
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page

from hotspots import postcodes
from hotspots.models import HelpTopic, HotspotPage, Language, OpeningHours, SessionPage

RULES = [
    [recurrence.MO],
    [recurrence.TU],
    [recurrence.WE],
    [recurrence.TH],
    [recurrence.TU, recurrence.TH],
    [recurrence.FR],
]


def _insert_children(model, parent_pages: list[Page], build) -> list:
    """Insert one child page of `model` below each parent; `build(index, parent)` returns the
    model's own field values."""
    content_type = ContentType.objects.get_for_model(model)
    now = timezone.now()
    pages, specifics = [], []
    for index, parent in enumerate(parent_pages):
        step = parent.numchild + 1
        fields = build(index, parent)
        title, slug = fields.pop("title"), fields.pop("slug")
        page = Page(
            title=title,
            draft_title=title,
            slug=slug,
            content_type=content_type,
            path=Page._get_path(parent.path, parent.depth + 1, step),
            depth=parent.depth + 1,
            numchild=0,
            url_path=f"{parent.url_path}{slug}/",
            live=True,
            has_unpublished_changes=False,
            first_published_at=now,
            last_published_at=now,
            live_revision=None,
            locale_id=parent.locale_id,
        )
        parent.numchild = step
        pages.append(page)
        specifics.append(fields)
    Page.objects.bulk_create(pages)
    if pages[0].pk is None:  # a backend without RETURNING: look the ids up by path
        ids = dict(Page.objects.filter(path__in=[p.path for p in pages]).values_list("path", "pk"))
        for page in pages:
            page.pk = page.id = ids[page.path]
    objects = []
    for page, fields in zip(pages, specifics, strict=True):
        obj = model(page_ptr_id=page.pk, **fields)
        obj.__dict__.update({k: v for k, v in page.__dict__.items() if k != "_state"})
        objects.append(obj)
    own_fields = [f for f in model._meta.local_concrete_fields]
    model._base_manager._insert(objects, fields=own_fields, raw=True)
    return objects


@transaction.atomic
def add_hotspots(organisation, count: int, *, first_number: int = 0, seed: int = 1) -> list:
    """Add `count` published hotspots below `organisation`, each with opening hours, two help
    topics, a language and one weekly session. Returns the hotspots."""
    rng = random.Random(seed + first_number)
    organisation = Page.objects.get(pk=organisation.pk)
    places = list(postcodes._table().values())
    topics = list(HelpTopic.objects.all()) or [
        HelpTopic.objects.create(name="MitID", slug="mitid"),
        HelpTopic.objects.create(name="Digital Post", slug="digital-post"),
    ]
    languages = list(Language.objects.all())

    def hotspot_fields(index, parent):
        number = first_number + index
        place = rng.choice(places)
        return {
            "title": f"Hotspot {number:04d} {place.town}",
            "slug": f"hotspot-{number:04d}",
            "kind": "fixed",
            "summary": "Frivillige hjælper med MitID, Digital Post og telefonen.",
            "street_address": f"Bibliotekstorvet {number % 90 + 1}",
            "postcode": place.postcode,
            "city": place.town,
            "latitude": place.latitude + rng.uniform(-0.03, 0.03),
            "longitude": place.longitude + rng.uniform(-0.03, 0.03),
            "directions": "",
            "phone": "",
            "sms_code": f"{1000 + number:04d}",
            "step_free_access": number % 2 == 0,
            "hearing_loop": number % 3 == 0,
            "accessible_toilet": number % 4 == 0,
            "quiet_room": number % 5 == 0,
            "body": "",
        }

    hotspots = _insert_children(HotspotPage, [organisation] * count, hotspot_fields)
    Page.objects.filter(pk=organisation.pk).update(numchild=organisation.numchild)

    def session_fields(index, parent):
        days = RULES[(first_number + index) % len(RULES)]
        return {
            "title": "IT-café",
            "slug": "it-cafe",
            "description": "",
            "recurrence": recurrence.Recurrence(
                rrules=[recurrence.Rule(recurrence.WEEKLY, byday=days)]
            ),
            "starts_on": date(2026, 1, 1),
            "ends_on": None,
            "start_time": time(10),
            "end_time": time(12),
            "weekdays": "".join(str(d.number) for d in days),
        }

    hotspot_pages = [
        Page(
            pk=h.pk,
            path=h.path,
            depth=h.depth,
            url_path=h.url_path,
            numchild=0,
            locale_id=h.locale_id,
        )
        for h in hotspots
    ]
    _insert_children(SessionPage, hotspot_pages, session_fields)
    Page.objects.filter(pk__in=[h.pk for h in hotspots]).update(numchild=1)

    Topics = HotspotPage.help_topics.through
    Topics.objects.bulk_create(
        Topics(hotspotpage_id=h.pk, helptopic_id=topic.pk)
        for i, h in enumerate(hotspots)
        for topic in {topics[i % len(topics)], topics[(i + 1) % len(topics)]}
    )
    if languages:
        Languages = HotspotPage.languages.through
        Languages.objects.bulk_create(
            Languages(hotspotpage_id=h.pk, language_id=languages[i % len(languages)].pk)
            for i, h in enumerate(hotspots)
        )
    OpeningHours.objects.bulk_create(
        OpeningHours(hotspot_id=h.pk, sort_order=day, weekday=day, opens=time(9), closes=time(16))
        for h in hotspots
        for day in range(5)
    )
    return list(HotspotPage.objects.filter(pk__in=[h.pk for h in hotspots]))
