"""A series whose episode list an earlier scan kept (arr and hybrid sources) is not asked
again after the upgrade: migration 0040 marks its list as read with its files'
fingerprint (scanner.pipeline.scanning.arr_files.episodes_mark); one without a list is
marked none, and the next scan asks Sonarr for it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from scanner.pipeline.scanning.arr_files import episodes_mark

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("scanner", "0039_person_tracks_plex_only")]
AFTER = [("scanner", "0040_media_episodes_fingerprint")]


def test_a_kept_list_is_marked_read_and_a_missing_one_due(
    migrated_back: MigrationExecutor,
) -> None:
    old = migrated_back.loader.project_state(BEFORE).apps
    instance = old.get_model("scanner", "Instance").objects.create(
        name="tv", kind="sonarr", url="http://sonarr:8989"
    )
    media = old.get_model("scanner", "Media")
    kept = media.objects.create(
        instance=instance, kind="series", title="Kept", path="/tv/Kept", arr_id=1,
        files_fingerprint="12:3456", arr_episodes=[[1, 1, "Pilot", "2024-01-31", True, True]],
    )  # fmt: skip
    missing = media.objects.create(
        instance=instance, kind="series", title="Files", path="/tv/Files", arr_id=2,
        files_fingerprint="",
    )  # fmt: skip
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps.get_model("scanner", "Media")
    assert new.objects.get(pk=kept.pk).episodes_fingerprint == episodes_mark("12:3456")
    assert new.objects.get(pk=missing.pk).episodes_fingerprint == ""
