"""Transactional tests (live servers, real threads) end with the database emptied and begin by
loading back the rows the migrations made (Django's serialized rollback). Django does both for
any database and any data: about 120 tables truncated, then some 560 rows written back one
`save()` at a time. That cost 0.5-0.9 s per test on PostgreSQL, some 90 times a run.

Here the same two steps are done for what a test database holds: a few rows per table.
- The rows are written back per table in a few multi-row INSERTs, as `save(raw=True)` writes
  them (the table's own columns, primary keys included, no signals), in Django's order and
  inside one transaction with the constraints checked at its end, as before.
- On PostgreSQL the tables are emptied with DELETE rather than TRUNCATE: TRUNCATE gives every
  table new files, which costs more than deleting a handful of rows. Django's foreign keys on
  PostgreSQL are checked at commit (DEFERRABLE INITIALLY DEFERRED), so the order of the
  DELETEs does not matter within the one transaction the flush runs in.

Nothing a test sees changes: the same rows, the same primary keys, sequences left where they
were (Django's flush does not restart them either)."""

from io import StringIO


def install() -> None:
    from django.db.backends.base.creation import BaseDatabaseCreation
    from django.db.backends.postgresql.operations import DatabaseOperations

    row_by_row = BaseDatabaseCreation.deserialize_db_from_string

    def deserialize_db_from_string(self, data):
        # The first transactional test of a process finds the rows still there (nothing has
        # emptied the database yet): Django's own restore then updates them in place.
        if _is_empty(self.connection):
            _deserialize_in_bulk(self, data)
        else:
            row_by_row(self, data)

    BaseDatabaseCreation.deserialize_db_from_string = deserialize_db_from_string
    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade or not tables:
            return truncate(
                self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        return [f"DELETE FROM {self.quote_name(table)};" for table in tables]

    DatabaseOperations.sql_flush = sql_flush


def _is_empty(connection) -> bool:
    from django.contrib.contenttypes.models import ContentType

    # Every migrated database has content types; an emptied one has none.
    return not ContentType.objects.using(connection.alias).exists()


def _deserialize_in_bulk(self, data):
    from django.core import serializers
    from django.db import transaction

    alias = self.connection.alias
    rows_by_model = {}  # in the order the serializer wrote them: dependencies first
    with_many_to_many = []
    with transaction.atomic(using=alias):
        with self.connection.constraint_checks_disabled():
            for deserialized in serializers.deserialize("json", StringIO(data), using=alias):
                rows_by_model.setdefault(type(deserialized.object), []).append(deserialized.object)
                if deserialized.m2m_data:
                    with_many_to_many.append(deserialized)
            for model, objects in rows_by_model.items():
                # What save(raw=True) writes: this table's own columns (a page type's row
                # holds its page pointer, the page itself is a row of its own model above).
                fields = model._meta.local_concrete_fields
                batch = max(self.connection.ops.bulk_batch_size(fields, objects), 1)
                for start in range(0, len(objects), batch):
                    model._base_manager.using(alias)._insert(
                        objects[start : start + batch], fields=fields, raw=True, using=alias
                    )
            for deserialized in with_many_to_many:
                for accessor, related in deserialized.m2m_data.items():
                    getattr(deserialized.object, accessor).set(related)
        self.connection.check_constraints(
            table_names=[model._meta.db_table for model in rows_by_model]
        )
