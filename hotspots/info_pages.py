"""Reads for the information pages and the footer: which info page of each kind is live (cached
with the public pages' version, so the footer costs no query), and the human sitemap."""

from django.core.cache import cache
from django.utils.translation import get_language

from . import page_cache
from .models import HomePage, HotspotPage, InfoKind, InfoPage, OrganisationPage

FOOTER_ORDER = [
    InfoKind.ABOUT,
    InfoKind.PRIVACY,
    InfoKind.ACCESSIBILITY,
    InfoKind.SITEMAP,
    InfoKind.OPEN_DATA,
]


def footer_pages() -> list[dict]:
    """[{kind, url, title}] of the live info pages, in footer order. Kept in the cache under
    the public pages' version: a publish, move or unpublish bumps it, so a renamed or moved
    page is linked right at once."""
    key = f"footer-pages:{page_cache._version()}:{get_language() or 'da'}"
    found = cache.get(key)
    if found is None:
        pages = {p.kind: p for p in InfoPage.objects.live().public()}
        found = [
            {"kind": str(kind), "url": pages[kind].url, "title": pages[kind].display_title}
            for kind in FOOTER_ORDER
            if kind in pages and pages[kind].url
        ]
        cache.set(key, found, 3600)
    return found


def sitemap_sections(home) -> list[dict]:
    """The public pages a citizen can go to, as headings and links: the organisations with their
    places, then the information pages. Three queries, whatever the size of the tree."""
    if not isinstance(home, HomePage):
        home = HomePage.objects.live().first()
    if home is None:
        return []
    organisations = list(
        OrganisationPage.objects.live().public().descendant_of(home).order_by("title")
    )
    hotspots = list(
        HotspotPage.objects.live()
        .public()
        .descendant_of(home)
        .order_by("title")
        .only("title", "path", "url_path", "depth")
    )
    sections = []
    for organisation in organisations:
        places = [h for h in hotspots if h.path.startswith(organisation.path)]
        sections.append({"page": organisation, "children": places})
    info = list(InfoPage.objects.live().public().child_of(home).order_by("path"))
    return [{"page": home, "children": []}, *sections, {"page": None, "children": info}]


def ensure_info_pages(home) -> int:
    """Create the information pages a site is missing (demo seeding; the data migration does the
    same on a fresh database). Returns how many were created."""
    from .info_content import INFO_PAGES

    created = 0
    existing = set(InfoPage.objects.values_list("kind", flat=True))
    taken = set(home.get_children().values_list("slug", flat=True))
    for spec in INFO_PAGES:
        if spec["kind"] in existing or spec["slug"] in taken:
            continue
        page = InfoPage(live=True, **spec)
        home.add_child(instance=page)
        page.save_revision().publish()
        created += 1
    return created
