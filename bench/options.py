"""bench/run.py's options: the scales (``--scale 2000,10000``: each in turn), the phases,
the services, and the command that repeats a run."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

PHASES = ("files", "hosts", "arr", "hybrid", "api", "servers")
# hosts needs root (network and mount namespaces): run only when asked for.
DEFAULT_PHASES = tuple(p for p in PHASES if p != "hosts")
DESCRIPTION = "The whole system at the scale users have, against the floor (see bench/README.md)."


def repeat_command(options: argparse.Namespace) -> str:
    size = "--tiny" if options.tiny else f"--scale {options.scale}"
    extra = " --inline-db sqlite" if options.inline_db == "sqlite" else ""
    extra += " --share-listing-attrs" if options.share_listing_attrs else ""
    extra += f" --item-batch {options.item_batch}" if options.item_batch else ""
    return (
        f".venv/bin/python bench/run.py {size} --share-delay-ms {options.share_delay_ms:g}{extra}"
    )


def parse_options(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=DESCRIPTION)
    parser.add_argument(
        "--scale",
        default="2000",
        help="series (default 2000); a comma list (2000,10000) runs each in turn and compares",
    )
    parser.add_argument("--episodes", type=int, default=15, help="per series (default 15)")
    parser.add_argument("--movies", type=int, help="default: scale / 4 (500 at 2000)")
    parser.add_argument("--tiny", action="store_true", help="CI: 20 series, 5 movies, no share")
    parser.add_argument(
        "--share-delay-ms",
        type=float,
        help="the share's delay per file system call (default 0.5; 0 with --tiny: no share)",
    )
    parser.add_argument(
        "--share-listing-attrs",
        action="store_true",
        help="the share's listings carry attributes (NFS READDIRPLUS, SMB2): see bench/slowfs.c",
    )
    parser.add_argument(
        "--phases",
        default=",".join(DEFAULT_PHASES),
        help=f"comma-separated, of {', '.join(PHASES)} (default: all but hosts, which needs root)",
    )
    parser.add_argument("--inline-db", choices=("postgres", "sqlite"), default="postgres")
    parser.add_argument(
        "--postgres",
        default="postgresql://postgres@127.0.0.1:5432/postgres",
        help="server for the throwaway database taggarr_bench_<pid>",
    )
    parser.add_argument(
        "--redis",
        default="redis://127.0.0.1:6379/9",
        help="a Redis database index nobody else uses (flushed)",
    )
    parser.add_argument("--latency-ms", type=float, default=3.0, help="fake *arr, per request")
    parser.add_argument("--per-item-ms", type=float, default=0.5, help="fake *arr, per listed item")
    parser.add_argument("--webhooks", type=int, help="per audio source (20; 10 with --tiny)")
    parser.add_argument("--work", type=Path, help="work folder (default: a new temp folder)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--no-record", action="store_true", help="do not append to RESULTS.md")
    parser.add_argument(
        "--item-batch", type=int, help="TAGGARR_ITEM_BATCH of every process (default: its own)"
    )
    options = parser.parse_args(argv)
    try:
        options.scales = [int(part) for part in options.scale.split(",") if part.strip()]
    except ValueError:
        parser.error(f"--scale: whole numbers, comma-separated, not {options.scale!r}")
    if not options.scales or min(options.scales) < 1:
        parser.error("--scale: at least one number of series, each above 0")
    if options.tiny:
        options.scales = [20]
    if len(options.scales) > 1 and options.movies is not None:
        parser.error("--movies with several scales: each scale takes scale / 4")
    options.series = options.scales[0]
    options.movies = options.movies if options.movies is not None else options.series // 4
    if options.tiny:
        options.movies = 5
    if options.webhooks is None:
        options.webhooks = 10 if options.tiny else 20
    if options.share_delay_ms is None:
        options.share_delay_ms = 0.0 if options.tiny else 0.5
    options.phases = {p.strip() for p in options.phases.split(",") if p.strip()}
    if options.phases - set(PHASES):
        parser.error(f"--phases: unknown {', '.join(sorted(options.phases - set(PHASES)))}")
    return options


def at_scale(options: argparse.Namespace, series: int) -> argparse.Namespace:
    """The options of one scale of a ``--scale A,B`` run (movies: series / 4)."""
    one = argparse.Namespace(**vars(options))
    one.series, one.scale, one.scales = series, str(series), [series]
    if len(options.scales) > 1:
        one.movies = series // 4
    return one
