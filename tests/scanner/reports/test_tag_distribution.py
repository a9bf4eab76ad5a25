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
    # The items' table in one statement (grouped by instance), the instances' in another.
    over_items = [q["sql"] for q in queries.captured_queries if "scanner_media" in q["sql"]]
    assert len(over_items) == 1
    assert len(queries) == 2
