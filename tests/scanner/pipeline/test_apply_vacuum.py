"""A run that rewrote many items leaves the dashboard's counts readable from their index
at once (issue 83; scanner.pipeline.writers.vacuum).

PostgreSQL answers a query from an index alone only for the table's pages its visibility
map marks all-visible; rows just written are not, so the index-only scan fetches them
from the table ("Heap Fetches", PostgreSQL's EXPLAIN ANALYZE) until a VACUUM. The test
writes the items' rows, runs an apply step that ends a large run, and reads the counts'
plan: no row fetched from the table. Real PostgreSQL, outside a test transaction (VACUUM
cannot run in one).
"""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scanner.models import Media, ScanRun
from scanner.pipeline.writers import vacuum
from scanner.pipeline.writers.apply import apply_run
from scanner.reports.stats import tag_distribution
from tests.factories import InstanceFactory
from tests.scanner.pipeline.applying import applying_run, stored_movies

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's VACUUM"),
]

TOKEN = 7
ITEMS = 40


def _heap_fetches() -> int:
    """The rows the dashboard's grouped count fetched from the table, by EXPLAIN ANALYZE
    with only index-only scans allowed."""
    with CaptureQueriesContext(connection) as queries:
        tag_distribution()
    (sql, *_) = [q["sql"] for q in queries.captured_queries if "scanner_media" in q["sql"]]
    with connection.cursor() as cursor:
        for setting in ("enable_seqscan", "enable_bitmapscan", "enable_indexscan"):
            cursor.execute(f"SET {setting} = off")
        try:
            cursor.execute("EXPLAIN (ANALYZE) " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        finally:
            for setting in ("enable_seqscan", "enable_bitmapscan", "enable_indexscan"):
                cursor.execute(f"RESET {setting}")
    assert "Index Only Scan using media_counts_idx" in plan, plan
    return sum(int(n) for n in re.findall(r"Heap Fetches: (\d+)", plan))


def _rewritten_library(rewritten: int) -> ScanRun:
    """``ITEMS`` items stored and rewritten (a first scan's several writes of each row),
    and a run about to apply that says it scanned ``rewritten`` of them."""
    instance = InstanceFactory(name="films", kind="radarr")
    stored_movies(instance, ITEMS, planned="none", applied="none")
    Media.objects.update(needs_review=False)  # every row written again
    return applying_run(instance, TOKEN, items_total=rewritten, items_done=rewritten)


def test_a_large_runs_end_leaves_the_counts_read_from_their_index_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(vacuum, "VACUUM_AFTER", ITEMS)
    run = _rewritten_library(ITEMS)
    assert _heap_fetches() > 0  # rows just written: read from the table too

    apply_run(run.pk, TOKEN)

    assert ScanRun.objects.get(pk=run.pk).status == ScanRun.Status.SUCCEEDED
    assert _heap_fetches() == 0


def test_a_small_run_leaves_it_to_autovacuum(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vacuum, "VACUUM_AFTER", ITEMS + 1)
    run = _rewritten_library(ITEMS)

    apply_run(run.pk, TOKEN)

    assert _heap_fetches() > 0
