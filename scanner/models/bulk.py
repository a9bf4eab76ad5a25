"""Many rows written in a few statements, whatever their number.

Django's bulk methods on PostgreSQL quote every value into the SQL in Python (psycopg's
client-side binding): ``bulk_create(update_conflicts=True)`` builds one array per
column, and ``bulk_update`` one ``CASE WHEN pk = … THEN …`` expression per row and
field. For the thousands of rows a scan stores, that is a large share of the scan's
CPU. Here, on PostgreSQL, the rows go by ``COPY`` (formatted by psycopg's C code) into a
temporary table shaped like the model's, and one statement takes them from there:

- ``upsert``: ``INSERT … SELECT … ON CONFLICT DO UPDATE``;
- ``insert``: ``INSERT … SELECT … RETURNING`` the ids;
- ``update_fields``: ``UPDATE … FROM`` the temporary table. Not ``UPDATE … FROM
  (VALUES …)``: psycopg parses that long query anew each time.

Each costs far less CPU than the Django method it replaces (bench/README.md, "Why the
code is shaped so"). Fewer rows than ``STAGED_FROM`` (an item on a worker) go as a
``VALUES`` list of parameters in that one statement.

On SQLite (``make run``'s default), ``update_fields`` is one ``UPDATE … FROM`` a
``VALUES`` list of parameters a few hundred rows at a time; ``upsert`` and ``insert``
keep Django's ``bulk_create``, which binds parameters as cheaply. Any other database keeps
Django's bulk methods, with ``bulk_update`` in small batches: its cost grows with the
square of the batch. SQLite
stores a string of any length in a ``varchar(n)`` column, so a value too long for its
field is refused here, as PostgreSQL refuses it: both databases behave alike.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import DataError, connections, models, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper
from django.db.models import Field, Model
from django.db.models.options import Options

# Batch sizes where Django's bulk methods are still used: bulk_update slows down sharply
# with bigger batches (bench/README.md, "Why the code is shaped so").
BULK_UPDATE_BATCH = 100
UPSERT_BATCH = 1000
# Rows from which a temporary table is cheaper than a VALUES list (bench/README.md).
STAGED_FROM = 20
# SQLite's UPDATE … FROM (3.33, 2020); an older library keeps Django's bulk_update.
UPDATE_FROM_SQLITE = (3, 33, 0)
SQLITE_PARAMS = 999  # parameters a statement takes, when the backend does not say


def upsert(
    objs: Sequence[Model], unique_fields: Sequence[str], update_fields: Sequence[str]
) -> None:
    """Insert ``objs`` (all of one model, new); a row that has one's ``unique_fields``
    already gets its ``update_fields`` from it. Like ``bulk_create(update_conflicts=
    True)``: no signals; the objects' primary keys are not set."""
    if not objs:
        return
    model = type(objs[0])
    alias = router.db_for_write(model)
    connection = connections[alias]
    if connection.vendor != "postgresql":
        _refuse_too_long(objs, [f.name for f in model._meta.concrete_fields])
        model._default_manager.bulk_create(
            objs,
            update_conflicts=True,
            unique_fields=unique_fields,
            update_fields=update_fields,
            batch_size=UPSERT_BATCH,
        )
        return
    meta = model._meta
    quote = connection.ops.quote_name
    conflict = ", ".join(quote(_column(_field(meta, name))) for name in unique_fields)
    sets = ", ".join(
        f"{quote(column)} = EXCLUDED.{quote(column)}"
        for column in (_column(_field(meta, name)) for name in update_fields)
    )
    _insert_rows(objs, alias, f"ON CONFLICT ({conflict}) DO UPDATE SET {sets}")


def insert(objs: Sequence[Model], key: Sequence[str]) -> None:
    """Insert ``objs`` (all of one model, new) and set their primary keys, matched by
    ``key`` (names of fields unique together). Like ``bulk_create``: no signals."""
    if not objs:
        return
    model = type(objs[0])
    alias = router.db_for_write(model)
    connection = connections[alias]
    if connection.vendor != "postgresql":
        _refuse_too_long(objs, [f.name for f in model._meta.concrete_fields])
        model._default_manager.bulk_create(objs, batch_size=UPSERT_BATCH)
        return
    meta = model._meta
    key_fields = [_field(meta, name) for name in key]
    returned = ", ".join(connection.ops.quote_name(_column(f)) for f in [meta.pk, *key_fields])
    inserted = _insert_rows(objs, alias, f"RETURNING {returned}")
    ids = {tuple(values): pk for pk, *values in inserted}
    # Matched by the key as the database holds it (a file name that is not UTF-8 is
    # stored escaped).
    savers = [_saver(field, connection, pre_save=False) for field in key_fields]
    for obj in objs:
        obj.pk = ids[tuple(save(obj) for save in savers)]
        obj._state.adding, obj._state.db = False, alias


