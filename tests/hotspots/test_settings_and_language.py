"""Production refuses to start without its secrets; the language switch works without
JavaScript."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHECK = "import django; django.setup(); print('started')"


def _start_production(**env) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "PUBLIC_BASE_URL", "DEBUG"}
    }
    clean.update(env, DJANGO_SETTINGS_MODULE="config.settings.production")
    return subprocess.run(
        [sys.executable, "-c", CHECK],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({}, ["SECRET_KEY", "ALLOWED_HOSTS", "PUBLIC_BASE_URL"]),
        ({"SECRET_KEY": "x" * 50}, ["ALLOWED_HOSTS", "PUBLIC_BASE_URL"]),
        ({"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "digihjaelp.dk"}, ["PUBLIC_BASE_URL"]),
        (
            {"ALLOWED_HOSTS": " , ", "PUBLIC_BASE_URL": "https://digihjaelp.dk"},
            ["SECRET_KEY", "ALLOWED_HOSTS"],
        ),
    ],
)
def test_production_refuses_to_start_without_its_secrets(env, missing):
    result = _start_production(**env)
    assert result.returncode != 0
    assert "started" not in result.stdout
    assert "ImproperlyConfigured" in result.stderr
    message = result.stderr.strip().splitlines()[-1]
    assert "cannot start in production without" in message
    for name in missing:
        assert name in message
    for name in {"SECRET_KEY", "ALLOWED_HOSTS", "PUBLIC_BASE_URL"} - set(missing):
        assert name not in message


@pytest.mark.slow
def test_production_starts_with_its_secrets():
    result = _start_production(
        SECRET_KEY="a-long-random-secret-key-for-this-test-only-0123456789",
        ALLOWED_HOSTS="digihjaelp.example",
        PUBLIC_BASE_URL="https://digihjaelp.example",
    )
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


@pytest.mark.django_db
def test_language_switch_is_a_link_that_works_without_javascript(client, home):
    html = client.get("/?q=8000").content.decode()
    assert 'href="/sprog/en/?next=/%3Fq%3D8000"' in html
    assert "csrfmiddlewaretoken" not in html  # nothing per visitor: the page can be cached
    response = client.get("/sprog/en/", {"next": "/?q=8000"})
    assert response.status_code == 302
    assert response.url == "/?q=8000"
    assert "no-store" in response["Cache-Control"]
    html = client.get("/").content.decode()
    assert '<html lang="en" dir="ltr">' in html
    assert 'href="/sprog/da/?next=/"' in html
    client.get("/sprog/da/", {"next": "/"})
    assert '<html lang="da" dir="ltr">' in client.get("/").content.decode()


@pytest.mark.django_db
def test_the_old_language_form_still_works(client, home):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/?q=8000"})
    assert response.url == "/?q=8000"
    assert '<html lang="en" dir="ltr">' in client.get("/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["xx", "de"])
def test_an_unknown_language_is_not_found(client, home, code):
    assert client.get(f"/sprog/{code}/", {"next": "/"}).status_code == 404


@pytest.mark.django_db
def test_language_switch_ignores_a_foreign_next_url(client, home):
    response = client.get("/sprog/en/", {"next": "https://evil.example/"})
    assert response.status_code == 302
    assert "evil.example" not in response.url
    response = client.post("/i18n/setlang/", {"language": "en", "next": "https://evil.example/"})
    assert "evil.example" not in response.url


@pytest.mark.django_db
def test_robots_and_unknown_pages(client, home):
    assert client.get("/robots.txt").status_code == 200
    response = client.get("/no-such-place/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()
    assert client.get("/org-x/hotspot-y/kalender/").status_code == 404
