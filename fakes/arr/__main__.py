"""``python -m fakes.arr``: run the fake Sonarr/Radarr until interrupted.

The first line on stdout is ``Fake Sonarr 4.0.14.2939 listening on http://HOST:PORT``
so that a parent process using ``--port 0`` can learn the port.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from fakes.arr import format_samples
from fakes.arr.samples import generate_library
from fakes.arr.server import FakeArr
from fakes.arr.state import FakeArrOptions
from fakes.cli import add_server_arguments, serve_until_stopped


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m fakes.arr", description=__doc__)
    parser.add_argument("--app", choices=("sonarr", "radarr"), default="sonarr")
    add_server_arguments(parser, port=8989)
    parser.add_argument("--api-key", required=True)
    parser.add_argument("--items", type=Path, help="JSON list of series/movie objects")
    parser.add_argument("--generate", type=int, default=0, help="without --items: N sample items")
    parser.add_argument("--tags", type=Path, help="JSON list of {id, label}")
    parser.add_argument(
        "--episode-files",
        type=Path,
        help="Sonarr: JSON list of episodefile objects, each with its seriesId",
    )
    parser.add_argument(
        "--version",
        default="",
        help="the release it plays and reports: Sonarr v3 or v4 (default 4.0.14.2939), "
        "Radarr v3 to v6 (default 5.26.2.10099); see the package's docstring for what "
        "differs by release",
    )
    parser.add_argument(
        "--format-samples",
        action="store_true",
        help="TRaSH-like custom formats and quality profiles (VFQ, VFF, MULTi, German, "
        "Original: fakes/arr/format_samples.py) and Multi Languages Original + French",
    )
    parser.add_argument("--per-item-ms", type=float, default=0.0)
    parser.add_argument("--per-edit-ms", type=float, default=0.0, help="editor cost per id")
    parser.add_argument("--startup-503", type=int, default=0)
    parser.add_argument("--fail-put-ids", default="", help="comma-separated ids")
    parser.add_argument(
        "--invalid-ids", default="", help="comma-separated ids that fail validation"
    )
    parser.add_argument("--stall-editor-ids", default="", help="comma-separated ids")
    parser.add_argument("--stall-s", type=float, default=60.0)
    parser.add_argument(
        "--strict-tags",
        action="store_const",
        const=True,
        default=None,
        help="Radarr v6 label rule (default: as the version does)",
    )
    return parser.parse_args(argv)


def _ids(text: str) -> frozenset[int]:
    return frozenset(int(i) for i in text.split(",") if i.strip())


def _load_json(path: Path | None) -> list[Any]:
    return json.loads(path.read_text(encoding="utf-8")) if path else []


def options_from_args(args: argparse.Namespace) -> FakeArrOptions:
    return FakeArrOptions(
        app=args.app,
        version=args.version,
        api_key=args.api_key,
        startup_503=args.startup_503,
        latency_s=args.latency_ms / 1000,
        per_item_latency_s=args.per_item_ms / 1000,
        per_edit_latency_s=args.per_edit_ms / 1000,
        fail_put_ids=_ids(args.fail_put_ids),
        invalid_ids=_ids(args.invalid_ids),
        stall_editor_ids=_ids(args.stall_editor_ids),
        stall_s=args.stall_s,
        strict_tag_labels=args.strict_tags,
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        options = options_from_args(args)
    except ValueError as exc:  # a release it does not play
        sys.exit(f"python -m fakes.arr: {exc}")
    items = _load_json(args.items) if args.items else generate_library(args.app, args.generate)
    fake = FakeArr(options, items=items, tags=_load_json(args.tags), host=args.host, port=args.port)
    fake.state.replace_episode_files(_load_json(args.episode_files))
    if args.format_samples:
        format_samples.seed(fake.state)
    return serve_until_stopped(fake, f"Fake {options.app_title} {options.version}")


if __name__ == "__main__":
    sys.exit(main())
