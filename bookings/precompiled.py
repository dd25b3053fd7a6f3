"""The booking request's statements, compiled by the ORM once per connection and then re-run.

Why: the booking POST is the busiest request of the site (bench/booking_http.py), and most of
its CPU went to the ORM building and compiling the same ten statements anew on every request
(Query clones, build_filter, resolve_expression, SQLCompiler.as_sql), not to the database or
to the rules. The statements never change, only their values do.

How, without a second way of writing the SQL: each statement here is still the ORM's own. The
first time a connection needs one, its queryset is built with marker values where the
request's values go and compiled as usual; the SQL is kept with the positions of the markers
among its parameters, and later runs put the real values there. What the ORM does after the
SQL (building model instances from a row, with their select_related parents; converting
values on SQLite) is done with the ORM's own helpers from the same compile. So a statement
cannot drift from the models it reads, and tests/bookings/test_precompiled.py checks on both
databases that each gives what the plain ORM call gives.

`insert(obj)` is Model.save(force_insert=True) for a plain model (no parent tables) without
compiling its INSERT on every call: the SQL is the ORM's from the first compile, the values
are prepared by the fields as save() prepares them, and pre_save/post_save are sent as save()
sends them, so receivers see no difference.

On PostgreSQL they run on a cursor of their own that binds the values on the server and, where
connections live on, prepares each statement once (`_cursor`); every other query keeps Django's
client-side binding.

Only plain values may be passed in: model instances, expressions or lists need the ORM."""

import copy
from collections.abc import Callable
from typing import Any, NamedTuple

from django.db import connections, transaction
from django.db.models.query import _get_from_db, get_related_populators
from django.db.models.signals import post_save, pre_save
from django.db.models.sql import InsertQuery, UpdateQuery

# Compiled statements live on the connection wrapper they were compiled for (one per thread; a
# connection that closes and opens again keeps its wrapper and its statements).
_ATTRIBUTE = "_precompiled_statements"


def _compiled(connection, key, compile_: Callable):
    per_connection = connection.__dict__.get(_ATTRIBUTE)
    if per_connection is None:
        per_connection = connection.__dict__[_ATTRIBUTE] = {}
    compiled = per_connection.get(key)
    if compiled is None:
        compiled = per_connection[key] = compile_(connection)
    return compiled


def _cursor(connection):
    """connection.cursor(); on PostgreSQL one that sends the values apart from the SQL.

    Django's cursors bind on the client: psycopg quotes every value into the SQL text in Python
    and PostgreSQL parses and plans the whole text anew on every run. These statements are the
    same text every time, so here they are bound on the server and, with the connection's
    prepare_threshold (config.settings: DATABASE_PREPARED_STATEMENTS), prepared once per
    connection: less CPU in the worker and in PostgreSQL. The cursor is wrapped as
    connection.cursor() wraps its own, so query logging, execute_wrapper() and the error
    translation see it as any other."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    from django.db.backends.postgresql.base import (
        TIMESTAMPTZ_OID,
        Format,
        ServerBindingCursor,
        register_tzloader,
    )

    connection.close_if_health_check_failed()
    connection.ensure_connection()
    with connection.wrap_database_errors:
        raw = connection.connection
        cursor = ServerBindingCursor(raw)
        # As DatabaseWrapper.create_cursor: the time zone's loader, where the connection's differs.
        if raw.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT).timezone != connection.timezone:
            register_tzloader(connection.timezone, cursor)
        return connection._prepare_cursor(cursor)


class _Markers:
    """Stand-ins for the run-time values, told apart from anything the ORM adds to the
    parameters (constants such as a status, a separator, a path step length)."""

    def __init__(self, kinds: dict[str, type]):
        self.by_name = {}
        for n, (name, kind) in enumerate(kinds.items()):
            if kind is int:
                self.by_name[name] = -2_147_000_000 - n  # inside a 32-bit integer column's range
            elif kind is str:
                self.by_name[name] = f"\x00precompiled marker {n}\x00"
            else:
                raise TypeError(f"a precompiled value is an int or a str, not {kind}")

    def positions(self, params) -> list[tuple[int, str]]:
        found = []
        for name, marker in self.by_name.items():
            at = [
                i
                for i, value in enumerate(params)
                if type(value) is type(marker) and value == marker
            ]
            if not at:
                raise ValueError(f"the compiled statement does not use {name!r}")
            found += [(i, name) for i in at]
        return found


class _Statement(NamedTuple):
    """A compiled statement: its SQL, its parameters with markers, where the markers are."""

    compiler: Any
    sql: str
    params: tuple
    positions: list[tuple[int, str]]

    def params_for(self, values: dict) -> list:
        params = list(self.params)
        for index, name in self.positions:
            params[index] = values[name]
        return params


class _Select(NamedTuple):
    """A compiled SELECT and what ModelIterable needs to build its row's instances."""

    statement: _Statement
    from_db: Callable
    attnames: list[str]
    start: int
    end: int
    converters: Any
    populators: list
    annotations: tuple


