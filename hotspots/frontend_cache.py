"""Purging a CDN or caching proxy in front of the site (optional; README "A CDN in front").

With FRONTEND_CACHE_URL (a Varnish/nginx/Fastly-style cache that accepts PURGE) or the two
FRONTEND_CACHE_CLOUDFLARE_* settings, settings put Wagtail's frontend-cache backend in
WAGTAILFRONTENDCACHE, and a publish, unpublish or move of a page purges its URLs there once the
change is committed. Not only the page's own: a hotspot is also a card in the directory and a
line on its organisation's page, and a session a line on its hotspot's page, so the public
pages above it are purged with it (the site root page is the directory). Wagtail's own
signal handlers (its frontend_cache app) purge only the page itself, so that app is not
installed; its backends and batching are used as they are.

Without a CDN nothing here runs: the page cache (page_cache.py) is what keeps pages fresh."""

from django.conf import settings
from django.db import transaction


def configured() -> bool:
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


def pages_to_purge(page) -> list:
    """The page and the public pages above it (not the tree's invisible root)."""
    ancestors = list(page.get_ancestors().filter(depth__gt=1).live().specific())
    return [*ancestors, page.specific]


def purge_pages_and_listings(pages) -> None:
    from wagtail.contrib.frontend_cache.utils import PurgeBatch

    batch = PurgeBatch()
    for page in pages:
        batch.add_pages(pages_to_purge(page))
    batch.purge()


def on_page_change(sender=None, instance=None, **kwargs) -> None:
    """page_published, page_unpublished, post_page_move: purge after the commit (a purge before
    it would let the CDN fetch and keep the old page again)."""
    if instance is None or not configured():
        return
    pages = [instance]
    if kwargs.get("parent_page_before") is not None:  # a move: the old listings lose it
        pages.append(kwargs["parent_page_before"])
    transaction.on_commit(lambda: purge_pages_and_listings(pages))


def connect() -> None:
    from wagtail.signals import page_published, page_unpublished, post_page_move

    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(on_page_change, dispatch_uid=f"frontend_cache_{id(signal)}", weak=False)
