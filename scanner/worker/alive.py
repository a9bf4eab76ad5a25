"""Whether a worker is running: each worker process's watchdog (scanner.worker.health)
marks it alive at each of its turns, in the cache the web and the workers share (Redis,
or the data dir's files: where the embedded broker is shared, so is it); a worker that
stops warm takes its mark back, a killed one's lapses after a few missed turns.

A person's decision starts a run that only a worker takes (scanner.actions.write_now):
where none is alive, the page and the API say the next scan writes it (``scan --inline``
runs what waited, scanner.actions.scans.run_waiting).
"""

from __future__ import annotations

import logging
import os
import socket
import time

from django.core.cache import cache

logger = logging.getLogger(__name__)

KEY = "taggarr:workers-alive"
# A mark older than this is a worker gone (killed, frozen): its watchdog turns every
# 10 s at most (scanner.worker.health.Watchdog.every), so several turns were missed.
STALE_SECONDS = 45.0


def _me() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _fresh(marks: dict[str, float], now: float) -> dict[str, float]:
    return {who: at for who, at in marks.items() if now - at <= STALE_SECONDS}


def mark() -> None:
    """This worker process is alive (its watchdog's turn)."""
    now = time.time()
    try:
        marks = _fresh(dict(cache.get(KEY) or {}), now)
        marks[_me()] = now
        cache.set(KEY, marks, timeout=int(STALE_SECONDS) * 2)
    except Exception as exc:  # noqa: BLE001 - a cache away: decisions say no worker, no more
        logger.debug("worker alive mark not written: %s", exc)


def unmark() -> None:
    """This worker process stops (warm): its mark goes at once."""
    try:
        marks = dict(cache.get(KEY) or {})
        if marks.pop(_me(), None) is not None:
            cache.set(KEY, marks, timeout=int(STALE_SECONDS) * 2)
    except Exception as exc:  # noqa: BLE001
        logger.debug("worker alive mark not taken back: %s", exc)


def any_alive() -> bool:
    """A worker process marked itself alive lately."""
    try:
        marks = dict(cache.get(KEY) or {})
    except Exception as exc:  # noqa: BLE001 - unknown: said as none, the safer advice
        logger.debug("worker alive marks not read: %s", exc)
        return False
    return bool(_fresh(marks, time.time()))