class Precompiled:
    """One ORM statement. `build(**values)` returns the QuerySet; `kinds` names its run-time
    values and their types (int or str). Then, as the QuerySet would:
    `first(**values)` (a model instance or None), `exists(**values)`, `update(fields, **values)`
    (the row count of queryset.update(**fields), where `fields` is fixed: it is compiled)."""

    def __init__(self, build: Callable, **kinds: type):
        self.build = build
        self.kinds = kinds

    def _prepare(self, connection, make_compiler) -> tuple[_Statement, Any]:
        markers = _Markers(self.kinds)
        queryset = self.build(**markers.by_name)
        compiler = make_compiler(queryset, connection)
        sql, params = compiler.as_sql()
        return _Statement(compiler, sql, tuple(params), markers.positions(params)), queryset

    # --- SELECT of model instances -----------------------------------------------------------

    def _compile_select(self, connection):
        def make(queryset, connection):
            return queryset.query.get_compiler(connection=connection)

        statement, queryset = self._prepare(connection, make)
        compiler = statement.compiler
        fetch_mode = queryset._fetch_mode
        if fetch_mode.track_peers:
            # Its populators would keep every row of every request as peers.
            raise ValueError("a fetch mode that tracks peers needs the ORM")
        select = compiler.select
        klass_info = compiler.klass_info
        fields = klass_info["select_fields"]
        start, end = fields[0], fields[-1] + 1
        attnames = [column[0].target.attname for column in select[start:end]]
        converters = compiler.get_converters([column[0] for column in select])
        # As ModelIterable builds a row's instances, with the same helpers.
        populators = get_related_populators(klass_info, select, connection.alias, fetch_mode)
        annotations = tuple(compiler.annotation_col_map.items())
        from_db = _get_from_db(klass_info["model"], fetch_mode)
        return _Select(
            statement, from_db, attnames, start, end, converters, populators, annotations
        )

    def first(self, using: str = "default", **values):
        """The first row as the queryset would give it (its select_related parents and
        annotations included), or None."""
        connection = connections[using]
        select = _compiled(connection, (id(self), "select"), self._compile_select)
        statement = select.statement
        with _cursor(connection) as cursor:
            cursor.execute(statement.sql, statement.params_for(values))
            row = cursor.fetchone()
        if row is None:
            return None
        if select.converters:
            row = next(iter(statement.compiler.apply_converters([row], select.converters)))
        obj = select.from_db(using, select.attnames, row[select.start : select.end])
        for populator in select.populators:
            populator.populate(row, obj)
        for name, position in select.annotations:
            setattr(obj, name, row[position])
        return obj

    # --- EXISTS ----------------------------------------------------------------------------

    def _compile_exists(self, connection):
        def make(queryset, connection):
            return queryset.query.exists().get_compiler(connection=connection)

        return self._prepare(connection, make)[0]

    def exists(self, using: str = "default", **values) -> bool:
        connection = connections[using]
        statement = _compiled(connection, (id(self), "exists"), self._compile_exists)
        with _cursor(connection) as cursor:
            cursor.execute(statement.sql, statement.params_for(values))
            return cursor.fetchone() is not None

    # --- UPDATE ----------------------------------------------------------------------------

    def update(self, fields: dict, using: str = "default", **values) -> int:
        """queryset.update(**fields): `fields` must be the same on every call (it is part of
        the compiled statement; an F() expression, say)."""
        connection = connections[using]

        def compile_update(connection):
            def make(queryset, connection):
                # As QuerySet.update() builds it.
                query = queryset.query.chain(UpdateQuery)
                query.add_update_values(fields)
                query.annotations = {}
                return query.get_compiler(connection=connection)

            statement, _queryset = self._prepare(connection, make)
            if statement.compiler.query.related_updates:
                raise ValueError("an update of parent tables needs the ORM")
            return statement

        statement = _compiled(connection, (id(self), "update", tuple(fields)), compile_update)
        rollback_on_error = transaction.mark_for_rollback_on_error(using=using)
        with rollback_on_error, _cursor(connection) as cursor:
            cursor.execute(statement.sql, statement.params_for(values))
            return cursor.rowcount


