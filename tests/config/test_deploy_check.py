"""`manage.py check --deploy` with the production settings and only the required environment
prints no warning: each one is fixed, or silenced in config/settings/production.py with its
reason."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

MANAGE = Path(__file__).resolve().parents[2] / "manage.py"


def deploy_check(**extra) -> subprocess.CompletedProcess:
    # The test session's own escape hatch for Playwright is not part of a deployment.
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "digihjaelp.example.dk",
        "PUBLIC_BASE_URL": "https://digihjaelp.example.dk",
        **extra,
    }
    return subprocess.run(
        [sys.executable, str(MANAGE), "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow
@pytest.mark.parametrize("proxy_redirects", [False, True])
def test_the_deploy_check_has_no_warnings(proxy_redirects):
    extra = {"SECURE_SSL_REDIRECT": "off"} if proxy_redirects else {}
    result = deploy_check(**extra)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.slow
def test_a_weak_secret_key_is_still_reported():
    result = deploy_check(SECRET_KEY="too-short")
    assert result.returncode != 0 and "security.W009" in result.stderr
