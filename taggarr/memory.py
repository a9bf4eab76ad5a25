"""How the garbage collector runs in every Taggarr process (web, worker, beat, manage.py):
set once Django is set up (``settle_after_startup``, from scanner.apps), and left out
as a command ends (``skip_final_collection``, from manage.py).

Two changes to CPython's defaults, measured on a first scan of an ``arr`` source at
2,000 series + 500 movies, whose collections took 2.3-2.8 s of CPU (16 of them full):

* what is loaded by then (modules, models, settings) lives as long as the process.
  Frozen, the full collections no longer walk it; in a worker's main process it also
  leaves the pages its forked children share untouched (the ``gc.freeze`` advice of
  Python's documentation);
* the youngest generation is collected after ``YOUNG_THRESHOLD`` new objects instead of
  700: a scan makes its objects (rows, JSON, tracks) a batch at a time and reference
  counting frees most of them; collected every 700, live ones of each batch were
  promoted and every promotion brought a full collection nearer.

Together: 0.9-1.0 s, one full collection. Objects in reference cycles wait a little
longer to be freed: at most 10,000 young objects, a few MB.
"""

from __future__ import annotations

import gc

YOUNG_THRESHOLD = 10_000


def settle_after_startup() -> None:
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)


def skip_final_collection() -> None:
    """Leave the command's objects to the end of the process. The interpreter's last
    garbage collection walks every object still alive (a rescan of 2,000 series: 0.3 s
    of its 3); the process is ending and its memory goes with it, so frozen objects are
    left out. Objects in reference cycles then are not finalised at exit, which Python
    never promised: logs are flushed and database connections closed before this."""
    gc.freeze()
