"""Run a few lines of Python in a fresh Django process with the given settings module, as
`manage.py` would on a server: for what only shows at start-up (logging, production settings)."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

PRODUCTION_ENV = {
    "SECRET_KEY": "x" * 50,
    "ALLOWED_HOSTS": "digihjaelp.example",
    "PUBLIC_BASE_URL": "https://digihjaelp.example",
}


def django_shell(settings_module: str, code: str, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "--verbosity", "0", "-c", code],
        cwd=Path(settings.BASE_DIR),
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": settings_module,
            "PYTHONWARNINGS": "ignore",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
