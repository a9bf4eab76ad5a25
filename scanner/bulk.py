"""Many rows written in a few statements, whatever their number.

``upsert``: Django's ``bulk_create(update_conflicts=True)`` on PostgreSQL quotes every
value into the SQL in Python (psycopg's client-side binding, one array per column):
for the 30,500 files of an *arr-source first scan that was 4 of its 19 s (py-spy). On
PostgreSQL the rows go by ``COPY`` (formatted by psycopg's C code) into a temporary
table, then one ``INSERT … SELECT … ON CONFLICT DO UPDATE``: half the time (30,000
files on an idle machine: 2.7 -> 1.3 s). Other databases keep ``bulk_create``.

``update_fields``: many rows' fields updated in one statement each chunk.

Django's ``bulk_update`` writes one ``CASE WHEN pk = … THEN …`` per row and field, which
it builds as expressions in Python: for 32 items x 16 fields that was 40 % of the CPU of
an *arr-source scan (py-spy). On PostgreSQL, ``UPDATE … FROM (VALUES …)`` says the same
with one placeholder per value and costs Python next to nothing. Other databases (SQLite
for ``make run``) keep ``bulk_update``, in small batches (its cost grows with the square
of the batch).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connections, router, transaction
from django.db.models import Model

# bulk_update's batch where it is still used (2,000 rows: 4.6 s at 500 a batch, well
# under 1 s at 100); VALUES rows per statement on PostgreSQL.
BULK_UPDATE_BATCH = 100
VALUES_BATCH = 500
UPSERT_BATCH = 1000  # bulk_create's batch where it is used


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
        model._default_manager.bulk_create(
            objs,
            update_conflicts=True,
            unique_fields=unique_fields,
            update_fields=update_fields,
            batch_size=UPSERT_BATCH,
        )
        return
    meta = model._meta
    fields = [field for field in meta.concrete_fields if not field.primary_key]
    quote = connection.ops.quote_name
    table, staging = quote(meta.db_table), quote(f"upsert_{meta.db_table}")
    columns = ", ".join(quote(field.column) for field in fields)
    conflict = ", ".join(quote(meta.get_field(name).column) for name in unique_fields)
    sets = ", ".join(
        f"{quote(column)} = EXCLUDED.{quote(column)}"
        for column in (meta.get_field(name).column for name in update_fields)
    )
    # Formatted in: only the quoted names of the model's table and columns; the values
    # go by COPY. In the caller's transaction if any, without a savepoint (2 statements).
    with transaction.atomic(using=alias, savepoint=False), connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE {staging} ON COMMIT DROP AS "  # noqa: S608
            f"SELECT {columns} FROM {table} WITH NO DATA"
        )
        with cursor.copy(f"COPY {staging} ({columns}) FROM STDIN") as copy:
            for obj in objs:
                # pre_save as bulk_create calls it (auto_now and the like).
                copy.write_row(
                    [field.get_db_prep_save(field.pre_save(obj, True), connection)
                     for field in fields]
                )  # fmt: skip
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {staging} "  # noqa: S608
            f"ON CONFLICT ({conflict}) DO UPDATE SET {sets}"
        )
        cursor.execute(f"DROP TABLE {staging}")


def update_fields(objs: Sequence[Model], fields: Sequence[str]) -> None:
    """Save ``fields`` of every object in ``objs`` (all of one model, all saved before).
    Like ``Model.objects.bulk_update``: no signals, no ``auto_now``."""
    if not objs:
        return
    model = type(objs[0])
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":
        model._default_manager.bulk_update(objs, fields, batch_size=BULK_UPDATE_BATCH)
        return
    meta = model._meta
    columns = [meta.pk, *(meta.get_field(name) for name in fields)]
    quote = connection.ops.quote_name
    casts = [f"%s::{column.db_type(connection)}" for column in columns]
    row = "(" + ", ".join(casts) + ")"
    names = ", ".join(quote(column.column) for column in columns)
    sets = ", ".join(f"{quote(c.column)} = v.{quote(c.column)}" for c in columns[1:])
    pk = quote(meta.pk.column)
    table = quote(meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(objs), VALUES_BATCH):
            chunk = objs[start : start + VALUES_BATCH]
            params = [
                column.get_db_prep_save(getattr(obj, column.attname), connection)
                for obj in chunk
                for column in columns
            ]
            # Formatted in: only the quoted names of the model's table and columns;
            # every value is a parameter.
            values = ", ".join([row] * len(chunk))
            sql = f"UPDATE {table} AS t SET {sets} FROM (VALUES {values}) AS v({names}) "  # noqa: S608
            cursor.execute(sql + f"WHERE t.{pk} = v.{pk}", params)
