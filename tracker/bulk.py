"""Fast inserts of many rows for the importer and the data generator.

bulk_create spends most of its time compiling SQL value by value (two thirds of a large run); rows
that our own code built and validated go to the driver directly: binary COPY on PostgreSQL, INSERTs
of many rows each on SQLite. Callers run inside a transaction.
"""

import datetime
import json
from itertools import chain
from operator import attrgetter
from types import SimpleNamespace

from django.db import connection

_ROW_TYPES: dict = {}


def record(model, **values) -> SimpleNamespace:
    """Return a plain object with a row's column values (field defaults filled in) and any extras.

    Ten times cheaper to make than a model instance, for rows that only go to `insert_rows`.
    """
    row_type = _ROW_TYPES.get(model)
    if row_type is None:
        # The defaults are the class's attributes: an instance holds only the values it was given.
        defaults = {f.attname: f.get_default() for f in model._meta.concrete_fields if not f.generated}
        row_type = _ROW_TYPES[model] = type(f"{model.__name__}Row", (SimpleNamespace,), defaults)
    return row_type(**values)


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
    kinds = [f.get_internal_type() for f in fields]
    if not isinstance(rows[0], tuple):
        # One C call a row rather than a getattr per column: a large import has millions of values.
        rows = [
            row if isinstance(row, tuple) else (row,)
            for row in map(attrgetter(*(f.attname for f in fields)), rows)
        ]
    # A file field's value on an instance is a FieldFile; the column holds its name.
    convert = [(i, _file_name) for i, kind in enumerate(kinds) if kind == "FileField"]
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    columns = ", ".join(qn(f.column) for f in fields)
    if connection.vendor == "postgresql":
        # Binary COPY: psycopg writes each value with its type's C dumper and the server reads it
        # without parsing text (JSON values go as Python objects to jsonb's dumper, with our encoder).
        from psycopg.types.json import set_json_dumps  # the driver of PostgreSQL only

        types = [f.db_type(connection).split("(")[0] for f in fields]
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)") as copy,
        ):
            set_json_dumps(_to_json, context=cursor.cursor)
            copy.set_types(types)
            for row in _converted(rows, convert):
                copy.write_row(row)
        return
    convert += [(i, _to_json) for i, kind in enumerate(kinds) if kind == "JSONField"]
    convert += [(i, _isoformat) for i, kind in enumerate(kinds) if kind == "DateField"]
    # Most rows of one insert share a few timestamps: each is converted once.
    timestamps = _Converted(connection.ops.adapt_datetimefield_value)
    if str(connection.timezone) == "UTC":  # aware values in UTC: skip the general conversion
        timestamps = _Converted(_utc_text)
    convert += [(i, timestamps.__getitem__) for i, kind in enumerate(kinds) if kind == "DateTimeField"]
    rows = _converted(rows, convert)
    # Many rows a statement: SQLite opens the table's and its indexes' cursors once a statement,
    # and row by row that was a third of its work. 999 parameters a statement suit any build.
    per = max(1, 999 // len(fields))
    whole = len(rows) - len(rows) % per
    marks = "(" + ", ".join(["%s"] * len(fields)) + ")"
    insert = f"INSERT INTO {table} ({columns}) VALUES "
    with connection.cursor() as cursor:
        if whole:
            chunks = [list(chain.from_iterable(rows[i : i + per])) for i in range(0, whole, per)]
            cursor.executemany(insert + ", ".join([marks] * per), chunks)
        if whole < len(rows):
            cursor.execute(
                insert + ", ".join([marks] * (len(rows) - whole)), list(chain.from_iterable(rows[whole:]))
            )


def _converted(rows, convert) -> list:
    """Return the rows with their (column index, function) conversions applied."""
    if not convert:
        return rows
    out = []
    for row in rows:
        row = list(row)
        for i, function in convert:
            row[i] = function(row[i])
        out.append(row)
    return out


class _Converted(dict):
    """Values converted by a function, each once: converted[value]."""

    def __init__(self, function):
        super().__init__()
        self.function = function

    def __missing__(self, value):
        self[value] = converted = self.function(value)
        return converted


def _utc_text(value) -> str | None:
    return None if value is None else str(value.astimezone(datetime.UTC).replace(tzinfo=None))


def _isoformat(value) -> str | None:
    return None if value is None else value.isoformat()


_encode = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps without its checks per call


def _to_json(value) -> str:
    # An item without targets or without departments: about a third of the values an import writes.
    return "[]" if value == [] else _encode(value)


def _file_name(value) -> str:
    return getattr(value, "name", value) or ""
