"""After a run that rewrote many items, PostgreSQL's table of items is vacuumed at once.

A first scan of a large library writes each item's row several times (listed, scanned,
applied): until a VACUUM marks the table's pages all-visible again, PostgreSQL reads the
rows behind every index entry, and the dashboard's counts, read from a covering index
alone on a settled table (Media's ``media_counts_idx``), cost what a read of the whole
table costs (bench/RESULTS.md, issue 83: 643 ms p95 right after the largest library's
scans, ~200 ms once vacuumed). Autovacuum gets there, a minute or more later and while
the user looks; the run's end asks for it now, as PostgreSQL's manual advises after
large changes ("Routine Vacuuming"). ``SKIP_LOCKED``: a VACUUM already under way (the
other instance's run, autovacuum) is left to finish, not waited for. Nothing on SQLite,
whose counts read what is there.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError, connection

from scanner.models import Media

logger = logging.getLogger(__name__)

# Items a run stored or wrote, past which its end vacuums (a 2,000-item first scan's
# table is small enough for autovacuum's pace).
VACUUM_AFTER = 5000


def vacuum_after(run_pk: int, rewritten: int) -> bool:
    """Vacuum and analyze the items' table when ``rewritten`` items' rows were written by
    run ``run_pk`` (PostgreSQL, outside a transaction); whether it was. A refusal (a
    role that does not own the table) is logged: autovacuum does it later."""
    if rewritten < VACUUM_AFTER or connection.vendor != "postgresql":
        return False
    if connection.in_atomic_block:  # VACUUM cannot run inside a transaction
        return False
    table = connection.ops.quote_name(Media._meta.db_table)
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM (ANALYZE, SKIP_LOCKED) {table}")
    except DatabaseError as exc:
        logger.warning(
            "scan #%s: the items' table was not vacuumed (%s); autovacuum will", run_pk, exc
        )
        return False
    return True
