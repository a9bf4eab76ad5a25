"""Progress of a scan run as people read it: done/total, files per second, ETA."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from scanner.models import ScanRun


@dataclass(frozen=True, slots=True)
class Progress:
    done: int
    total: int
    percent: float
    files_per_second: float | None
    eta_seconds: float | None
    elapsed_seconds: float

    @classmethod
    def of(cls, run: ScanRun, now: datetime | None = None) -> Progress:
        now = now or timezone.now()
        elapsed = (run.duration(until=now) or 0.0) if run.started_at else 0.0
        done = run.items_done + run.items_failed
        total = run.items_total
        if run.status in ScanRun.APPLIED or (run.planned_at and total == 0):
            percent = 100.0
        else:
            percent = round(100.0 * done / total, 1) if total else 0.0
        rate = run.files_probed / elapsed if elapsed > 0 and run.files_probed else None
        eta = None
        if run.is_active and run.planned_at and 0 < done < total and elapsed > 0:
            eta = round((total - done) * elapsed / done, 1)
        return cls(
            done=done,
            total=total,
            percent=percent,
            files_per_second=round(rate, 1) if rate is not None else None,
            eta_seconds=eta,
            elapsed_seconds=round(elapsed, 1),
        )

    def line(self) -> str:
        rate = f"{self.files_per_second:.0f} files/s" if self.files_per_second else "- files/s"
        eta = f"ETA {format_seconds(self.eta_seconds)}" if self.eta_seconds is not None else ""
        return f"{self.done}/{self.total} items ({self.percent:.0f}%), {rate} {eta}".rstrip()


def format_seconds(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
