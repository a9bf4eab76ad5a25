"""A Sonarr that accepts connections and never answers: how long a scan's plan step
keeps trying before it gives up, inline (tenacity) and on a real worker (Celery's
retries). The retry budget is a deadline from the first try, request timeouts
included: the step must give up within TAGGARR_ARR_RETRY_SECONDS plus one read timeout
(the try under way when the deadline passes), not after a sum of waits plus a timeout
per try.

    .venv/bin/python bench/hanging_arr.py                 # the defaults: 120 s, 30 s
    .venv/bin/python bench/hanging_arr.py --budget 30 --read-timeout 10

It prints each path's seconds against the bound and exits 1 when one is over it. On
SQLite and the embedded broker in a throwaway data dir; a figure, not a test.
"""

from __future__ import annotations

import argparse
import socket
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.standalone import embedded_django, scan_on_a_worker  # noqa: E402 - after the path

KEY = "0123456789abcdef0123456789abcdef"


def silent_server() -> tuple[socket.socket, int]:
    """Accepts every connection and reads what comes, never answering."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    held: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                connection, _ = server.accept()
            except OSError:
                return
            held.append(connection)  # kept open, never answered

    threading.Thread(target=accept, daemon=True).start()
    return server, server.getsockname()[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--budget", type=int, default=120, help="TAGGARR_ARR_RETRY_SECONDS")
    parser.add_argument("--read-timeout", type=float, default=30.0, help="the instance's")
    options = parser.parse_args()
    embedded_django("taggarr-hang-", options.budget)
    from scanner.models import Instance, RunRequest, ScanRun
    from scanner.pipeline.runtime.inline import run_inline
    from scanner.pipeline.state import runs
    from scanner.pipeline.work import Plan

    server, port = silent_server()
    instance = Instance(
        name="hanging", kind=Instance.Kind.SONARR, url=f"http://127.0.0.1:{port}",
        root_folders=["/tv"], target_languages=["eng"], read_timeout=options.read_timeout,
    )  # fmt: skip
    instance.set_api_key(KEY)
    instance.save()
    bound = options.budget + options.read_timeout
    results: list[tuple[str, float, str]] = []

    run = runs.create_run(instance, RunRequest(ScanRun.Trigger.CLI))
    started = time.monotonic()
    run_inline((Plan(run.pk),))
    results.append(("inline (tenacity)", time.monotonic() - started, _ended(run)))

    run = runs.create_run(instance, RunRequest(ScanRun.Trigger.CLI))
    try:
        seconds = scan_on_a_worker(run.pk, "hang", 3 * bound)
        results.append(("worker (Celery retries)", seconds, _ended(run)))
    finally:
        server.close()
    failed = False
    for path, seconds, ended in results:
        over = seconds > bound
        failed |= over
        verdict = "OVER" if over else "within"
        print(f"{path}: gave up after {seconds:.1f} s ({verdict} the bound {bound:g} s): {ended}")
    return 1 if failed else 0


def _ended(run: object) -> str:
    from scanner.models import ScanRun

    row = ScanRun.objects.get(pk=run.pk)  # type: ignore[attr-defined]
    return f"{row.status}: {row.error[:160]}"


if __name__ == "__main__":
    sys.exit(main())
