"""update_fields and upsert: many rows in a few statements, exactly as saving them
would (on PostgreSQL by their own SQL, elsewhere by Django's bulk methods)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import DataError, connection, transaction
from django.utils import timezone

from scanner.models import Media, MediaFile, bulk
from scanner.models.bulk import BULK_UPDATE_BATCH, insert, update_fields, upsert
from tests.factories import MediaFactory, MediaFileFactory, SeasonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, params=["staged", "one statement"])
def way(request, monkeypatch) -> str:
    """Every test both ways on PostgreSQL: through a temporary table (from STAGED_FROM
    rows) and as a VALUES list (fewer). Other databases take Django's bulk methods."""
    monkeypatch.setattr(bulk, "STAGED_FROM", 1 if request.param == "staged" else 10**9)
    return request.param


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


@pytest.mark.parametrize("count", [1, 2 * BULK_UPDATE_BATCH + 7])
def test_rows_in_a_few_statements(way, count, django_assert_num_queries):
    rows = MediaFactory.create_batch(count)
    for number, media in enumerate(rows):
        media.file_count = number
    if connection.vendor == "sqlite":  # UPDATE … FROM a VALUES list, as many as params allow
        statements = -(-count // (connection.features.max_query_params // 2))
    elif connection.vendor != "postgresql":  # Django's bulk_update, a batch at a time
        statements = -(-count // BULK_UPDATE_BATCH)
    elif way == "staged":  # a temporary table made, filled, read and dropped
        statements = 4
    else:
        statements = 1
    with django_assert_num_queries(statements):
        update_fields(rows, ["file_count"])
    assert sorted(Media.objects.values_list("file_count", flat=True)) == list(range(count))


def test_update_fields_writes_the_rows_django_bulk_update_writes():
    when = datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)
    names = ["planned_tag", "coverage", "arr_files", "lowest_coverage", "last_scanned_at"]
    values = [
        ("dub", {"de": [1, 2]}, None, 50, when),
        ("", {}, [{"path": "a'b\"c", "n": 1.5}], None, None),
        ("semi-dub", {"fr": [0, 3]}, [{"path": AWKWARD}], 0, when),
    ]
    ours, django = MediaFactory.create_batch(3), MediaFactory.create_batch(3)
    for rows in (ours, django):
        for media, row in zip(rows, values, strict=True):
            for name, value in zip(names, row, strict=True):
                setattr(media, name, value)

    update_fields(ours, names)
    Media.objects.bulk_update(django, names)

    def stored(rows: list[Media]) -> list[tuple]:
        """The columns as stored, not as Django reads them back."""
        marks, table = ", ".join(["%s"] * len(rows)), Media._meta.db_table
        columns = "planned_tag, coverage, arr_files, lowest_coverage, last_scanned_at"
        sql = f"SELECT {columns} FROM {table} WHERE id IN ({marks}) ORDER BY id"  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(sql, [media.pk for media in rows])
            return cursor.fetchall()

    assert stored(ours) == stored(django)


def test_update_fields_on_sqlite_splits_rows_by_the_parameters_a_statement_takes(
    monkeypatch, django_assert_num_queries
):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's own path")
    rows = MediaFactory.create_batch(7)
    for number, media in enumerate(rows):
        media.file_count = 10 + number
    monkeypatch.setattr(connection.features, "max_query_params", 4)  # 2 rows of (id, value)
    with django_assert_num_queries(4):
        update_fields(rows, ["file_count"])
    assert sorted(Media.objects.values_list("file_count", flat=True)) == list(range(10, 17))


def test_update_fields_on_an_sqlite_without_update_from_keeps_django_bulk_update(
    monkeypatch, django_assert_num_queries
):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's own path")
    monkeypatch.setattr(bulk, "UPDATE_FROM_SQLITE", (99, 0, 0))
    rows = MediaFactory.create_batch(3)
    for number, media in enumerate(rows):
        media.planned_tag, media.coverage = f"tag {number}", {"de": [number, 3]}
    with django_assert_num_queries(1):
        update_fields(rows, ["planned_tag", "coverage"])
    stored = Media.objects.order_by("pk").values_list("planned_tag", "coverage")
    assert list(stored) == [(f"tag {n}", {"de": [n, 3]}) for n in range(3)]


def test_update_fields_twice_in_one_transaction_leaves_auto_now_alone():
    media = MediaFactory(title="kept")
    before = Media.objects.get(pk=media.pk).updated_at
    with transaction.atomic():
        media.file_count = 3
        update_fields([media], ["file_count"])
        media.planned_tag = "dub"
        update_fields([media], ["planned_tag", "updated_at"])
    fresh = Media.objects.get(pk=media.pk)
    assert (fresh.file_count, fresh.planned_tag, fresh.updated_at) == (3, "dub", before)


def test_nothing_to_save_sends_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        update_fields([], ["file_count"])


# Text that COPY must escape (tab, newline, backslash, quotes) and a file name that is
# not UTF-8 (stored escaped by FileNameField).
AWKWARD = "a\tb\nc\\d 'e\" \\N"
NOT_UTF8 = b"S01E01 caf\xe9.mkv".decode("utf-8", "surrogateescape")
UPDATED = ["size", "audio_tracks", "error", "probed_at"]


def _file(media: Media, path: str, **values) -> MediaFile:
    defaults = {"size": 1, "mtime_ns": 2, "episodes": [1], "audio_tracks": [], "source": "file"}
    return MediaFile(media=media, path=path, **{**defaults, **values})


def _stored(media: Media) -> dict[str, dict]:
    fields = ["season_id", "size", "mtime_ns", "episodes", "audio_tracks", "error", "probed_at"]
    return {
        row.path: {name: getattr(row, name) for name in fields}
        for row in MediaFile.objects.filter(media=media)
    }


def test_upsert_inserts_every_kind_of_value_as_saving_would():
    media = MediaFactory()
    season = SeasonFactory(media=media, number=1)
    when = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    rows = [
        _file(media, AWKWARD, season=season, size=2**40, mtime_ns=-1, error=AWKWARD,
              audio_tracks=[{"title": AWKWARD, "language": None}], probed_at=when),
        _file(media, NOT_UTF8, episodes=[], probed_at=None),
    ]  # fmt: skip

    upsert(rows, ["media", "path"], UPDATED)

    assert _stored(media) == {
        AWKWARD: {
            "season_id": season.pk, "size": 2**40, "mtime_ns": -1, "episodes": [1],
            "audio_tracks": [{"title": AWKWARD, "language": None}], "error": AWKWARD,
            "probed_at": when,
        },
        NOT_UTF8: {
            "season_id": None, "size": 1, "mtime_ns": 2, "episodes": [], "audio_tracks": [],
            "error": "", "probed_at": None,
        },
    }  # fmt: skip


def test_upsert_prepares_values_of_other_types_as_saving_would():
    media = MediaFactory()
    upsert(
        [_file(media, "a.mkv", size="12", mtime_ns=True, episodes=(3, 4))],
        ["media", "path"],
        UPDATED,
    )
    stored = MediaFile.objects.get(media=media)
    assert (stored.size, stored.mtime_ns, stored.episodes) == (12, 1, [3, 4])


def test_upsert_updates_only_the_named_fields_of_rows_that_exist():
    media, other = MediaFactory(), MediaFactory()
    kept = MediaFileFactory(media=media, path="same.mkv", mtime_ns=5, episodes=[7])
    MediaFileFactory(media=other, path="same.mkv", size=9)

    upsert(
        [_file(media, "same.mkv", size=3, mtime_ns=6, episodes=[8], error="x"),
         _file(media, "new.mkv", size=4)],
        ["media", "path"],
        UPDATED,
    )  # fmt: skip

    row = MediaFile.objects.get(pk=kept.pk)  # the same row, not a new one
    assert (row.size, row.error, row.mtime_ns, row.episodes) == (3, "x", 5, [7])
    assert sorted(MediaFile.objects.filter(media=media).values_list("path", flat=True)) == [
        "new.mkv",
        "same.mkv",
    ]
    assert MediaFile.objects.get(media=other).size == 9  # another item's file of that name


def test_upsert_twice_in_one_transaction_and_after_a_rollback():
    media = MediaFactory()
    with transaction.atomic():
        upsert([_file(media, "a.mkv")], ["media", "path"], UPDATED)
        upsert([_file(media, "a.mkv", size=5), _file(media, "b.mkv")], ["media", "path"], UPDATED)
    with pytest.raises(RuntimeError), transaction.atomic():
        upsert([_file(media, "c.mkv")], ["media", "path"], UPDATED)
        raise RuntimeError("rolled back")
    upsert([_file(media, "d.mkv")], ["media", "path"], UPDATED)
    stored = dict(MediaFile.objects.filter(media=media).values_list("path", "size"))
    assert stored == {"a.mkv": 5, "b.mkv": 1, "d.mkv": 1}


def test_upsert_of_nothing_sends_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        upsert([], ["media", "path"], UPDATED)


def test_upsert_fills_auto_now_fields_as_saving_would():
    before = timezone.now()
    existing = MediaFactory(title="old title")
    upsert(
        [Media(instance=existing.instance, kind=existing.kind, arr_id=existing.arr_id,
               title="new title", path=existing.path),
         Media(instance=existing.instance, kind=existing.kind, arr_id=existing.arr_id + 1,
               title="added", path="/media/tv/Added")],
        ["instance", "arr_id"],
        ["title", "updated_at"],
    )  # fmt: skip
    updated = Media.objects.get(pk=existing.pk)
    assert updated.title == "new title" and updated.updated_at >= before
    assert updated.created_at == existing.created_at  # not among the fields to update
    added = Media.objects.get(title="added")
    assert added.created_at >= before and added.updated_at >= before


def test_insert_sets_each_objects_own_id():
    instance = MediaFactory().instance
    paths = [f"/media/tv/Inserted {n}" for n in range(3)] + [AWKWARD, NOT_UTF8]
    rows = [
        Media(instance=instance, kind=Media.Kind.SERIES, arr_id=100 + n, title=f"t{n}", path=p)
        for n, p in enumerate(paths)
    ]
    before = timezone.now()

    insert(rows, ["instance", "path"])

    for row in rows:
        stored = Media.objects.get(pk=row.pk)
        assert (stored.path, stored.arr_id) == (row.path, row.arr_id)
        assert stored.created_at >= before  # auto_now_add, as saving would
        assert not row._state.adding


def test_a_value_too_long_for_its_column_is_refused_not_cut():
    existing = MediaFactory(title="kept")
    existing.title = "x" * 501  # the column holds 500
    with pytest.raises(DataError), transaction.atomic():
        update_fields([existing], ["title"])
    assert Media.objects.get(pk=existing.pk).title == "kept"


def test_insert_of_nothing_sends_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        insert([], ["instance", "path"])