def update_fields(objs: Sequence[Model], fields: Sequence[str]) -> None:
    """Save ``fields`` of every object in ``objs`` (all of one model, all saved before).
    Like ``Model.objects.bulk_update``: no signals, no ``auto_now``."""
    if not objs:
        return
    model = type(objs[0])
    alias = router.db_for_write(model)
    connection = connections[alias]
    if connection.vendor == "sqlite" and sqlite3.sqlite_version_info >= UPDATE_FROM_SQLITE:
        _refuse_too_long(objs, fields)
        _update_from_values(objs, fields, alias)
        return
    if connection.vendor != "postgresql":
        _refuse_too_long(objs, fields)
        model._default_manager.bulk_update(objs, fields, batch_size=BULK_UPDATE_BATCH)
        return
    meta = model._meta
    columns = [_field(meta, name) for name in fields]
    quote = connection.ops.quote_name
    sets = ", ".join(f"{quote(_column(c))} = s.{quote(_column(c))}" for c in columns)
    pk = quote(_column(meta.pk))
    with _rows(objs, [meta.pk, *columns], alias, pre_save=False) as (cursor, table, rows, params):
        cursor.execute(
            f"UPDATE {table} AS t SET {sets} FROM {rows} WHERE t.{pk} = s.{pk}",  # noqa: S608
            params,
        )


def _update_from_values(objs: Sequence[Model], fields: Sequence[str], alias: str) -> None:
    """SQLite's ``update_fields``: ``WITH s (…) AS (VALUES …) UPDATE … FROM s``, as many
    rows a statement as its parameters allow. Django's ``bulk_update`` builds a ``CASE
    WHEN pk = … THEN …`` expression per row and field and resolves each in Python: on
    the default SQLite a sixth of a first scan's CPU (bench/RESULTS.md, "The default
    path"); this binds the same values, prepared as ``bulk_update`` prepares them
    (``get_db_prep_save``), and writes the same rows."""
    connection = connections[alias]
    meta = type(objs[0])._meta
    columns = [meta.pk, *(_field(meta, name) for name in fields)]
    quote = connection.ops.quote_name
    names = [quote(_column(column)) for column in columns]
    sets = ", ".join(f"{name} = s.{name}" for name in names[1:])
    table, pk = quote(meta.db_table), names[0]
    savers = [_saver(column, connection, pre_save=False) for column in columns]
    row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    limit = connection.features.max_query_params or SQLITE_PARAMS
    per_statement = max(1, limit // len(columns))
    with transaction.atomic(using=alias, savepoint=False), connection.cursor() as cursor:
        for start in range(0, len(objs), per_statement):
            batch = objs[start : start + per_statement]
            cursor.execute(
                f"WITH s ({', '.join(names)}) AS (VALUES {', '.join([row] * len(batch))}) "  # noqa: S608
                f"UPDATE {table} SET {sets} FROM s WHERE {table}.{pk} = s.{pk}",
                [save(obj) for obj in batch for save in savers],
            )


def _field(meta: Options[Any], name: str) -> Field[Any, Any]:
    """The field ``name`` of a model, one with a column (a reverse relation has none)."""
    field = meta.get_field(name)
    if not isinstance(field, Field):
        raise TypeError(f"{meta.label}.{name} is a relation from another model, not a field")
    return field


def _column(field: Field[Any, Any]) -> str:
    """The field's column; a field without one (a many-to-many) has nothing to write."""
    if field.column is None:
        raise TypeError(f"{field} has no column")
    return field.column


def _refuse_too_long(objs: Sequence[Model], names: Sequence[str]) -> None:
    """A ``DataError`` for a string longer than its field's ``max_length``, before anything
    is written (what PostgreSQL's ``varchar(n)`` does; SQLite would store it whole)."""
    meta = type(objs[0])._meta
    bounded = [
        (field.attname, field.max_length)
        for field in (meta.get_field(name) for name in names)
        if isinstance(field, models.CharField) and field.max_length
    ]
    for obj in objs:
        for attname, limit in bounded:
            value = getattr(obj, attname)
            if isinstance(value, str) and len(value) > limit:
                raise DataError(
                    f"{meta.label}.{attname}: a value of {len(value)} characters is longer "
                    f"than its column's {limit}"
                )


def _insert_rows(objs: Sequence[Model], alias: str, tail: str) -> list[tuple[Any, ...]]:
    """``INSERT`` of every field of ``objs`` but the primary key, as bulk_create would
    (``pre_save``), then ``tail`` (``ON CONFLICT …``, ``RETURNING …``); the rows it
    returns, if any."""
    connection = connections[alias]
    meta = type(objs[0])._meta
    fields = [field for field in meta.concrete_fields if not field.primary_key]
    columns = ", ".join(connection.ops.quote_name(_column(field)) for field in fields)
    with _rows(objs, fields, alias, pre_save=True) as (cursor, table, rows, params):
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {rows} {tail}",  # noqa: S608
            params,
        )
        return cursor.fetchall() if cursor.description else []


