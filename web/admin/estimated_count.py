"""The media list's count, estimated on a large unfiltered PostgreSQL table, the way
Django's admin documentation suggests for large tables (ModelAdmin.show_full_result_count
and the paginator: PostgreSQL's ``pg_class.reltuples``, which ANALYZE and autovacuum keep,
instead of a ``COUNT(*)`` that reads every row at every view). A filtered or searched
list, a small table and SQLite count exactly."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet

# Below this many rows (the planner's estimate) the exact count is cheap: a few ms.
ESTIMATE_FROM = 50_000


def estimated_rows(queryset: QuerySet[Any]) -> int | None:
    """The planner's row estimate of the queryset's table when it is unfiltered and
    large, on PostgreSQL; None where the exact count is wanted."""
    if queryset.query.where or queryset.query.distinct or queryset.query.combinator:
        return None
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples FROM pg_class WHERE oid = to_regclass(%s)",
            [queryset.model._meta.db_table],
        )
        row = cursor.fetchone()
    estimate = int(row[0]) if row and row[0] is not None else -1  # -1: never analyzed
    return estimate if estimate >= ESTIMATE_FROM else None


# Paginator is generic only in django-stubs (web/admin/base.py says why no subscript).
class EstimatedCountPaginator(Paginator):  # type: ignore[type-arg]
    @cached_property
    def count(self) -> int:
        object_list = self.object_list
        if isinstance(object_list, QuerySet):
            estimate = estimated_rows(object_list)
            if estimate is not None:
                return estimate
        return super().count
