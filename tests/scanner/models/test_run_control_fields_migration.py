"""A run made before its control data left the summary keeps it: migration 0033 moves
what its webhooks said (``file_changes``, ``webhook_items``) and its latest ``retry``
into fields of their own, and its summary keeps only the run's figures; the API shows
the retry as before, never what the webhooks said."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from api.serializers.scans import ScanRunSerializer
from scanner.models import ScanRun

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("scanner", "0032_steps_held_past_the_limit")]
AFTER = [("scanner", "0033_scanrun_control_out_of_summary")]

CHANGES = {"12": [{"add": {"relative_path": "Season 01/Show - S01E01.mkv"}}]}
RETRY = {
    "why": "Sonarr answered 503",
    "next_try_at": "2026-11-26T21:00:08+00:00",
    "at": "2026-11-26T21:00:00+00:00",
}


def _old_run(executor: MigrationExecutor, summary: dict[str, object]) -> int:
    old = executor.loader.project_state(BEFORE).apps
    instance = old.get_model("scanner", "Instance").objects.create(
        name="tv", kind="sonarr", url="http://sonarr:8989"
    )
    run = old.get_model("scanner", "ScanRun").objects.create(
        instance=instance, trigger="webhook", status="succeeded", summary=summary
    )
    return int(run.pk)


def test_a_run_made_before_keeps_its_webhooks_changes_named_items_and_retry(
    migrated_back: MigrationExecutor,
) -> None:
    summary = {"listed": 3, "file_changes": CHANGES, "webhook_items": [12, 13], "retry": RETRY}
    pk = _old_run(migrated_back, summary)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    moved = new.get_model("scanner", "ScanRun").objects.get(pk=pk)
    assert moved.summary == {"listed": 3}
    assert (moved.webhook_file_changes, moved.webhook_items) == (CHANGES, [12, 13])
    assert moved.retry_why == "Sonarr answered 503"
    assert moved.retry_next_at == datetime(2026, 11, 26, 21, 0, 8, tzinfo=UTC)
    assert moved.retry_noted_at == datetime(2026, 11, 26, 21, 0, 0, tzinfo=UTC)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    published = ScanRunSerializer(ScanRun.objects.get(pk=pk)).data["summary"]
    assert published == {"listed": 3, "retry": RETRY}  # as the API showed it, less the webhooks'


def test_going_back_puts_them_into_the_summary_again(migrated_back: MigrationExecutor) -> None:
    summary = {"listed": 3, "file_changes": CHANGES, "webhook_items": [12], "retry": RETRY}
    pk = _old_run(migrated_back, summary)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    assert old.get_model("scanner", "ScanRun").objects.get(pk=pk).summary == summary
