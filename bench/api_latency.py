"""``/api/media/`` p95 at 32,000 rows: measured by bench/api_media.py (the REST API's own
benchmark: it seeds its own throwaway database on the same PostgreSQL server and times
the view through Django's test client). Run here as a subprocess; its result line is read."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bench.machine import REPO
from bench.scans import Context, run_python
from bench.services import BenchError

SCRIPT = REPO / "bench" / "api_media.py"
_RESULT = re.compile(
    r"(?P<requests>\d+) requests: p50 (?P<p50>[\d.]+) ms, p95 (?P<p95>[\d.]+) ms, "
    r"max (?P<max>[\d.]+) ms"
)
_QUERIES = re.compile(r"(?P<queries>\d+) queries per request")
TINY = ("--rows", "2000", "--requests", "50")  # CI: it only has to keep working


@dataclass(frozen=True)
class ApiMedia:
    rows: int
    requests: int
    p50_ms: float
    p95_ms: float
    max_ms: float
    queries: int | None

    def describe(self) -> str:
        queries = f", {self.queries} queries/request" if self.queries is not None else ""
        return (
            f"p50 {self.p50_ms:.0f} ms, p95 {self.p95_ms:.0f} ms, max {self.max_ms:.0f} ms "
            f"({self.rows} rows, {self.requests} requests{queries})"
        )


def measure_api_media(context: Context, *, tiny: bool) -> ApiMedia | None:
    """None when bench/api_media.py is not there (the API work not merged yet)."""
    if not SCRIPT.exists():
        return None
    args = [str(SCRIPT), *(TINY if tiny else ())]
    run_python(context, args, "api-media")
    output = (context.work / "api-media.log").read_text(errors="replace")
    result, queries = _RESULT.search(output), _QUERIES.search(output)
    if result is None:
        raise BenchError(f"bench/api_media.py printed no result:\n{output[-2000:]}")
    return ApiMedia(
        rows=int(TINY[1]) if tiny else 32_000,
        requests=int(result["requests"]),
        p50_ms=float(result["p50"]),
        p95_ms=float(result["p95"]),
        max_ms=float(result["max"]),
        queries=int(queries["queries"]) if queries else None,
    )
