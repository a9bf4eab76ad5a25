"""A run's heartbeat while one of its steps runs, from a thread beside the step.

The step itself may wait a long time on one thing (a slow NAS, a bulk editor request
that takes a minute), so progress counters alone cannot tell a busy step from a dead
worker. This thread writes ``ScanRun.heartbeat_at`` every heartbeat interval
(scanner.runtime.running.beat_interval) while the step runs; when the process
dies, the beats stop, and beat's next tick sends the lost work again
(runs.recover_stalled).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DatabaseError, connection

from scanner.pipeline.state import apply_lease, runs
from scanner.runtime.running import beat_interval

logger = logging.getLogger(__name__)


@contextmanager
def beating(run_id: int, apply_token: int | None = None) -> Iterator[None]:
    """Beats while the block runs (the plan and apply steps; the items' desk beats for
    the items it holds, scanner.pipeline.runtime.item_desk). With ``apply_token`` (the
    apply step) a beat also extends the step's lease, only while the token holds it:
    once it is gone the beats stop (the step finds out at its next write). A lease the
    step let go itself, ending its run (apply_lease.releasing), is not lost: a beat
    that meets it in the moment between that end and the end of this block stops
    without a word."""
    stop = threading.Event()

    def beat_once() -> bool:
        if apply_token is None:
            runs.heartbeat(run_id)
            return True
        if apply_lease.extend(run_id, apply_token):
            return True
        if not apply_lease.released_here(apply_token):
            logger.warning("scan #%s: the apply step's lease is lost; its beats stop", run_id)
        return False

    def beat() -> None:
        try:
            while not stop.wait(beat_interval()):
                try:
                    if not beat_once():
                        return
                except DatabaseError as exc:  # the step will meet it too; keep beating
                    logger.warning("scan #%s: heartbeat not written: %s", run_id, exc)
                    connection.close()  # a read-only or broken session: a new one next
                except Exception:  # never dies silently: logged, and it beats on
                    logger.exception("scan #%s: heartbeat not written", run_id)
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=beat, name=f"heartbeat-{run_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        # Every wait has a deadline (issue 69): a beat held by a database that does not
        # answer (a row lock, a server gone) must not hold the step that has ended. The
        # thread is left to end on its own (a daemon: it dies with the process).
        thread.join(beat_interval())
        if thread.is_alive():
            logger.warning(
                "scan #%s: the heartbeat did not stop within %.0f s (the database does not "
                "answer); the step ends without it",
                run_id,
                beat_interval(),
            )
        elif apply_token is not None:
            apply_lease.forget(apply_token)  # after the last beat: it may have met the end
