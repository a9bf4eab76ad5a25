"""Many rows' fields updated in one statement each chunk.

Django's ``bulk_update`` writes one ``CASE WHEN pk = … THEN …`` per row and field, which
it builds as expressions in Python: for 32 items x 16 fields that was 40 % of the CPU of
an *arr-source scan (py-spy). On PostgreSQL, ``UPDATE … FROM (VALUES …)`` says the same
with one placeholder per value and costs Python next to nothing. Other databases (SQLite
for ``make run``) keep ``bulk_update``, in small batches (its cost grows with the square
of the batch).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connections, router
from django.db.models import Model

# bulk_update's batch where it is still used (2,000 rows: 4.6 s at 500 a batch, well
# under 1 s at 100); VALUES rows per statement on PostgreSQL.
BULK_UPDATE_BATCH = 100
VALUES_BATCH = 500


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
