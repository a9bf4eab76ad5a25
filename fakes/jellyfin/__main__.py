"""``python -m fakes.jellyfin``: run the fake Jellyfin (or Emby) until interrupted. It
plays the release ``--version`` names: Jellyfin 10.8.13, 10.10.7, 10.11.11, 12.0.0, or
Emby 4.9.0.22 (``emby-4.9.0.22``).

The first line on stdout is ``Fake Jellyfin Server 12.0.0 listening on
http://HOST:PORT`` so that a parent process using ``--port 0`` can learn the port.
Items come from a JSON list of BaseItemDto-like objects (``Id``, ``Name``, ``Type``,
``Path``, ``ParentId`` ``tv`` or ``movies`` (a season's: its series, an episode's: its
season), ``SeriesId``, ``ProviderIds``, ``Tags``, ``Trickplay`` ...).
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
        help="the release it plays and reports (default: %(default)s)",
    )
    parser.add_argument(
        "--legacy-auth",
        choices=("on", "off"),
        help="EnableLegacyAuthorization (10.11 and 12 only; default: the release's)",
    )
    parser.add_argument(
        "--save-latency-ms", type=float, default=0.0, help="a real server's time per item saved"
    )
    args = parser.parse_args(argv)
    items = json.loads(args.items.read_text(encoding="utf-8")) if args.items else []
    fake = FakeJellyfin(
        token=args.token,
        items=items,
        version=args.version,
        legacy_auth=None if args.legacy_auth is None else args.legacy_auth == "on",
        host=args.host,
        port=args.port,
        latency_s=args.latency_ms / 1000,
        save_latency_s=args.save_latency_ms / 1000,
    )
    release = fake.state.release
    return serve_until_stopped(fake, f"Fake {release.product} {release.version}")


if __name__ == "__main__":
    raise SystemExit(main())
