"""bench/hostile.py's cases, how each is judged against issue 50's targets, and its
table."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bench.machine import describe_code, machine, uncommitted

WORKER_PEAK_MB = 300  # issue 50's targets: the 10,000-series figures
WEB_PEAK_MB = 250
TOO_DEEP = "answer nested deeper than 64 levels"
TOO_LARGE_ITEM = "an item of the list larger than 1 MB"


@dataclass(frozen=True)
class Case:
    """One hostile server: a case of fakes/hostile at its base URL, and what the error
    must say."""

    name: str
    case: str
    said: str
    fake: str = ""  # which fake process: "" the main one, "deeper", "episodes"
    ends: str = "failed"  # a run whose items all failed ends partial (the next scan retries)

    def url(self, fakes: dict[str, Any]) -> str:
        return f"{fakes[self.fake].url}/case/{self.case}"

    def judge(
        self,
        status: str,
        error: str,
        seconds: float | None,
        bound: float,
        peak_mb: float,
        killed: list[str],
        *,
        where: str = "worker scan",
        expected_status: str | None = None,
        peak_target: int = WORKER_PEAK_MB,
    ) -> Outcome:
        problems = []
        expected_status = expected_status or self.ends
        if status != expected_status:
            problems.append(f"ended {status}, not {expected_status}")
        if self.said not in error:
            problems.append(f"the reason does not say {self.said!r}")
        if seconds is None or seconds > bound:
            problems.append(f"not ended within {bound:g} s")
        if peak_mb > peak_target:
            problems.append(f"peak RSS {peak_mb:.0f} MB over {peak_target} MB")
        if killed:
            problems.append(f"killed or lost: {', '.join(killed)}")
        problem = f"{where} {self.name}: " + "; ".join(problems) if problems else ""
        return Outcome(where, self.name, status, error, seconds, bound, peak_mb, problem)


@dataclass(frozen=True)
class Outcome:
    where: str
    name: str
    status: str
    error: str
    seconds: float | None
    bound: float
    peak_mb: float
    problem: str


TOO_SLOW = "no complete answer within"
# A worker's *arr list is bounded per element (issue 83): each element within the deadline
# of the one before. A web request's own deadline still says TOO_SLOW.
TOO_SLOW_ITEM = "no new item of the list within"
# What the form's Fetch says of a server that is silent or too slow, whatever the socket
# error (issue 59: the form must not tell refused from silent; the log keeps why).
SILENT = "did not answer"
WORKER_CASES = (
    Case("deep 400 KB", "deep_arrays", TOO_DEEP),
    Case("deep 4 MB", "deep_arrays", TOO_DEEP, fake="deeper"),
    # An *arr's list is bounded per item, not as a whole (issue 83): a list of 1.5 GB of
    # good items would be read; one item of 2 MB is refused.
    Case("an item of 2 MB", "huge_item", TOO_LARGE_ITEM),
    Case("a byte a second", "drip", TOO_SLOW_ITEM),
    Case("never answers", "silent", TOO_SLOW_ITEM),
    Case("redirect to file://", "redirect_file", "302"),
    Case("redirect to another host", "redirect_other", "302"),
    Case(
        "an episode file of 2 MB, 32 series",
        "huge_item",
        TOO_LARGE_ITEM,
        fake="episodes",
        ends="partial",
    ),
)


def render(
    outcomes: list[Outcome],
    problems: list[str],
    args: argparse.Namespace,
    repeat: str,
    ready_mb: float | None = None,
) -> str:
    started = uncommitted()
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"## Hostile servers and images (issues 50, 59), {when}",
        "",
        f"{machine()}; {describe_code(started, started)}. TAGGARR_ARR_RETRY_SECONDS "
        f"{args.retry}, TAGGARR_HTTP_DEADLINE_SECONDS {args.deadline} (read timeout "
        f"{args.deadline} s), TAGGARR_WEB_DEADLINE_SECONDS {args.web_deadline}; 2 worker "
        "processes, gunicorn with 2 workers (taggarr/gunicorn_conf.py). The worker scans run "
        "all at once, so their peak is the worker processes' over all of them"
        + (f" ({ready_mb:.0f} MB before the first scan)." if ready_mb else "."),
        "",
        "| where | server | ended | seconds (bound) | peak RSS (target) | reason |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for o in outcomes:
        target = WORKER_PEAK_MB if o.where.startswith("worker") else WEB_PEAK_MB
        seconds = "never" if o.seconds is None else f"{o.seconds:.1f}"
        reason = o.error.replace("|", "/").replace("\n", " ")[:140]
        lines.append(
            f"| {o.where} | {o.name} | {o.status} | {seconds} ({o.bound:g}) "
            f"| {o.peak_mb:.0f} MB ({target}) | {reason} |"
        )
    lines += ["", f"Problems: {'; '.join(problems) if problems else 'none'}.", "", repeat, ""]
    return "\n".join(lines)
