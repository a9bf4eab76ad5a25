"""A share that stops answering, inside a real worker process: loaded by the tests only
(``celery_worker(include=("tests.share_hang",))``, Celery's ``--include``), never by
the product. It wraps ``os.scandir``, ``os.open`` and ``os.stat`` so that a call on a
path in a folder that TAGGARR_TEST_HANG names (JSON: ``{"fifo": ..., "scandir":
[folders], "create": [folders], "stat": [folders]}``) first opens the FIFO for reading:
the kernel blocks that open, for real, until a writer opens the FIFO; no timeout reaches
it, as none reaches a call on a hard-mounted NFS share whose server went away. The share
answers again when the test holds the FIFO open (``answer_again``): every open, blocked
or next, then returns.

``scandir``: a folder's listing blocks (the plan's and an item's walk); ``create``: a
file created in the folder blocks (the apply's NFO written through a temp file);
``stat``: a file of the folder looked up blocks (``os.stat``: an artwork chunk looking
for a library folder's poster.jpg).
Each block logs ``share hang: blocked on <path>`` to the worker's output first.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

_hang = json.loads(os.environ.get("TAGGARR_TEST_HANG") or "{}")
_fifo = _hang.get("fifo", "")
_listed = {os.path.normpath(folder) for folder in _hang.get("scandir", ())}
_created = {os.path.normpath(folder) for folder in _hang.get("create", ())}
_looked_up = {os.path.normpath(folder) for folder in _hang.get("stat", ())}
_real_scandir = os.scandir
_real_open = os.open
_real_stat = os.stat


def _block(path: object) -> None:
    print(f"share hang: blocked on {path}", file=sys.stderr, flush=True)
    with open(_fifo, "rb"):  # blocks until a writer opens it (``answer_again``)
        pass


def _scandir(path: Any = ".") -> Any:
    if isinstance(path, str | os.PathLike) and os.path.normpath(os.fspath(path)) in _listed:
        _block(path)
    return _real_scandir(path)


def _open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
    creates = flags & os.O_CREAT and isinstance(path, str | os.PathLike)
    if creates and os.path.dirname(os.path.normpath(os.fspath(path))) in _created:
        _block(path)
    return _real_open(path, flags, *args, **kwargs)


def _stat(path: Any, *args: Any, **kwargs: Any) -> os.stat_result:
    named = isinstance(path, str | os.PathLike)
    if named and os.path.dirname(os.path.normpath(os.fspath(path))) in _looked_up:
        _block(path)
    return _real_stat(path, *args, **kwargs)


if _fifo:
    os.scandir = _scandir  # type: ignore[assignment]
    os.open = _open
    if _looked_up:
        os.stat = _stat


def hang_env(
    fifo: str,
    *,
    scandir: tuple[str, ...] = (),
    create: tuple[str, ...] = (),
    stat: tuple[str, ...] = (),
) -> str:
    """TAGGARR_TEST_HANG's value."""
    return json.dumps(
        {"fifo": fifo, "scandir": list(scandir), "create": list(create), "stat": list(stat)}
    )


def answer_again(fifo: str) -> int:
    """The share answers again: the FIFO held open for reading and writing (Linux opens a
    FIFO so without waiting), so that every blocked open returns and no later one blocks.
    The descriptor: close it at the test's end."""
    return _real_open(fifo, os.O_RDWR | os.O_NONBLOCK)
