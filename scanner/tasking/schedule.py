"""Beat's tick (``start_due_scans``: the scans due, the stalled work sent again) and the
worker's own signals: its watchdog started when it is ready, its mark of being alive
taken away when it stops warm."""

from __future__ import annotations

import logging
from typing import Any

from celery import current_app, signals
from kombu.exceptions import ChannelError

from scanner.pipeline.state import schedule
from scanner.pipeline.work import Plan
from scanner.tasking import kinds
from scanner.tasking.base import task
from scanner.tasking.steps import send
from scanner.worker import alive as worker_alive
from scanner.worker import health as worker_health  # the watchdog, its health command

logger = logging.getLogger(__name__)


@signals.worker_ready.connect
def _start_watchdog(**kwargs: Any) -> None:
    """The worker's watchdog (scanner.worker.health), sending what follows a step it ends."""
    worker_health.Watchdog(send).start()


@signals.worker_shutting_down.connect
def _no_longer_alive(**kwargs: Any) -> None:
    """A worker that stops warm is no longer counted as running (scanner.worker.alive)."""
    worker_alive.unmark()


def queued_messages() -> int | None:
    """The messages waiting in the broker's queues, the control work's and the items'
    (None: it could not say): a run's step or its items may wait among them."""
    try:
        with current_app.connection_for_read() as connection:
            channel = connection.default_channel
            return sum(_waiting(channel, queue.name) for queue in current_app.conf.task_queues)
    except Exception as exc:  # noqa: BLE001 - any broker trouble: unknown, recovery resends
        logger.debug("the broker's queue length is unknown: %s", exc)
        return None


def _waiting(channel: Any, queue: str) -> int:
    try:
        return int(channel.queue_declare(queue=queue, passive=True).message_count)
    except ChannelError:  # Redis has no key for an empty list: "no queue", nothing waits
        return 0


@task(kinds.SCHEDULE)
def start_due_scans() -> int:
    """Beat's tick: the scans due started, the stalled work sent again; the plans sent."""
    work = schedule.start_due_scans(queued_messages())
    send(work)
    return sum(isinstance(each, Plan) for each in work)
