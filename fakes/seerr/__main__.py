"""``python -m fakes.seerr``: run the fake Overseerr (or Jellyseerr, Seerr: ``--app``) until
interrupted. The first line on stdout is ``Fake Overseerr 1.33.2 listening on
http://HOST:PORT``."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from fakes.cli import add_server_arguments, serve_until_stopped
from fakes.seerr.server import FakeSeerr


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fakes.seerr", description=__doc__)
    add_server_arguments(parser, port=5055)
    parser.add_argument("--api-key", required=True, help="the API key it accepts")
    parser.add_argument("--app", choices=("overseerr", "jellyseerr", "seerr"), default="overseerr")
    parser.add_argument("--version", default="1.33.2")
    parser.add_argument("--user", action="append", default=[], help="an e-mail: one more user")
    args = parser.parse_args(argv)
    fake = FakeSeerr(
        api_key=args.api_key,
        app=args.app,
        version=args.version,
        host=args.host,
        port=args.port,
        latency_s=args.latency_ms / 1000,
    )
    for email in args.user:
        fake.state.add_user(email)
    return serve_until_stopped(fake, f"Fake {args.app.capitalize()} {args.version}")


if __name__ == "__main__":
    raise SystemExit(main())
