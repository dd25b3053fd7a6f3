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


def test_production_starts_with_its_secrets():
    result = _start_production(
        SECRET_KEY="a-long-random-secret-key-for-this-test-only-0123456789",
        ALLOWED_HOSTS="digihjaelp.example",
        PUBLIC_BASE_URL="https://digihjaelp.example",
    )
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


@pytest.mark.django_db
def test_language_switch_without_javascript(client, home):
    response = client.get("/")
    html = response.content.decode()
    assert 'action="/i18n/setlang/"' in html and 'name="language" value="en"' in html
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/?q=8000"})
    assert response.status_code == 302
    assert response.url == "/?q=8000"
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert 'name="language" value="da"' in html
    client.post("/i18n/setlang/", {"language": "da", "next": "/"})
    assert '<html lang="da">' in client.get("/").content.decode()


@pytest.mark.django_db
def test_language_switch_ignores_a_foreign_next_url(client, home):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "https://evil.example/"})
    assert response.status_code == 302
    assert "evil.example" not in response.url


@pytest.mark.django_db
def test_robots_and_unknown_pages(client, home):
    assert client.get("/robots.txt").status_code == 200
    response = client.get("/no-such-place/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()
    assert client.get("/org-x/hotspot-y/kalender/").status_code == 404
