"""A FIFO for tests of code that must never wait on one: should the code under test
block opening it for reading (old code did), a writer opens and closes it after a while,
the blocked reader then reads its end, and the test fails instead of hanging. Code that
refuses the FIFO at once never meets the release."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_RELEASE_AFTER = 10.0  # seconds: only old, blocking code ever waits this long


@contextmanager
def released_if_blocked(fifo: Path) -> Iterator[None]:
    """Runs the block; should it block on opening ``fifo`` for reading, a writer opens
    and closes it after _RELEASE_AFTER seconds (the reader then sees its end)."""

    def release() -> None:
        try:
            descriptor = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)  # ENXIO: no reader
        except OSError:
            return
        os.close(descriptor)

    timer = threading.Timer(_RELEASE_AFTER, release)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
