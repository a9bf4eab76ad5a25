"""The dashboard's and ``/api/stats/``'s tag table (scanner.reports.stats
.tag_distribution): per instance its tags and the media list's named questions, from one
pass over the items whatever their number (issue 69), an instance without items too."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scanner.models import Instance
from scanner.reports.stats import tag_distribution
from tests.factories import InstanceFactory, MediaFactory

pytestmark = pytest.mark.django_db


def test_tags_and_questions_per_instance() -> None:
    tv = InstanceFactory(name="tv")
    InstanceFactory(name="films", kind=Instance.Kind.RADARR)  # nothing scanned yet
    MediaFactory(instance=tv, applied_tag="dub", planned_tag="dub")
    MediaFactory(instance=tv, applied_tag="", planned_tag="semi-dub")  # a change pending
    MediaFactory(instance=tv, error_file_count=1, needs_review=True)  # undecided, no tag
    MediaFactory(instance=tv, original_suggestion="jpn", planned_tag="wrong-dub",
                 applied_tag="wrong-dub")  # fmt: skip

    films_row, tv_row = tag_distribution()

    assert films_row["name"] == "films"
    assert films_row["media"] == 0
    assert films_row["planned"]["undecided"] == 0
    assert (films_row["pending_changes"], films_row["with_errors"]) == (0, 0)
    assert tv_row["media"] == 4
    assert tv_row["applied"] == {"dub": 1, "semi-dub": 0, "wrong-dub": 1, "none": 1}
    assert tv_row["planned"] == {
        "dub": 1, "semi-dub": 1, "wrong-dub": 1, "none": 0, "undecided": 1,
    }  # fmt: skip
    assert tv_row["pending_changes"] == 1
    assert tv_row["with_errors"] == 1
    assert tv_row["doubtful_original"] == 1
    assert tv_row["needs_review"] == 1


def test_the_items_are_read_once() -> None:
    tv = InstanceFactory(name="tv")
    for _ in range(5):
        MediaFactory(instance=tv, applied_tag="dub", planned_tag="dub")
    with CaptureQueriesContext(connection) as queries:
        (row,) = tag_distribution()
    assert row["applied"]["dub"] == 5
    # The items' table in one statement (grouped by instance), the items with errors in a
    # second (their partial index, stats.library_counts), the instances' in a third.
    over_items = [q["sql"] for q in queries.captured_queries if "scanner_media" in q["sql"]]
    assert len(over_items) == 2
    assert len(queries) == 3
    assert all("GROUP BY" in sql for sql in over_items)


def test_an_item_with_a_long_error_is_saved_and_counted() -> None:
    """Its error (up to 2,000 characters, scanner/pipeline/state/failures.py) is in no
    index: PostgreSQL refuses an index row past ~2,700 bytes, and 2,000 characters of a
    non-Latin script are 6,000."""
    tv = InstanceFactory(name="tv")
    text = "".join(chr(0x4E00 + (n * 7919) % 20000) for n in range(2000))  # CJK, 3 bytes each
    MediaFactory(instance=tv, error=text)
    MediaFactory(instance=tv, error_file_count=2)
    MediaFactory(instance=tv)
    (row,) = tag_distribution()
    assert (row["media"], row["with_errors"]) == (3, 2)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans")
def test_the_counts_are_read_from_indexes_alone() -> None:
    """Every column the dashboard's counts read is in Media's media_counts_idx (the tags,
    verdicts and questions) or media_errors_idx (the items with errors): PostgreSQL can
    answer them by index-only scans, never reading the wide scanned rows (issue 83)."""
    tv = InstanceFactory(name="tv")
    MediaFactory(instance=tv, applied_tag="dub", planned_tag="dub", error="unreadable")
    with CaptureQueriesContext(connection) as queries:
        tag_distribution()
    over_items = [q["sql"] for q in queries.captured_queries if "scanner_media" in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        # Nor a plain index scan (which reads the rows too): with only index-only scans
        # left, the plan shows one exactly when the index holds every column read. Table
        # statistics left by earlier tests made a plain scan of another index cheaper.
        cursor.execute("SET LOCAL enable_indexscan = off")
        plans = []
        for sql in over_items:
            cursor.execute("EXPLAIN " + sql)
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
    assert "Index Only Scan using media_counts_idx" in plans[0], plans[0]
    assert "Index Only Scan using media_errors_idx" in plans[1], plans[1]