@contextmanager
def _rows(
    objs: Sequence[Model], fields: Sequence[Field[Any, Any]], alias: str, *, pre_save: bool
) -> Iterator[tuple[CursorWrapper, str, str, list[Any]]]:
    """``fields`` of ``objs`` as rows ``s`` for one statement to read: (cursor, the
    model's table, the rows, their parameters). From STAGED_FROM rows they are copied
    into a temporary table shaped like the model's (3 more statements and a COPY);
    fewer (an item on a worker) are a ``VALUES`` list, each value a parameter, one
    statement in all. In the caller's transaction if any, without a savepoint."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    db_table = type(objs[0])._meta.db_table
    table = quote(db_table)
    columns = ", ".join(quote(_column(field)) for field in fields)
    savers = [_saver(field, connection, pre_save=pre_save) for field in fields]
    # Formatted in: only the quoted names of the model's table and columns; the values
    # go by COPY or as parameters.
    with transaction.atomic(using=alias, savepoint=False), connection.cursor() as cursor:
        if len(objs) < STAGED_FROM:
            casts = ", ".join(f"%s::{_unbounded(field, connection)}" for field in fields)
            values = ", ".join([f"({casts})"] * len(objs))
            params = [save(obj) for obj in objs for save in savers]
            yield cursor, table, f"(VALUES {values}) AS s ({columns})", params
            return
        staging = quote(f"staging_{db_table}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {staging} ON COMMIT DROP AS "  # noqa: S608
            f"SELECT {columns} FROM {table} WITH NO DATA"
        )
        # Django's own errors (DataError, IntegrityError…), as from execute().
        with (
            connection.wrap_database_errors,
            cursor.copy(f"COPY {staging} ({columns}) FROM STDIN") as copy,
        ):
            for obj in objs:
                copy.write_row([save(obj) for save in savers])
        yield cursor, table, f"{staging} AS s", []
        cursor.execute(f"DROP TABLE {staging}")


def _unbounded(field: Field[Any, Any], connection: BaseDatabaseWrapper) -> str:
    """The field's column type without its length (``varchar(500)`` -> ``varchar``): a
    cast to the bounded type would cut a value that is too long, where the column itself
    refuses it."""
    db_type = field.db_type(connection)
    if db_type is None:  # a field without a column
        raise TypeError(f"{field} has no column type")
    return re.sub(r"\(\d+(,\s*\d+)?\)", "", db_type)


# The value types psycopg takes as they are, by exact field class (a subclass may prepare
# its values its own way): those that the class's get_prep_value returns unchanged.
_INTEGER_FIELDS = (
    models.BigIntegerField, models.IntegerField, models.PositiveIntegerField,
    models.SmallIntegerField, models.PositiveSmallIntegerField, models.ForeignKey,
    models.BigAutoField, models.AutoField,
)  # fmt: skip
_PLAIN: dict[type[Field[Any, Any]], type] = {
    **dict.fromkeys(_INTEGER_FIELDS, int),
    models.BooleanField: bool,
    models.CharField: str,
    models.TextField: str,
}


def _saver(
    field: Field[Any, Any], connection: BaseDatabaseWrapper, *, pre_save: bool
) -> Callable[[Model], Any]:
    """One field of an object as the database takes it: what ``field.get_db_prep_save``
    gives (of ``field.pre_save(obj, True)`` with ``pre_save``, as bulk_create asks: auto_now
    and the like). A plain value of a plain field, or a JSON value, skips Django's chain of
    calls: run for every field of thousands of rows, that chain is a large part of an
    upsert's CPU (bench/README.md)."""
    attname = field.attname

    def prepared(obj: Model) -> Any:
        value = field.pre_save(obj, True) if pre_save else getattr(obj, attname)
        return field.get_db_prep_save(value, connection)

    if pre_save and type(field).pre_save is not Field.pre_save:
        return prepared
    plain_type = _PLAIN.get(type(field))
    if plain_type is not None:

        def plain(obj: Model) -> Any:
            value = getattr(obj, attname)
            return value if value is None or type(value) is plain_type else prepared(obj)

        return plain
    if type(field) is models.JSONField:
        encoder = field.encoder

        def json_value(obj: Model) -> Any:
            value = getattr(obj, attname)
            if type(value) in (list, dict):
                return connection.ops.adapt_json_value(value, encoder)
            return prepared(obj)

        return json_value
    return prepared
