"""update_fields: many rows' fields in one statement, exactly as saving them would."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection

from scanner.bulk import VALUES_BATCH, update_fields
from scanner.models import Media
from tests.factories import MediaFactory

pytestmark = pytest.mark.django_db


def test_every_kind_of_value_saved_and_other_fields_left_alone():
    rows = MediaFactory.create_batch(3, title="kept")
    when = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    values = [
        {
            "planned_tag": "dub",
            "coverage": {"de": [1, 2]},
            "arr_files": None,
            "lowest_coverage": 50,
        },
        {
            "planned_tag": "",
            "coverage": {},
            "arr_files": [{"path": "a'b\"c"}],
            "lowest_coverage": None,
        },
        {
            "planned_tag": "semi-dub",
            "coverage": {"fr": [0, 3]},
            "arr_files": [],
            "lowest_coverage": 0,
        },
    ]
    for media, value in zip(rows, values, strict=True):
        for name, v in value.items():
            setattr(media, name, v)
        media.last_scanned_at = when
        media.title = "changed but not saved"

    update_fields(rows, [*values[0], "last_scanned_at"])

    for media, value in zip(rows, values, strict=True):
        fresh = Media.objects.get(pk=media.pk)
        assert {name: getattr(fresh, name) for name in value} == value
        assert fresh.last_scanned_at == when
        assert fresh.title == "kept"


def test_more_rows_than_one_statement_holds(django_assert_max_num_queries):
    count = VALUES_BATCH + 7
    rows = MediaFactory.create_batch(count)
    for number, media in enumerate(rows):
        media.file_count = number
    statements = count // VALUES_BATCH + 1 if connection.vendor == "postgresql" else count
    with django_assert_max_num_queries(statements):
        update_fields(rows, ["file_count"])
    assert sorted(Media.objects.values_list("file_count", flat=True)) == list(range(count))


def test_nothing_to_save_sends_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        update_fields([], ["file_count"])
