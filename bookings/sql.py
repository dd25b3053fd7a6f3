"""Set-based writes that skip the ORM's per-object work.

`insert_select`: INSERT … SELECT from a queryset, behind the bulk API (bookings.services.bulk)
and the SMS bulk enqueue (sms.services.bulk). No row passes through Python, which is what keeps
10,000 rows inside two seconds on a busy two-core machine (bulk_create spends about that long
building 10,000 model instances).

`insert_ignoring_conflicts`: many rows built in Python (the materialiser's dates and slots),
written with COPY on PostgreSQL and executemany on SQLite."""

from datetime import UTC

from django.db import connection


def insert_select(model, *, select: dict, source, now, tail: str = "", tail_params=()) -> int:
    """INSERT INTO <model> (…) SELECT … FROM (<source queryset>) src [tail]; returns the rows
    written.

    `select` maps field names to (SQL over the `src` columns, params); every other column gets
    its model default (auto_now fields: `now`), so a column added to the model later with a
    default does not break the statement."""
    source_sql, source_params = source.query.sql_with_params()
    quote = connection.ops.quote_name
    columns, expressions, params = [], [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(quote(field.column))
        if field.name in select:
            sql, values = select[field.name]
            expressions.append(sql)
            params.extend(values)
        else:
            expressions.append("%s")
            auto = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
            default = now if auto else field.get_default()
            params.append(field.get_db_prep_save(default, connection))
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(columns)}) "
        f"SELECT {', '.join(expressions)} FROM ({source_sql}) src {tail}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *source_params, *tail_params])
        return cursor.rowcount


def constant(model, field_name: str, value) -> tuple[str, list]:
    """A constant for `select`, prepared as the field would save it."""
    field = model._meta.get_field(field_name)
    return ("%s", [field.get_db_prep_save(value, connection)])


def _fast_datetime_adapter():
    """SQLite stores aware datetimes as naive UTC text; Django's adapter gets there through
    several generic checks per value, which is a third of a full run. Same result, directly."""
    if connection.vendor != "sqlite" or connection.timezone_name != "UTC":
        return None
    return lambda value: value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")


def insert_ignoring_conflicts(model, field_names, rows, *, batch_size=2000) -> None:
    """INSERT … ON CONFLICT DO NOTHING, in bulk. The ORM's bulk_create spends most of its time
    compiling SQL per object; a full run writes tens of thousands of rows. On PostgreSQL the rows
    are COPYed into a temporary table and inserted from there (several times faster than
    executemany); on SQLite executemany runs in C. Either way a concurrent run that inserted the
    same rows first (materialising: the same session date or slot start) is simply skipped."""
    if not rows:
        return
    fields = [model._meta.get_field(name) for name in field_names]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(f.column) for f in fields)
    if connection.vendor == "postgresql":
        scratch = quote(f"materialise_{model._meta.model_name}")
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMPORARY TABLE {scratch} ON COMMIT DROP AS "
                f"SELECT {columns} FROM {table} WITH NO DATA"
            )
            with cursor.cursor.copy(f"COPY {scratch} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {scratch} "
                "ON CONFLICT DO NOTHING"
            )
            cursor.execute(f"DROP TABLE {scratch}")
        return
    adapters = []
    for field in fields:
        internal = field.get_internal_type()
        if internal == "DateTimeField":
            adapters.append(_fast_datetime_adapter() or connection.ops.adapt_datetimefield_value)
        elif internal == "DateField":
            adapters.append(connection.ops.adapt_datefield_value)
        else:
            adapters.append(None)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders}) ON CONFLICT DO NOTHING"
    prepared = [
        tuple(adapt(v) if adapt else v for adapt, v in zip(adapters, row, strict=True))
        for row in rows
    ]
    with connection.cursor() as cursor:
        for index in range(0, len(prepared), batch_size):
            cursor.executemany(sql, prepared[index : index + batch_size])
