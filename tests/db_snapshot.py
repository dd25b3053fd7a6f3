"""Test databases loaded from a snapshot of what the migrations make, instead of migrating each
one from empty.

Applying the 241 migrations of this project and its libraries costs each test process about
30 s of a core, 80 % of it Django re-building model states in memory (Wagtail's page models
are related to almost everything, so each change re-renders most of them). The result is always
the same for the same migrations, so `python -m tests.db_snapshot` keeps it, per engine, in
tests/db_snapshots/ as a plain SQL dump (SQLite's own, pg_dump's for PostgreSQL), and a test
database is made by loading that dump: under 2 s. This is what Rails does with its schema file.

Nothing is taken on trust:
- a snapshot is used only while its fingerprint (every migration file of every installed app)
  matches; after any change to a migration the test database is migrated as before, and
  `test_the_snapshot_is_current` fails with the command that makes a new one;
- `test_the_snapshot_is_what_the_migrations_make` migrates an empty database from scratch in
  every run, on the run's engine, and compares its dump with the snapshot, so the migrations
  themselves are still run and checked each time;
- with --reuse-db, or when a dump will not load (another PostgreSQL version, say), Django's
  own way is taken.

Set TEST_DB_SNAPSHOT=0 to migrate every test database as Django does."""

import hashlib
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from contextlib import closing, contextmanager
from importlib import import_module
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOTS = Path(__file__).resolve().parent / "db_snapshots"
FINGERPRINT_LINE = "-- migrations fingerprint: "
REMAKE = "make test-db-snapshot"


def install() -> None:
    """Make test databases from the snapshot when it is current (from pytest_configure)."""
    if os.environ.get("TEST_DB_SNAPSHOT", "1") == "0":
        return
    from django.db.backends.base.creation import BaseDatabaseCreation

    made_by_migrating = BaseDatabaseCreation.create_test_db

    def create_test_db(self, verbosity=1, autoclobber=False, serialize=None, keepdb=False):
        snapshot = current_snapshot(self.connection.vendor)
        if keepdb or snapshot is None:
            return made_by_migrating(self, verbosity, autoclobber, serialize, keepdb)
        # Django's own steps, with its `migrate` replaced by loading the snapshot; any other
        # command it runs (createcachetable) runs as before.
        from django.core import management

        run_command = management.call_command

        def call_command(name, *args, **kwargs):
            if name != "migrate":
                return run_command(name, *args, **kwargs)
            try:
                load(self.connection, snapshot)
            except SnapshotDidNotLoad as refused:
                sys.stderr.write(f"{refused}; migrating the test database instead\n")
                return run_command(name, *args, **kwargs)

        with mock.patch.object(management, "call_command", call_command):
            return made_by_migrating(self, verbosity, autoclobber, serialize, keepdb)

    BaseDatabaseCreation.create_test_db = create_test_db


class SnapshotDidNotLoad(Exception):
    pass


def snapshot_path(vendor: str) -> Path:
    return SNAPSHOTS / f"{vendor}.sql"


def migrations_fingerprint() -> str:
    """A hash of every migration file of every installed app, Django's and Wagtail's included
    (a library upgrade that brings migrations changes it too)."""
    from django.apps import apps
    from django.db.migrations.loader import MigrationLoader

    digest = hashlib.sha256()
    for app in sorted(apps.get_app_configs(), key=lambda app: app.label):
        module_name, _explicit = MigrationLoader.migrations_module(app.label)
        try:
            module = import_module(module_name)
        except ImportError:
            continue  # an app without migrations
        for path in sorted(Path(module.__file__).parent.glob("*.py")):
            digest.update(f"{app.label}/{path.name}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def current_snapshot(vendor: str) -> str | None:
    """The snapshot's SQL when it exists and was made from the migrations as they are now."""
    path = snapshot_path(vendor)
    if vendor not in ("sqlite", "postgresql") or not path.exists():
        return None
    sql = path.read_text()
    first_line = sql.split("\n", 1)[0]
    if first_line != FINGERPRINT_LINE + migrations_fingerprint():
        return None
    return sql


def load(connection, sql: str) -> None:
    """Load a snapshot into the (empty, just created) test database of `connection`."""
    if connection.vendor == "sqlite":
        name = connection.settings_dict["NAME"]
        with closing(sqlite3.connect(name)) as database:
            database.executescript(sql)
        return
    with tempfile.NamedTemporaryFile("w", suffix=".sql") as script:
        script.write(sql)
        script.flush()
        loaded = subprocess.run(
            ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", script.name],
            env=_libpq_environment(connection.settings_dict),
            capture_output=True,
            text=True,
        )
    if loaded.returncode != 0:
        raise SnapshotDidNotLoad(f"the PostgreSQL snapshot did not load: {loaded.stderr[-500:]}")


def _libpq_environment(settings_dict) -> dict:
    environment = {**os.environ, "PGDATABASE": settings_dict["NAME"]}
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if settings_dict.get(key):
            environment[variable] = str(settings_dict[key])
    return environment


# ---- making a snapshot: migrate an empty database with `manage.py migrate`, then dump it ----


def dump_of_a_fresh_migrate(vendor: str) -> str:
    """Migrate a new, empty database of `vendor` from scratch, as `manage.py migrate` does
    under the test settings, and return its dump (without the fingerprint line)."""
    with _empty_database(vendor) as (url, dump):
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": url,
        }
        migrated = subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "migrate", "--noinput", "-v", "0"],
            env=environment,
            capture_output=True,
            text=True,
        )
        if migrated.returncode != 0:
            raise RuntimeError(f"migrate failed:\n{migrated.stdout}\n{migrated.stderr}")
        return dump()


