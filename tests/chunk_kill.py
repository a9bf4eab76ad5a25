"""A worker to be killed between the apply step's chunks, inside a real worker process:
loaded by the tests only (``celery_worker(include=("tests.chunk_kill",))``, Celery's
``--include``), never by the product. TAGGARR_TEST_CHUNK_KILL (JSON: ``{"chunk": 3,
"answered": 2}``) makes the apply step write ``chunk`` items at a time (its WRITE_CHUNK)
and, once the *arr has answered the tag writes of chunk number ``answered`` (saved them:
the *arr saves before it answers), logs ``chunk kill: the *arr answered chunk N`` and
waits there for ever, before the step stores anything of that answer: the test kills the
process (SIGKILL), as a container stopped or an out-of-memory kill would.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from typing import Any

from celery import signals

_kill = json.loads(os.environ.get("TAGGARR_TEST_CHUNK_KILL") or "{}")


@signals.worker_ready.connect
def _kill_between_chunks(**kwargs: Any) -> None:
    if not _kill:
        return
    from scanner.pipeline.writers import apply

    apply.WRITE_CHUNK = int(_kill["chunk"])
    real_write = apply.write_arr_tags
    answered = [0]

    def write_arr_tags(*args: Any, **options: Any) -> Any:
        result = real_write(*args, **options)
        answered[0] += 1
        if answered[0] == int(_kill["answered"]):
            print(f"chunk kill: the *arr answered chunk {answered[0]}", file=sys.stderr, flush=True)
            threading.Event().wait()  # until the test kills the process
        return result

    apply.write_arr_tags = write_arr_tags
