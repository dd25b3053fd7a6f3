"""Whole public pages for anonymous visitors, from the cache.

When a crisis hits or a municipality links the directory from its front page, hundreds of
people open the same few pages at once; each render walks the cards, their times and seats.
An anonymous visitor with no session sees exactly what every other such visitor of that URL and
language sees, so the rendered response is kept for PAGE_CACHE_SECONDS and served from the cache.

Freshness: every key carries a site-wide version number that is bumped (on commit) by whatever
changes what a citizen sees — a publish, unpublish, move or delete in the CMS, a booking, a
cancellation or a move (the engine's events), new bookable times, a crisis starting or ending —
so the very next request renders afresh. Other apps add parts to the key through
`add_key_part` (crisis: the banners showing now, so a banner also appears and goes on time).
The short lifetime covers what changes with the clock alone (a time slot passing).

Served by `serve_from_page_cache` in front of Wagtail's page view (config/urls.py). Not cached:
signed-in users, any request carrying a session (a citizen mid-booking, a password-
protected page), previews, anything but GET/HEAD, and any response that sets a cookie, is not
200, or used a CSRF token. The cache being down only makes pages slower (config/cache.py)."""

import hashlib
import secrets
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import translation

VERSION_KEY = "public-pages:version"
# Bumped only by what changes the content of pages (the CMS, a hotspot's rows), not by a booking:
# the directory's card fragments (hotspots/selectors.py) live as long as it holds.
CONTENT_VERSION_KEY = "public-pages:content-version"
# Cookies that do not change what an anonymous visitor is shown (the language is in the key).
HARMLESS_COOKIES = {"django_language", "csrftoken"}

_key_parts: dict[str, Callable[[], str]] = {}


def add_key_part(name: str, part: Callable[[], str]) -> None:
    """part() returns a short string that changes whenever the pages should (crisis banners)."""
    _key_parts[name] = part


def seconds() -> int:
    return int(getattr(settings, "PAGE_CACHE_SECONDS", 60))


def _version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = "0"
        cache.add(VERSION_KEY, version, None)
    return str(version)


def content_version() -> str:
    version = cache.get(CONTENT_VERSION_KEY)
    if version is None:
        version = "0"
        cache.add(CONTENT_VERSION_KEY, version, None)
    return str(version)


def bump() -> None:
    """Pages rendered before now are not served again. A fresh random version is one blind
    write (no read first, unlike incr), which matters on the booking request."""
    cache.set(VERSION_KEY, secrets.token_hex(6), None)


def bump_content() -> None:
    """The content changed: whole pages and the fragments they are built from (one write)."""
    cache.set_many({VERSION_KEY: secrets.token_hex(6), CONTENT_VERSION_KEY: secrets.token_hex(6)})


def bump_now_and_on_commit(*args, **kwargs) -> None:
    """For the CMS's signals: bump now, and again once the change is visible to others (a page
    rendered in between, from data not yet committed, is not served after the commit)."""
    bump_content()
    transaction.on_commit(bump_content)


def bump_on_commit(*args, **kwargs) -> None:
    """For the booking engine's events: once, when the booking is committed (a booking request
    is the busiest write of the site; one cache write after its commit is all it pays)."""
    transaction.on_commit(bump)


def _cacheable_request(request) -> bool:
    if seconds() <= 0 or request.method not in ("GET", "HEAD"):
        return False
    if getattr(request, "is_preview", False):
        return False
    if any(name not in HARMLESS_COOKIES for name in request.COOKIES):
        return False  # a session, a confirmation, a message: this visitor may see more
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


def key_for(request) -> str | None:
    if not _cacheable_request(request):
        return None
    parts = [
        request.get_host(),
        request.get_full_path(),
        translation.get_language() or "",
        _version(),
        *(part() for part in _key_parts.values()),
    ]
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]
    return f"public-page:{digest}"


def _storable(request, response) -> bool:
    return (
        response.status_code == 200
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not response.has_header("Set-Cookie")
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
    )


def serve_cached(request, render: Callable):
    """Serve `render()`'s response, from the cache when an anonymous visitor already got it."""
    key = key_for(request)
    if key is None:
        return render()
    cached = cache.get(key)
    if cached is not None:
        return cached

    def store(response):
        if _storable(request, response):
            cache.set(key, response, seconds())

    response = render()
    if hasattr(response, "add_post_render_callback") and not response.is_rendered:
        response.add_post_render_callback(store)
    else:
        store(response)
    return response


_sites: dict[tuple, tuple | None] = {}


def remember_site(request) -> None:
    """Wagtail's Site.find_for_request, without its query when this process has answered it for
    the same host and port since the content last changed (saving a Site bumps the content
    version). Each request gets its own Site object, built from the remembered row."""
    from wagtail.models import Site

    if hasattr(request, "_wagtail_site"):
        return
    key = (content_version(), request._get_raw_host(), request.get_port())
    if key not in _sites:
        site = Site._find_for_request(request)
        if len(_sites) >= 64:
            _sites.clear()
        fields = [f.attname for f in Site._meta.concrete_fields]
        _sites[key] = None if site is None else (fields, [getattr(site, f) for f in fields])
    row = _sites[key]
    request._wagtail_site = None if row is None else Site.from_db("default", *row)


def serve_from_page_cache(request, path):
    """Wagtail's page view behind the page cache: routing, the privacy check and the crisis
    hook run only when the page is rendered. A page under a view restriction never gets into
    the cache: Wagtail answers an anonymous visitor with a login redirect (not 200) or a
    password form (which uses a CSRF token)."""
    from wagtail.views import serve

    def render():
        remember_site(request)
        return serve(request, path)

    return serve_cached(request, render)
