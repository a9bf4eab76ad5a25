"""``python -m fakes.jellyfin``: run the fake Jellyfin until interrupted.

The first line on stdout is ``fake jellyfin listening on http://HOST:PORT`` so that a
parent process using ``--port 0`` can learn the port. Items come from a JSON list of
BaseItemDto-like objects (``Id``, ``Name``, ``Type``, ``Path``, ``ParentId`` ``tv`` or
``movies``, ``ProviderIds``, ``Tags`` ...).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import threading
from collections.abc import Sequence
from pathlib import Path

from fakes.jellyfin.server import FakeJellyfin


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fakes.jellyfin", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8096, help="0 picks a free port")
    parser.add_argument("--token", required=True, help="the API key it accepts")
    parser.add_argument("--items", type=Path, help="JSON list of items")
    parser.add_argument("--latency-ms", type=float, default=0.0, help="spent on every request")
    args = parser.parse_args(argv)
    items = json.loads(args.items.read_text(encoding="utf-8")) if args.items else []
    with FakeJellyfin(
        token=args.token,
        items=items,
        host=args.host,
        port=args.port,
        latency_s=args.latency_ms / 1000,
    ) as fake:
        print(f"fake jellyfin listening on {fake.url}", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
