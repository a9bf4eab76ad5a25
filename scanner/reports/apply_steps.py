"""The apply step as people read it while it runs: which step (the *arr's tags, the NFO
files, the media servers), m of n, the rate over that step's own work and the time left
(the values: scanner.pipeline.state.apply_steps)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.dateparse import parse_datetime
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from scanner.models import ScanRun

# What each step does, and what it counts.
# The noun names the position (item 1200 of 4800), not a count: no plural to choose, so
# neither number decides the grammar of the other (issue 84).
STEPS = {
    "arr": _("writing tags to %(app)s: item %(done)d of %(total)d"),
    "nfo": _("writing NFO files: item %(done)d of %(total)d"),
    "servers": _("updating the media servers: server %(done)d of %(total)d"),
}
RATES = {
    "arr": _("%(rate)s items/s"),
    "nfo": _("%(rate)s items/s"),
    "servers": _("%(rate)s servers/s"),
}


@dataclass(frozen=True, slots=True)
class ApplyStep:
    step: str
    done: int
    total: int
    per_second: float | None  # over this step's own time, None before its first count
    eta_seconds: float | None

    @classmethod
    def of(cls, run: ScanRun, now: datetime) -> ApplyStep | None:
        """The step running now; None when the run is not writing."""
        data = _progress(run)
        if run.status != ScanRun.Status.APPLYING or data.get("step") not in STEPS:
            return None
        done, total = _count(data.get("done")), _count(data.get("total"))
        began = parse_datetime(str(data.get("step_at", "")))
        spent = (now - began).total_seconds() if began else 0.0
        rate = done / spent if done and spent > 0 else None
        eta = None
        if rate and total >= done:
            eta = round((total - done) / rate, 1)
        return cls(str(data["step"]), done, total, rate, eta)

    def text(self, app: str) -> str:
        """``writing NFO files: item 1200 of 4800``."""
        return str(STEPS[self.step]) % {"app": app, "done": self.done, "total": self.total}

    def rate_text(self) -> str:
        if self.per_second is None:
            return "-"
        return str(RATES[self.step]) % {"rate": rate_number(self.per_second)}


def rate_number(rate: float) -> str:
    """A rate as the reader's language writes numbers (``126,7`` in German): one
    decimal place below 10, none from 10 on. The reading phase's too (reports.progress)."""
    places = 1 if rate < 10 else 0
    return number_format(round(rate, places), places)  # number_format cuts, never rounds


def writing_began(run: ScanRun) -> datetime | None:
    """When the apply step began: the end of the reading phase, for its rate."""
    return parse_datetime(str(_progress(run).get("apply_at", ""))) or None


def _progress(run: ScanRun) -> dict[str, Any]:
    return run.apply_progress if isinstance(run.apply_progress, dict) else {}


def _count(value: Any) -> int:
    return value if isinstance(value, int) and value >= 0 else 0
