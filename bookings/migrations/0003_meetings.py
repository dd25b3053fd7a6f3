"""Caseworker meetings (meetings app) on the booking engine: an occurrence is a session date or
a meeting time, and a caseworker can never have two booked meetings at the same time.

That last rule lives in the database: an exclusion constraint on PostgreSQL (btree_gist), and a
trigger on SQLite, whose writers are serialised by IMMEDIATE transactions, so the trigger's
check and the write are one atomic step there too."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

PG_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    """ALTER TABLE bookings_slot ADD CONSTRAINT slot_caseworker_no_overlap
       EXCLUDE USING gist (caseworker_id WITH =, tstzrange(starts_at, ends_at) WITH &&)
       WHERE (caseworker_id IS NOT NULL AND booked + held > 0)""",
]
PG_BACKWARD = ["ALTER TABLE bookings_slot DROP CONSTRAINT IF EXISTS slot_caseworker_no_overlap"]

SQLITE_CHECK = """
    SELECT RAISE(ABORT, 'slot_caseworker_no_overlap')
    WHERE NEW.caseworker_id IS NOT NULL AND NEW.booked + NEW.held > 0 AND EXISTS (
        SELECT 1 FROM bookings_slot AS other
        WHERE other.caseworker_id = NEW.caseworker_id AND other.id != NEW.id
          AND other.booked + other.held > 0
          AND other.starts_at < NEW.ends_at AND other.ends_at > NEW.starts_at
    );
"""
SQLITE_FORWARD = [
    f"""CREATE TRIGGER IF NOT EXISTS slot_caseworker_no_overlap_update
        BEFORE UPDATE OF booked, held, starts_at, ends_at, caseworker_id ON bookings_slot
        BEGIN {SQLITE_CHECK} END""",
    f"""CREATE TRIGGER IF NOT EXISTS slot_caseworker_no_overlap_insert
        BEFORE INSERT ON bookings_slot BEGIN {SQLITE_CHECK} END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS slot_caseworker_no_overlap_update",
    "DROP TRIGGER IF EXISTS slot_caseworker_no_overlap_insert",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("bookings", "0002_occurrence_slot_plan"),
        ("hotspots", "0003_directory_home_page"),
        ("meetings", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="occurrence",
            name="caseworker",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="occurrence",
            name="meeting_service",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="occurrences",
                to="meetings.meetingservicepage",
            ),
        ),
        migrations.AddField(
            model_name="slot",
            name="caseworker",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="occurrence",
            name="session",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="occurrences",
                to="hotspots.sessionpage",
            ),
        ),
        migrations.AddConstraint(
            model_name="occurrence",
            constraint=models.UniqueConstraint(
                condition=models.Q(("meeting_service__isnull", False)),
                fields=("meeting_service", "caseworker", "starts_at"),
                name="occurrence_one_meeting_per_start",
            ),
        ),
        migrations.AddConstraint(
            model_name="occurrence",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("session__isnull", False), ("meeting_service__isnull", True)),
                    models.Q(("session__isnull", True), ("meeting_service__isnull", False)),
                    _connector="OR",
                ),
                name="occurrence_exactly_one_source",
            ),
        ),
        migrations.RunPython(
            _run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        ),
    ]
