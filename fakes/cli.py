"""What the fakes' command lines (``python -m fakes.<name>``) share: where to listen,
the latency to spend, and serving until the process is told to stop."""

from __future__ import annotations

import argparse
import signal
import threading
from contextlib import AbstractContextManager
from types import FrameType
from typing import Any, Protocol


class Served(AbstractContextManager[Any], Protocol):
    """A fake that serves inside ``with`` at ``url`` (FakeServer, HostileServer)."""

    @property
    def url(self) -> str: ...


def add_server_arguments(parser: argparse.ArgumentParser, *, port: int) -> None:
    """``--host``, ``--port`` (the real server's own port by default) and ``--latency-ms``."""
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=port, help="0 picks a free port")
    parser.add_argument(
        "--latency-ms", type=float, default=0.0, help="a real server's time per request"
    )


def serve_until_stopped(fake: Served, title: str) -> int:
    """Serve until SIGTERM or SIGINT, then stop cleanly (exit status 0).

    The first line on stdout is ``<title> listening on http://HOST:PORT``, so that a
    parent process that passed ``--port 0`` learns the port by reading one line.
    """
    stopped = threading.Event()

    def stop(signum: int, frame: FrameType | None) -> None:
        stopped.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    with fake:
        print(f"{title} listening on {fake.url}", flush=True)
        stopped.wait()
    return 0
