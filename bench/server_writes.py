"""The media-server write step (issue 18): measured by bench/media_servers.py, its own
benchmark, run here as a subprocess on the benchmark's database server at the run's
scale; its result lines are read."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bench.machine import REPO
from bench.scans import Context, run_python
from bench.services import BenchError

SCRIPT = REPO / "bench" / "media_servers.py"
_STEP = re.compile(
    r"^(?P<server>\w+)\s+(?P<phase>first|rescan)\s*:\s+(?P<seconds>[\d.]+) s,\s+"
    r"(?P<requests>\d+) requests,\s+(?P<writes>\d+) writes, (?P<matched>\d+) matched",
    re.MULTILINE,
)


@dataclass(frozen=True)
class ServerStep:
    server: str  # jellyfin, plex
    phase: str  # first, rescan
    seconds: float
    requests: int
    writes: int
    matched: int

    def describe(self) -> str:
        return (
            f"{self.seconds:.1f} s, {self.requests} requests, {self.writes} writes "
            f"({self.matched} items matched)"
        )


def measure_server_writes(context: Context, *, series: int, movies: int) -> list[ServerStep]:
    """Raises BenchError when the script's checks failed (a wrong tag, an unmatched item,
    a write on the rescan) or it printed no figure."""
    run_python(
        context, [str(SCRIPT), "--series", str(series), "--movies", str(movies)], "media-servers"
    )
    output = (context.work / "media-servers.log").read_text(errors="replace")
    steps = [
        ServerStep(
            server=match["server"],
            phase=match["phase"],
            seconds=float(match["seconds"]),
            requests=int(match["requests"]),
            writes=int(match["writes"]),
            matched=int(match["matched"]),
        )
        for match in _STEP.finditer(output)
    ]
    if not steps:
        raise BenchError(f"bench/media_servers.py printed no result:\n{output[-2000:]}")
    return steps
