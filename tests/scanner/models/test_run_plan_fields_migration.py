"""A run planned before the release that stored the plan's findings in fields keeps
them: migration 0020 moves ``audio_source`` and ``tag_ids`` out of the summary."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("scanner", "0019_artwork_fetch")]
AFTER = [("scanner", "0020_scanrun_apply_lease_and_plan_fields")]


def test_a_run_planned_before_keeps_its_audio_source_and_tag_ids(
    migrated_back: MigrationExecutor,
) -> None:
    executor = migrated_back
    old = executor.loader.project_state(BEFORE).apps
    instance = old.get_model("scanner", "Instance").objects.create(
        name="tv", kind="sonarr", url="http://sonarr:8989"
    )
    run = old.get_model("scanner", "ScanRun").objects.create(
        instance=instance,
        trigger="api",
        status="applying",
        summary={"audio_source": "hybrid", "listed": 3, "tag_ids": {"dub": 4}},
    )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    moved = new.get_model("scanner", "ScanRun").objects.get(pk=run.pk)
    assert (moved.audio_source, moved.arr_tag_ids) == ("hybrid", {"dub": 4})
    assert moved.summary == {"listed": 3}
