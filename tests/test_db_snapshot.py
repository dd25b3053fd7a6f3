"""The snapshot test databases are loaded from (tests/db_snapshot.py) is what the migrations
make, on the engine of the run."""

import difflib

import pytest
from django.db import connection

from tests import db_snapshot


def test_the_snapshot_is_current():
    """A changed migration (or a library upgrade that brings one) needs a new snapshot; until
    then the test databases are migrated, which is slower but right."""
    assert db_snapshot.current_snapshot(connection.vendor) is not None, (
        f"tests/db_snapshots/{connection.vendor}.sql was made from other migrations:"
        f" run `{db_snapshot.REMAKE}` and commit it"
    )


@pytest.mark.slow
def test_the_snapshot_is_what_the_migrations_make():
    """`manage.py migrate` from an empty database, every run: the migrations still run from
    scratch on this engine, and the test databases hold exactly what they make (tables,
    indexes, constraints, triggers, sequences and the rows the data migrations write)."""
    made_now = db_snapshot.comparable(db_snapshot.dump_of_a_fresh_migrate(connection.vendor))
    kept = db_snapshot.comparable(db_snapshot.snapshot_path(connection.vendor).read_text())
    if made_now != kept:
        difference = difflib.unified_diff(
            kept.splitlines(), made_now.splitlines(), "snapshot", "migrate now", lineterm="", n=1
        )
        pytest.fail(
            f"run `{db_snapshot.REMAKE}` and commit it:\n" + "\n".join(list(difference)[:40])
        )
