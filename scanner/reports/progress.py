"""A scan run as people read it: its phase, its counters, its rate and ETA while it
runs, and its final figures. The admin's live page, the API, the dashboard and the
command line all read it from here, so they say the same thing in the same words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format

from scanner.models import ScanRun
from scanner.reports.apply_steps import ApplyStep, writing_began
from scanner.reports.media_server_outcomes import media_server_text
from scanner.reports.run_changes import change_lines

Status = ScanRun.Status

PHASES = {
    "queued": "waiting for a worker",
    "planning": "listing the library",
    "scanning": "reading files",
    "applying": "writing tags",
    "recording": "recording the planned tags",
    "interrupted": "interrupted: nothing running",
    "finished": "finished",
}


def phase_of(run: ScanRun) -> str:
    if run.status == Status.QUEUED:
        return "queued"
    if run.status == Status.RUNNING:
        return "scanning" if run.planned_at else "planning"
    if run.status == Status.APPLYING:
        return "recording" if run.dry_run else "applying"
    if run.status == Status.INTERRUPTED:
        return "interrupted"
    return "finished"


def run_name(run: ScanRun) -> str:
    """What people call the run: a scan, a dry run, or applying planned tags."""
    if run.mode == ScanRun.Mode.APPLY:
        return "Apply"
    return "Dry run" if run.dry_run else "Scan"


@dataclass(frozen=True, slots=True)
class Progress:
    phase: str
    applies_only: bool  # an apply run: nothing is scanned by design
    done: int  # items scanned or failed
    total: int  # items to scan (the rest are unchanged)
    unchanged: int
    failed: int
    percent: float
    files_probed: int
    file_errors: int
    files_per_second: float | None  # only while or after files were read
    eta_seconds: float | None
    elapsed_seconds: float
    listed: bool = True  # the library was listed (a run that failed first never was)
    writing: str = ""  # while tags are written: the step, m of n, its rate and time left
    tracks_heard: int = 0  # audio tracks listened to so far
    # ... of the tracks the items scanned so far asked to be heard: each item's are
    # counted as its files are read, so n grows with the scan and is whole at its end.
    tracks_to_hear: int = 0

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
        # Rate and ETA over the reading phase only: listing and writing are not files.
        reading = 0.0
        if run.planned_at:
            ended = writing_began(run) or run.finished_at or now
            reading = (ended - run.planned_at).total_seconds()
        rate = run.files_probed / reading if reading > 0 and run.files_probed else None
        eta = None
        if run.status == Status.RUNNING and run.planned_at and 0 < done < total and reading > 0:
            eta = round((total - done) * reading / done, 1)
        return cls(
            phase=phase_of(run),
            applies_only=run.mode == ScanRun.Mode.APPLY,
            done=done,
            total=total,
            unchanged=run.items_skipped,
            failed=run.items_failed,
            percent=percent,
            files_probed=run.files_probed,
            file_errors=run.file_errors,
            files_per_second=round(rate, 1) if rate is not None else None,
            eta_seconds=eta,
            elapsed_seconds=round(elapsed, 1),
            listed=run.planned_at is not None or run.mode == ScanRun.Mode.APPLY,
            writing=_writing_line(run, now),
            tracks_heard=run.tracks_heard,
            tracks_to_hear=max(run.tracks_to_hear, run.tracks_heard),  # runs from before it
        )

    def items_text(self) -> str:
        """``5/12 items scanned, 18 unchanged`` or ``18 unchanged, nothing to scan``."""
        if self.phase in ("queued", "planning"):
            return "not listed yet"
        if not self.listed:
            return "not listed: the scan stopped before it listed the library"
        if self.applies_only:
            return f"{self.unchanged} {_items(self.unchanged)}, none scanned (applying only)"
        parts = [f"{self.done}/{self.total} {_items(self.total)} scanned"] if self.total else []
        if self.unchanged or not self.total:
            parts.append(f"{self.unchanged} unchanged")
        if not self.total:
            parts.append("nothing to scan")
        if self.failed:
            parts.append(f"{self.failed} failed")
        if self.tracks_to_hear:
            parts.append(f"listening: {self.listening_text()}")
        return ", ".join(parts)

    def listening_text(self) -> str:
        """``12 of 40 audio tracks`` (n: those of the items read so far)."""
        return f"{self.tracks_heard} of {self.tracks_to_hear} audio tracks"

    def rate_text(self) -> str:
        if self.files_per_second is None:
            return "no file read" if self.phase == "finished" else "-"
        return f"{self.files_per_second:g} files/s"

    def line(self) -> str:
        """One line for lists and terminals."""
        eta = f", ETA {format_seconds(self.eta_seconds)}" if self.eta_seconds is not None else ""
        if self.writing:
            return f"{self.items_text()}; {self.writing}"
        rate = f", {self.rate_text()}" if self.files_per_second is not None else ""
        return f"{self.items_text()}{rate}{eta}"


def live_view(run: ScanRun, now: datetime | None = None) -> dict[str, Any]:
    """Everything the live scan page shows, as text, keyed by the element it fills; the
    page renders it once and its script refreshes it from the API (one endpoint)."""
    now = now or timezone.now()
    progress = Progress.of(run, now)
    writing = ApplyStep.of(run, now)
    view = {
        "status": run.get_status_display(),
        "phase": retry_text(run) or PHASES[progress.phase],
        "items": progress.items_text(),
        "files": _files_text(progress),
        "rate": progress.rate_text(),
        "eta": format_seconds(progress.eta_seconds),
        "changes": changes_text(run),
        "started": _when(run.started_at),
        "finished": _when(run.finished_at),
        "elapsed": format_seconds(progress.elapsed_seconds if run.started_at else None),
        "error": run.error,
        "percent": f"{progress.percent:.0f}%",
        "bar_max": progress.total or 1,
        "bar_value": progress.done if progress.total else int(progress.percent >= 100),
    }
    if writing is not None:
        # The step's own counts, rate and time left: not 100 % and a falling rate.
        view.update(
            phase=retry_text(run) or writing.text(run.instance.get_kind_display()),
            rate=writing.rate_text(),
            eta=format_seconds(writing.eta_seconds),
            percent=f"{100 * writing.done // max(writing.total, 1)}%",
            bar_max=writing.total or 1,
            bar_value=writing.done,
        )
    return view


def _writing_line(run: ScanRun, now: datetime) -> str:
    """``writing NFO files: 1200 of 4800 items, 40 items/s, ETA 1:30``; "" when not writing."""
    step = ApplyStep.of(run, now)
    if step is None:
        return ""
    eta = f", ETA {format_seconds(step.eta_seconds)}" if step.eta_seconds is not None else ""
    return f"{step.text(run.instance.get_kind_display())}, {step.rate_text()}{eta}"


def retry_text(run: ScanRun) -> str:
    """``waiting to retry: <why>; next try at 07:31:05``, while the run's step waits to
    retry (scanner.pipeline.state.runs.waiting_to_retry); "" once it beat again or ended."""
    retry = (run.summary or {}).get("retry")
    if not run.is_active or not isinstance(retry, dict) or run.heartbeat_at is None:
        return ""
    stamped = parse_datetime(str(retry.get("at", "")))
    next_try = parse_datetime(str(retry.get("next_try_at", "")))
    if stamped is None or next_try is None or run.heartbeat_at > stamped:
        return ""
    at = date_format(timezone.localtime(next_try), "H:i:s")
    return f"waiting to retry: {retry.get('why', 'the *arr did not answer')}; next try at {at}"


def changes_text(run: ScanRun) -> str:
    """What the run did to tags, in words that never call a planned change applied."""
    summary = run.summary or {}
    if run.is_active:
        return "not decided yet"
    if "planned_changes" not in summary:
        return "-"
    planned = int(summary["planned_changes"])
    if run.dry_run:
        return f"{planned} planned, nothing written (dry run)" if planned else "none needed"
    failed = len(summary.get("tag_write_failures") or {})
    if not planned:
        return "none needed"
    not_written = not_written_text(summary.get("not_written") or {})
    if not_written and not run.tags_changed:
        text = f"nothing written: {not_written}"
    else:
        text = f"{run.tags_changed} written"
        if not_written:
            text += f"; not written: {not_written}"
    return f"{text}, {failed} failed" if failed else text


# Why a library folder's tag change is held by no NFO and no media server
# (scanner.pipeline.writers.nfo_writes: NfoOutcome, NFO_OFF, NFO_ERROR).
NOT_WRITTEN_WHY = {
    "missing": "no NFO file found and Create NFOs is off",
    "no_link": "no NFO file found, and Taggarr creates one only with the item's TMDB, "
    "TVDB or IMDb id (which a library folder does not give)",
    "kept": "Write NFO tags is off",
    "nfo_off": "Write NFO tags and Create NFOs are off",
    "not_here": "the item's folder is not reachable from Taggarr",
    "nfo_error": "its NFO could not be written (see the events)",
}
NO_CARRIER_HINT = (
    "have your media server or a metadata manager save NFO files, or connect a media server"
)


def not_written_text(reasons: dict[str, int]) -> str:
    """``no NFO file found and Create NFOs is off (200)``; "" when every change landed."""
    parts = [
        f"{NOT_WRITTEN_WHY.get(why, 'no NFO or media server holds it')} ({count})"
        for why, count in sorted(reasons.items(), key=lambda item: -item[1])
        if count
    ]
    if parts and set(reasons) & {"missing", "no_link", "nfo_off"}:
        parts.append(NO_CARRIER_HINT)
    return "; ".join(parts)


def summary_lines(run: ScanRun) -> list[tuple[str, str]]:
    """A finished run's final figures, labelled for people."""
    summary = run.summary or {}
    if run.is_active or not set(summary) - {"retry"}:
        return []
    lines: list[tuple[str, str]] = []
    if "listed" in summary:
        lines.append(("Items", f"{summary['listed']} listed: {Progress.of(run).items_text()}"))
    if summary.get("not_listed"):
        reasons = ", ".join(f"{why}: {n}" for why, n in summary["not_listed"].items())
        lines.append(("Not handled", reasons))
    if summary.get("removed"):
        lines.append(("Left the library", str(summary["removed"])))
    lines.append(("Files read", f"{run.files_probed} ({run.file_errors} unreadable)"))
    listening = Progress.of(run)
    if listening.tracks_to_hear:
        left = listening.tracks_to_hear - listening.tracks_heard
        later = f" ({left} not heard)" if left else ""
        lines.append(("Listened to", listening.listening_text() + later))
    if "audio_source" in summary:
        lines.append(("Audio languages from", summary["audio_source"]))
    if "planned_changes" in summary:
        lines.append(("Tag changes", changes_text(run)))
        lines.extend(change_lines(run))
        if summary.get(f"{'planned' if run.dry_run else 'tags'}_cleared"):
            count = summary[f"{'planned' if run.dry_run else 'tags'}_cleared"]
            lines.append((f"Tags {'to remove' if run.dry_run else 'removed'}", str(count)))
    if summary.get("nfo_written") or summary.get("nfo_errors"):
        created = summary.get("nfo_created", 0)
        lines.append(("NFO files", f"{summary.get('nfo_written', 0)} written"
                                   f"{f' ({created} created)' if created else ''}, "
                                   f"{summary.get('nfo_errors', 0)} errors"))  # fmt: skip
    for name, outcome in (summary.get("media_servers") or {}).items():
        lines.append((f"Media server {name}", media_server_text(outcome)))
    if "duration_s" in summary:
        lines.append(("Duration", format_seconds(summary["duration_s"])))
    return lines


def format_seconds(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _files_text(progress: Progress) -> str:
    unreadable = f", {progress.file_errors} unreadable" if progress.file_errors else ""
    return f"{progress.files_probed} read{unreadable}"


def _items(count: int) -> str:
    return "item" if count == 1 else "items"


def _when(moment: datetime | None) -> str:
    if moment is None:
        return "-"
    return date_format(timezone.localtime(moment), "Y-m-d H:i:s")
