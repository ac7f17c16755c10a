"""Fast inserts of many rows for the importer and the data generator.

bulk_create spends most of its time compiling SQL value by value (two thirds of a large run); rows
that our own code built and validated go to the driver directly: COPY on PostgreSQL, executemany
on SQLite. Callers run inside a transaction.
"""

import datetime
import json
from operator import attrgetter
from types import SimpleNamespace

from django.db import connection

_DEFAULTS: dict = {}


def record(model, **values) -> SimpleNamespace:
    """Return a plain object with a row's column values (field defaults filled in) and any extras.

    Ten times cheaper to make than a model instance, for rows that only go to `insert_rows`.
    """
    if model not in _DEFAULTS:
        _DEFAULTS[model] = {
            f.attname: f.get_default() for f in model._meta.concrete_fields if not f.generated
        }
    return SimpleNamespace(**{**_DEFAULTS[model], **values})


def reserve_ids(model, n: int) -> list[int]:
    """Take `n` fresh primary keys for `model` (call inside the transaction that inserts them)."""
    if n <= 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The sequence is looked up once: as nextval's argument it was looked up for every id, in
            # the catalogue, and took three quarters of the time (90 ms for 30,000 ids).
            cursor.execute(
                "WITH s AS MATERIALIZED (SELECT pg_get_serial_sequence(%s, %s)::regclass AS seq)"
                " SELECT nextval(s.seq) FROM s, generate_series(1, %s)",
                [table, model._meta.pk.column, n],
            )
            return [row[0] for row in cursor.fetchall()]
        # SQLite writes one transaction at a time (ours start IMMEDIATE), so the ids after the
        # highest used or ever handed out (sqlite_sequence) are ours until we commit.
        qn = connection.ops.quote_name
        cursor.execute(f"SELECT MAX({qn(model._meta.pk.column)}) FROM {qn(table)}")
        top = cursor.fetchone()[0] or 0
        try:
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
        except Exception:  # no AUTOINCREMENT table yet
            row = None
        top = max(top, row[0] if row and row[0] else 0)
    return list(range(top + 1, top + 1 + n))


def insert_rows(model, rows, *, ids: bool = True):
    """Insert model instances (or tuples in column order), every column given.

    With ids=False the primary key is left out and the database numbers the rows: for rows nothing
    refers to, such as journal entries, which then need no reserve_ids().
    """
    if not rows:
        return
    fields = [f for f in model._meta.concrete_fields if not f.generated and (ids or not f.primary_key)]
    if not isinstance(rows[0], tuple):
        # One C call a row rather than a getattr per column: a large import has millions of values.
        rows = [
            row if isinstance(row, tuple) else (row,)
            for row in map(attrgetter(*(f.attname for f in fields)), rows)
        ]
        # A file field's value on an instance is a FieldFile; the column holds its name.
        files = [i for i, f in enumerate(fields) if f.get_internal_type() == "FileField"]
        if files:
            rows = [tuple(_file_name(v) if i in files else v for i, v in enumerate(row)) for row in rows]
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    columns = ", ".join(qn(f.column) for f in fields)
    json_at = [i for i, f in enumerate(fields) if f.get_internal_type() == "JSONField"]
    if connection.vendor == "postgresql":
        # Binary COPY: psycopg writes each value with its type's C dumper and the server reads it
        # without parsing text (JSON values go as Python objects to jsonb's own dumper).
        types = [f.db_type(connection).split("(")[0] for f in fields]
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)") as copy,
        ):
            copy.set_types(types)
            for row in rows:
                copy.write_row(row)
        return
    datetime_at = [i for i, f in enumerate(fields) if f.get_internal_type() == "DateTimeField"]
    date_at = [i for i, f in enumerate(fields) if f.get_internal_type() == "DateField"]
    adapt = connection.ops.adapt_datetimefield_value
    if str(connection.timezone) == "UTC":  # aware values in UTC: skip the general conversion

        def adapt(value):
            if value is None:
                return None
            return str(value.astimezone(datetime.UTC).replace(tzinfo=None))

    adapted: dict = {}  # most rows of one insert share a few timestamps
    prepared = []
    for row in rows:
        row = list(row)
        for i in json_at:
            row[i] = _to_json(row[i])
        for i in datetime_at:
            value = row[i]
            if value not in adapted:
                adapted[value] = adapt(value)
            row[i] = adapted[value]
        for i in date_at:
            if row[i] is not None:
                row[i] = row[i].isoformat()
        prepared.append(row)
    marks = ", ".join(["%s"] * len(fields))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", prepared)


_to_json = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps without its checks per call


def _file_name(value) -> str:
    return getattr(value, "name", value) or ""
