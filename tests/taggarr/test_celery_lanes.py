"""The two lanes (taggarr/celery.py): the item tasks go to ``items``, everything else to
``control``, and the count beat's tick reads (tasks.queued_messages) holds both."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from celery import current_app

from scanner import tasks
from taggarr.celery import CONTROL_QUEUE, ITEMS_QUEUE


def _queue_of(task: str) -> str:
    return current_app.amqp.router.route({}, task)["queue"].name


def test_the_item_tasks_go_to_the_items_lane_and_the_rest_to_control() -> None:
    ours = sorted(name for name in current_app.tasks if name.startswith("scanner."))
    assert "scanner.tasks.start_due_scans" in ours
    lanes = {name: _queue_of(name) for name in ours}
    assert lanes.pop("scanner.tasks.scan_item") == ITEMS_QUEUE
    assert lanes.pop("scanner.tasks.refresh_artwork_chunk") == ITEMS_QUEUE
    assert lanes.pop("scanner.tasks.refresh_run_artwork") == CONTROL_QUEUE
    assert set(lanes.values()) == {CONTROL_QUEUE}
    # A worker started without --queues consumes both.
    assert [queue.name for queue in current_app.conf.task_queues] == [CONTROL_QUEUE, ITEMS_QUEUE]


@pytest.fixture
def empty_lanes() -> Iterator[None]:
    """No worker runs here: what the test queues is purged after it (and before)."""

    def purge() -> None:
        with current_app.connection_for_write() as connection:
            for queue in current_app.conf.task_queues:
                queue.bind(connection.default_channel).purge()

    purge()
    yield
    purge()


def test_the_queued_messages_beat_reads_count_both_lanes(empty_lanes: None) -> None:
    assert tasks.queued_messages() == 0
    tasks.scan_item.delay(1, 2)
    tasks.scan_item.delay(1, 3)
    # An empty lane is no unknown (Redis has no key for an empty list: "no queue").
    assert tasks.queued_messages() == 2
    tasks.plan_scan.delay(1)
    assert tasks.queued_messages() == 3
