"""How the garbage collector runs in every Taggarr process (web, worker, beat, manage.py).
``settle_after_startup`` sets it up once Django is ready (from taggarr.apps), and
``skip_final_collection`` leaves the last collection out as a command ends (from
manage.py).

Two changes to CPython's defaults, which make a big scan's garbage collection much
cheaper (bench/README.md, "Why the code is shaped so"):

* What is loaded by then (modules, models, settings) lives as long as the process, so
  it is frozen (``gc.freeze``) and full collections do not walk it. In a worker's main
  process this also leaves untouched the memory pages its forked children share, as
  Python's documentation advises for ``gc.freeze``.
* The youngest generation is collected after ``YOUNG_THRESHOLD`` new objects instead of
  700. A scan makes its objects (rows, JSON, tracks) a batch at a time, and reference
  counting frees most of them. Collected every 700 objects, the live ones of each batch
  would move to an older generation, and each such move brings a full collection nearer.

The cost: objects in reference cycles wait a little longer to be freed, at most
``YOUNG_THRESHOLD`` young objects, a few MB.
"""

from __future__ import annotations

import gc

# New objects between two collections of the youngest generation (bench/README.md).
YOUNG_THRESHOLD = 10_000


def settle_after_startup() -> None:
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)


def skip_final_collection() -> None:
    """Leave the command's objects to the end of the process. The interpreter's last
    garbage collection walks every object still alive, a noticeable part of a short
    command (bench/README.md). The process is ending and its memory goes with it, so the
    objects are frozen and that collection leaves them out. Objects in reference cycles
    are then not finalised at exit, which Python never promised: logs are flushed and
    database connections closed before this."""
    gc.freeze()
