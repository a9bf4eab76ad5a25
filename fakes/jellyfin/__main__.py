"""``python -m fakes.jellyfin``: run the fake Jellyfin until interrupted. It plays the
release ``--version`` names (12.0.0, for now the only one whose update rules it has;
its API also answers Emby's ``/emby`` URLs and ``X-Emby-Token``).

The first line on stdout is ``Fake Jellyfin 12.0.0 listening on http://HOST:PORT`` so
that a parent process using ``--port 0`` can learn the port. Items come from a JSON list
of BaseItemDto-like objects (``Id``, ``Name``, ``Type``, ``Path``, ``ParentId`` ``tv``
or ``movies``, ``ProviderIds``, ``Tags`` ...).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path

from fakes.cli import add_server_arguments, serve_until_stopped
from fakes.jellyfin.releases import DEFAULT_VERSION, RELEASES
from fakes.jellyfin.server import FakeJellyfin


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fakes.jellyfin", description=__doc__)
    add_server_arguments(parser, port=8096)
    parser.add_argument("--token", required=True, help="the API key it accepts")
    parser.add_argument("--items", type=Path, help="JSON list of items")
    parser.add_argument(
        "--version",
        choices=list(RELEASES),
        default=DEFAULT_VERSION,
        help="the Jellyfin release it plays and reports (default: %(default)s)",
    )
    args = parser.parse_args(argv)
    items = json.loads(args.items.read_text(encoding="utf-8")) if args.items else []
    fake = FakeJellyfin(
        token=args.token,
        items=items,
        version=args.version,
        host=args.host,
        port=args.port,
        latency_s=args.latency_ms / 1000,
    )
    return serve_until_stopped(fake, f"Fake Jellyfin {fake.state.version}")


if __name__ == "__main__":
    raise SystemExit(main())
