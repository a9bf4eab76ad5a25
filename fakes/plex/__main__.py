"""``python -m fakes.plex``: run the fake Plex Media Server until interrupted. It plays
Plex Media Server 1.41.3.9314 as python-plexapi 4.18 talks to it (``--version``: the
only release it plays), with sections of the new agents, the legacy ones, HAMA or
XBMCnfo (agents.py).

The first line on stdout is ``Fake Plex 1.41.3.9314-a0bfb8370 listening on
http://HOST:PORT`` so that a parent process using ``--port 0`` can learn the port.
``--library`` is a JSON object ``{"sections": [...], "items": [...]}`` whose entries
are the arguments of ``FakePlexState.add_section`` (``key``, ``title``, ``type``
``show`` or ``movie``, ``locations``, ``agent`` such as ``com.plexapp.agents.hama``) and
``add_item`` (``section_key``, ``title``, ``path``, ``guids`` such as ``"tvdb://123"``,
``agent_guid`` such as ``"com.plexapp.agents.hama://tvdb-123?lang=en"``, ``labels``,
``year`` ...).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from fakes.cli import add_server_arguments, serve_until_stopped
from fakes.plex.server import FakePlex
from fakes.plex.state import PLEX_RELEASES, PLEX_VERSION, FakePlexState


def load_library(state: FakePlexState, library: dict[str, Any]) -> None:
    for section in library.get("sections", []):
        state.add_section(**section)
    for item in library.get("items", []):
        state.add_item(**item)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fakes.plex", description=__doc__)
    add_server_arguments(parser, port=32400)
    parser.add_argument("--token", required=True, help="the X-Plex-Token it accepts")
    parser.add_argument("--library", type=Path, help="JSON object of sections and items")
    parser.add_argument("--name", default="Fake Plex", help="the server's friendly name")
    parser.add_argument(
        "--version",
        choices=PLEX_RELEASES,
        default=PLEX_VERSION,
        help="the release it plays and reports (default: %(default)s)",
    )
    args = parser.parse_args(argv)
    fake = FakePlex(
        token=args.token,
        host=args.host,
        port=args.port,
        latency_s=args.latency_ms / 1000,
        name=args.name,
        version=args.version,
    )
    if args.library:
        load_library(fake.state, json.loads(args.library.read_text(encoding="utf-8")))
    return serve_until_stopped(fake, f"Fake Plex {fake.state.version}")


if __name__ == "__main__":
    raise SystemExit(main())
