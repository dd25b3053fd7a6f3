"""deploy/backup.sh and deploy/restore.sh, end to end on PostgreSQL: a database with a booking
and an uploaded image is backed up, restored into a fresh database and an empty media folder, and
a real web server on the restored copy serves the booking's manage page and the image and takes
a new booking. Runs in the PostgreSQL run of the suite (the backups are PostgreSQL's); the
database it backs up starts as a copy of the test database, which is migrated already."""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SERVER = "postgres://postgres@127.0.0.1:5432"


def _postgres_reachable() -> bool:
    if not all(shutil.which(tool) for tool in ("pg_dump", "pg_restore", "psql")):
        return False
    try:
        import psycopg

        psycopg.connect(f"{SERVER}/postgres", connect_timeout=3).close()
    except Exception:  # noqa: BLE001 - any failure means "no PostgreSQL here"
        return False
    return True


pytestmark = [
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="backups are of PostgreSQL: the PostgreSQL run of the suite tests them",
    ),
    pytest.mark.skipif(
        not _postgres_reachable(), reason="no PostgreSQL at 127.0.0.1:5432 (and its client tools)"
    ),
]

SEED = """
import io, json
import recurrence
from django.core.files.images import ImageFile
from PIL import Image as Picture
from wagtail.images.models import Image
from bookings import services
from bookings.materialise import materialise_session
from bookings.selectors import bookable_slots
from tests.factories import make_hotspot, make_organisation, make_session

hotspot = make_hotspot(make_organisation("Aarhus Kommune"), "Dokk1")
session = make_session(
    hotspot, rule=recurrence.Recurrence(rrules=[recurrence.Rule(recurrence.DAILY)]),
    booking_cutoff_minutes=0, fixed_capacity=3,
)
materialise_session(session)
slot = bookable_slots(session=session)[0]
booking = services.book_slot(slot_id=slot.pk, first_name="Bodil", phone="20123456", channel="web")
png = io.BytesIO()
Picture.new("RGB", (40, 30), (200, 30, 30)).save(png, "PNG")
image = Image.objects.create(title="Dokk1", file=ImageFile(png, name="dokk1.png"))
print(json.dumps({
    "reference": booking.reference, "token": booking.manage_token,
    "slot": slot.pk, "image": image.file.url,
}))
"""


def _database(name: str, *, drop: bool = False, template: str = "") -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if template:
            # A template must have no other sessions: this process's own, and any a live
            # server's thread of an earlier test left open.
            connection.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                [template],
            )
            connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        elif not drop:
            connection.execute(f'CREATE DATABASE "{name}"')


def _migrated_copy(name: str) -> None:
    """A new database with every migration applied, in a second rather than the half minute
    `migrate` takes: a copy of this test process's database, which holds the migrated schema
    and its data (tests roll back or restore what they change). The test asks for
    `django_db_setup` so that database exists even when this is its process's first test."""
    from django.db import connection

    test_database = connection.settings_dict["NAME"]
    connection.close()
    _database(name, template=test_database)


def _run(command, env, **kwargs) -> str:
    result = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, **kwargs
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _environment(database: str, media: Path, **extra) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": f"{SERVER}/{database}",
        "MEDIA_ROOT": str(media),
        "PYTHONWARNINGS": "ignore",
        **extra,
    }


@pytest.mark.slow
def test_a_backup_restores_into_a_fresh_database_and_serves_its_bookings(tmp_path, django_db_setup):
    source, restored = f"dh_backup_source_{os.getpid()}", f"dh_backup_restored_{os.getpid()}"
    source_env = _environment(source, tmp_path / "media")
    manage = [sys.executable, "manage.py"]
    server = None
    try:
        _migrated_copy(source)
        _database(restored)
        _run([*manage, "createcachetable"], source_env)
        seeded = json.loads(_run([*manage, "shell", "-v", "0", "-c", SEED], source_env))

        folder = Path(_run(["deploy/backup.sh", str(tmp_path / "backups")], source_env).strip())
        assert sorted(p.name for p in folder.iterdir()) == [
            "SHA256SUMS",
            "database.dump",
            "media.tar.gz",
        ]

        restored_env = _environment(restored, tmp_path / "restored-media")
        assert "restored" in _run(["deploy/restore.sh", str(folder)], restored_env)
        # A second restore into the same (now full) database is refused, not merged.
        again = subprocess.run(
            ["deploy/restore.sh", str(folder)], cwd=ROOT, env=restored_env, capture_output=True
        )
        assert again.returncode == 1 and b"restore into an empty one" in again.stderr

        port = _free_port()
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
            ],
            cwd=ROOT,
            env={**restored_env, "DEBUG": "1"},  # DEBUG: static and media without collectstatic
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        for _ in range(150):
            try:
                requests.get(base + "/healthz", timeout=10)
                break
            except requests.RequestException:
                time.sleep(0.2)

        manage_page = requests.get(f"{base}/b/{seeded['token']}/", timeout=10)
        assert manage_page.status_code == 200
        assert seeded["reference"] in manage_page.text
        image = requests.get(base + seeded["image"], timeout=10)
        assert image.status_code == 200 and image.content.startswith(b"\x89PNG")

        # The restored database takes new bookings (its sequences came along).
        citizen = requests.Session()
        form_url = f"{base}/book/{seeded['slot']}/"
        form = citizen.get(form_url, timeout=10).text
        hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))
        answer = citizen.post(
            form_url,
            {**hidden, "first_name": "Aksel", "phone": "20 12 34 99", "note": ""},
            headers={"Referer": form_url},
            allow_redirects=False,
            timeout=10,
        )
        assert answer.status_code == 302, answer.text[:2000]
        count = _run(
            ["psql", f"{SERVER}/{restored}", "-tAc", "SELECT count(*) FROM bookings_booking"],
            restored_env,
        )
        assert count.strip() == "2"
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        _database(source, drop=True)
        _database(restored, drop=True)