# --- INSERT --------------------------------------------------------------------------------


def _compile_insert(obj, fields, returning, on_conflict, connection):
    # The SQL of a one-row INSERT of plain values does not depend on the values.
    query = InsertQuery(obj.__class__, **on_conflict)
    query.insert_values(fields, [obj], raw=False)
    compiler = query.get_compiler(connection=connection)
    compiler.returning_fields = returning
    [(sql, _params)] = compiler.as_sql()
    table = obj._meta.db_table
    converters = compiler.get_converters([field.get_col(table) for field in returning])
    return compiler, sql, converters


def insert(
    obj,
    *,
    using: str = "default",
    update_conflicts_on: tuple[str, ...] = (),
    update_fields: tuple[str, ...] = (),
) -> None:
    """obj.save(force_insert=True) for a model without parent tables, compiled once.

    With `update_conflicts_on`: the row replaces one with the same values in those (unique)
    fields, updating `update_fields`, as bulk_create(update_conflicts=True, …) does; the
    statement then returns nothing, so obj's pk is only known if it was set."""
    cls = obj.__class__
    meta = cls._meta
    if meta.parents or meta.proxy:
        raise TypeError("insert() is for plain models: this one has parent tables")
    connection = connections[using]
    if not connection.features.can_return_columns_from_insert:
        raise NotImplementedError("insert() needs INSERT … RETURNING (PostgreSQL, SQLite)")
    obj._prepare_related_fields_for_save(operation_name="save")
    pre_save.send(sender=cls, instance=obj, raw=False, using=using, update_fields=None)
    # As Model._save_table: a primary key with a default on save (a UUID) gets it now.
    if not obj._is_pk_set(meta):
        setattr(obj, meta.pk.attname, meta.pk.get_pk_value_on_save(obj))
    pk_set = obj._is_pk_set(meta)
    fields = tuple(
        f
        for f in meta.local_concrete_fields
        if not f.generated and (pk_set or f is not meta.auto_field)
    )
    returning = () if update_conflicts_on else tuple(meta.db_returning_fields)
    on_conflict = {}
    if update_conflicts_on:
        from django.db.models.constants import OnConflict

        on_conflict = {
            "on_conflict": OnConflict.UPDATE,
            "update_fields": [meta.get_field(name) for name in update_fields],
            "unique_fields": [meta.get_field(name) for name in update_conflicts_on],
        }
    params = []
    for field in fields:
        # As SQLInsertCompiler.pre_save_val and prepare_value do (auto_now fills in here).
        value = field.pre_save(obj, add=True)
        if hasattr(value, "resolve_expression"):
            # Before anything is compiled: an expression would change the SQL kept for all.
            raise TypeError(f"{field.name}: an expression needs the ORM's save()")
        params.append(field.get_db_prep_save(value, connection=connection))
    compiler, sql, converters = _compiled(
        connection,
        ("insert", cls, fields, returning, update_conflicts_on, update_fields),
        # On a copy: compiling runs pre_save again, which must not move obj's auto_now values
        # away from the ones in `params`.
        lambda c: _compile_insert(copy.copy(obj), list(fields), list(returning), on_conflict, c),
    )
    rollback_on_error = transaction.mark_for_rollback_on_error(using=using)
    with rollback_on_error, _cursor(connection) as cursor:
        cursor.execute(sql, params)
        if returning:
            row = cursor.fetchone()
            if converters:
                row = next(iter(compiler.apply_converters([row], converters)))
            for field, value in zip(returning, row, strict=True):
                setattr(obj, field.attname, value)
    obj._state.db = using
    obj._state.adding = False
    post_save.send(
        sender=cls, instance=obj, created=True, update_fields=None, raw=False, using=using
    )
