"""A worker to be killed in the middle of a poster's replacement, inside a real worker
process: loaded by the tests only (``celery_worker(include=("tests.badge_kill",))``,
Celery's ``--include``), never by the product. TAGGARR_TEST_BADGE_KILL says where the
write of a poster's badges (scanner.badges.poster_file._replace: a new file written
beside the poster, then renamed over it) stops:

- ``before-rename``: the new file is written and synced beside the poster, not renamed;
- ``after-rename``: the new file is renamed over the poster, not yet read back.

There the worker logs ``badge kill: <point> of <new file> over <poster>`` and waits for
ever, in the thread that runs the call (the step's I/O pool): the test kills the process
(SIGKILL), as a container stopped or an out-of-memory kill would. Only ``os`` as
poster_file sees it is wrapped (its other calls pass through), and only in the worker:
the patch is made at ``worker_ready``, as tests/chunk_kill.py's.
"""

from __future__ import annotations

import os
import sys
import threading
from typing import Any

from celery import signals

POINTS = ("before-rename", "after-rename")
_point = os.environ.get("TAGGARR_TEST_BADGE_KILL", "")


def kill_point(point: str) -> str:
    """The worker's log line at ``point`` (a regex's start: the paths follow)."""
    return f"badge kill: {point} of "


def _stop_here(point: str, source: object, target: object) -> None:
    print(f"{kill_point(point)}{source} over {target}", file=sys.stderr, flush=True)
    threading.Event().wait()  # until the test kills the process


class _OsAsPosterFileSeesIt:
    """``os``, but for ``replace``, which stops at the point asked for."""

    def __init__(self, point: str) -> None:
        self._point = point

    def __getattr__(self, name: str) -> Any:
        return getattr(os, name)

    def replace(self, source: Any, target: Any, *args: Any, **kwargs: Any) -> None:
        if self._point == "before-rename":
            _stop_here(self._point, source, target)
        os.replace(source, target, *args, **kwargs)
        if self._point == "after-rename":
            _stop_here(self._point, source, target)


@signals.worker_ready.connect
def _kill_mid_replace(**kwargs: Any) -> None:
    if not _point:
        return
    if _point not in POINTS:
        raise ValueError(f"TAGGARR_TEST_BADGE_KILL: {_point!r}, not one of {POINTS}")
    from scanner.badges import poster_file

    poster_file.os = _OsAsPosterFileSeesIt(_point)  # type: ignore[attr-defined,assignment]
