"""With a CDN configured (FRONTEND_CACHE_URL), a publish purges the page and the pages that
list it from the CDN, over HTTP, once the change is committed; without one, nothing is sent."""

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.test import TestCase

from tests.factories import make_hotspot, make_organisation, make_session


class FakeCdn(BaseHTTPRequestHandler):
    purged: list[tuple[str, str]] = []

    def do_PURGE(self):  # noqa: N802 (the HTTP method's name)
        FakeCdn.purged.append((self.headers["Host"], self.path))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def cdn():
    FakeCdn.purged = []
    server = HTTPServer(("127.0.0.1", 0), FakeCdn)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", FakeCdn.purged
    server.shutdown()
    server.server_close()


@pytest.fixture
def place(home):
    organisation = make_organisation("Aarhus Kommune")
    hotspot = make_hotspot(organisation, "Hovedbiblioteket")
    session = make_session(hotspot)
    return organisation, hotspot, session


@pytest.mark.django_db
def test_a_publish_purges_the_page_and_the_pages_listing_it(settings, cdn, place):
    location, purged = cdn
    settings.WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": location,
        }
    }
    organisation, hotspot, session = place
    with TestCase.captureOnCommitCallbacks(execute=True):
        hotspot.title = "Det Nye Bibliotek"
        hotspot.save_revision().publish()
        assert purged == []  # not before the commit: the CDN would fetch the old page again
    paths = {path for _host, path in purged}
    assert {"/", organisation.url, hotspot.url} <= paths
    assert all(host == "localhost" for host, _path in purged)  # the site's own host name

    purged.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        session.save_revision().publish()
    assert {"/", organisation.url, hotspot.url, session.url} <= {p for _h, p in purged}


@pytest.mark.django_db
def test_without_a_cdn_nothing_is_purged(settings, cdn, place):
    _location, purged = cdn
    settings.WAGTAILFRONTENDCACHE = None
    _, hotspot, _ = place
    with TestCase.captureOnCommitCallbacks(execute=True):
        hotspot.save_revision().publish()
    assert purged == []
