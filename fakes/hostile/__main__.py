"""``python -m fakes.hostile``: a server that answers badly on purpose, until
interrupted. Every case at its own base URL, ``http://HOST:PORT/case/<name>``: huge,
endless, huge_xml, deep_arrays, deep_objects, deep_xml, drip, stall, stall_list,
huge_item, deep_item, many (``--many`` well-formed 1,000-byte elements), silent,
object_for_list, strings_for_numbers, invalid_utf8, redirect_file, redirect_other
(to ``--redirect-to``), cut (a Content-Length it does not keep: the connection closed
in the middle of the answer). ``--answer PATH=JSON`` answers PATH (below the case's base URL)
with that JSON instead, in every case: a status that lets a client go on to the list;
``--answer-file PATH=FILE`` with a file's bytes (an answer too large for a command line).

The first line on stdout is ``Fake hostile server listening on http://HOST:PORT``.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from fakes.cli import serve_until_stopped
from fakes.hostile.server import DEEP, DRIP_SECONDS, HUGE, MANY, MB, HostileServer


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fakes.hostile", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--huge-mb", type=int, default=HUGE // MB, help="the huge answers' size")
    parser.add_argument("--deep", type=int, default=DEEP, help="the deep answers' levels")
    parser.add_argument("--drip-seconds", type=float, default=DRIP_SECONDS, help="per byte")
    parser.add_argument("--many", type=int, default=MANY, help="the many case's elements")
    parser.add_argument("--redirect-to", default="", help="redirect_other's target URL")
    parser.add_argument("--print-requests", action="store_true", help="each on stdout")
    parser.add_argument("--answer", action="append", default=[], metavar="PATH=JSON")
    parser.add_argument(
        "--answer-file", action="append", default=[], metavar="PATH=FILE",
        help="an answer too large for the command line, read from a file",
    )  # fmt: skip
    args = parser.parse_args(argv)
    answers: dict[str, str | bytes] = {}
    for answer in args.answer:
        path, _, body = answer.partition("=")
        answers[path] = body.encode()
    for answer in args.answer_file:
        path, _, name = answer.partition("=")
        answers[path] = Path(name).read_bytes()
    fake = HostileServer(
        "huge", answers, host=args.host, port=args.port, huge_bytes=args.huge_mb * MB,
        deep_levels=args.deep, drip_seconds=args.drip_seconds, many_items=args.many,
    )  # fmt: skip
    fake.redirect_to = args.redirect_to
    fake.print_requests = args.print_requests
    return serve_until_stopped(fake, "Fake hostile server")


if __name__ == "__main__":
    raise SystemExit(main())