@contextmanager
def _empty_database(vendor: str):
    if vendor == "sqlite":
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / "fresh.sqlite3"

            def dump() -> str:
                with closing(sqlite3.connect(path)) as database:
                    return "\n".join(database.iterdump()) + "\n"

            yield f"sqlite:///{path}", dump
        return
    import psycopg
    from django.conf import settings

    server = {**settings.DATABASES["default"]}
    name = f"dh_snapshot_{os.getpid()}"
    admin_url = server_url(server) + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')

    def dump() -> str:
        dumped = subprocess.run(
            ["pg_dump", "--no-owner", "--no-privileges", "--no-comments"],
            env=_libpq_environment({**server, "NAME": name}),
            capture_output=True,
            text=True,
            check=True,
        )
        return dumped.stdout

    try:
        yield f"{server_url(server)}/{name}", dump
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def server_url(server) -> str:
    """postgres://user[:password]@host:port of a Django database's settings, without the
    database: for connecting to another database on the same server."""
    user, password = server.get("USER") or "postgres", server.get("PASSWORD")
    credentials = f"{user}:{password}" if password else user
    return (
        f"postgres://{credentials}@{server.get('HOST') or '127.0.0.1'}:{server.get('PORT') or 5432}"
    )


# What differs between two dumps of the same migrations: when each migration was applied, the
# random UUIDs data migrations draw (Wagtail's translation keys), pg_dump's version comments
# and the random key of its \restrict guard.
_RANDOM_UUID = re.compile(r"\b[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\b")


def comparable(sql: str) -> str:
    """A dump without what differs between two runs of the same migrations."""
    lines = []
    in_migrations_copy = False
    for line in sql.splitlines():
        if line.startswith(("--", "\\restrict", "\\unrestrict")) or not line.strip():
            continue
        if line.startswith("COPY public.django_migrations "):
            in_migrations_copy = True
        elif in_migrations_copy and line == "\\.":
            in_migrations_copy = False
        elif in_migrations_copy:
            line = line.rsplit("\t", 1)[0] + "\t<applied>"
        elif line.startswith('INSERT INTO "django_migrations" '):
            line = re.sub(r",'[^']*'\);$", ",'<applied>');", line)
        lines.append(_RANDOM_UUID.sub("<uuid>", line))
    return "\n".join(lines)


def write_snapshot(vendor: str) -> Path:
    path = snapshot_path(vendor)
    path.parent.mkdir(exist_ok=True)
    sql = dump_of_a_fresh_migrate(vendor)
    path.write_text(f"{FINGERPRINT_LINE}{migrations_fingerprint()}\n{sql}")
    return path


def main() -> None:
    """`python -m tests.db_snapshot`: remake the snapshot of the engine DATABASE_URL names
    (SQLite without it). `make test-db-snapshot` remakes both."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection

    if connection.vendor == "postgresql" and not shutil.which("pg_dump"):
        raise SystemExit("pg_dump is needed: apt-get install postgresql-client")
    print(f"wrote {write_snapshot(connection.vendor).relative_to(ROOT)}")


if __name__ == "__main__":
    main()
