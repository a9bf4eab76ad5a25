"""``python scripts/data_lock.py HOST:PORT COMMAND...``: run COMMAND (the whole stack of
``make run``) holding a lock on the data dir, so that a second ``make run`` on the same
data dir stops at once with one line saying which stack holds it, instead of starting a
second web, worker and beat (two beats send every schedule twice).

The lock is ``flock`` on ``<data dir>/taggarr.lock``: it goes with the process (and its
children, which inherit the descriptor), so a stack that crashed or was killed never
leaves a stale lock. Not part of Taggarr itself: the Makefile runs it, and so does the
image's all-in-one role (docker/entrypoint.sh).
"""

from __future__ import annotations

import fcntl
import os
import sys
from pathlib import Path

LOCK_NAME = "taggarr.lock"


class DataDirBusy(Exception):
    """Another stack holds the data dir; the message says which and what to do."""


def data_dir() -> Path:
    """As taggarr/settings.py finds it: TAGGARR_DATA_DIR, or ./data of this clone."""
    default = Path(__file__).resolve().parents[1] / "data"
    return Path(os.environ.get("TAGGARR_DATA_DIR") or default).expanduser().resolve()


def take(folder: Path, bind: str) -> int:
    """The locked file's descriptor (kept open across exec); raises DataDirBusy."""
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.pread(fd, 200, 0).decode(errors="replace").strip() or "another stack"
        os.close(fd)
        raise DataDirBusy(
            f"Taggarr is already running on the data dir {folder} ({holder}). Stop it "
            f"first (Ctrl-C where it runs), or give this one its own data dir: "
            f"make run PORT=... TAGGARR_DATA_DIR={folder}-2"
        ) from None
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"pid {os.getpid()}, serving http://{bind}/\n".encode(), 0)
    os.set_inheritable(fd, True)
    return fd


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print("usage: data_lock.py HOST:PORT COMMAND...", file=sys.stderr)
        return 2
    try:
        take(data_dir(), argv[1])
    except DataDirBusy as exc:
        print(exc, file=sys.stderr)
        return 1
    os.execvp(argv[2], argv[2:])  # noqa: S606 - the Makefile's own command


if __name__ == "__main__":
    sys.exit(main(sys.argv))
