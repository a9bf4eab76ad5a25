"""A scan run as people read it: its phase, its counters, its rate and ETA while it
runs, and its final figures. The admin's live page, the API, the dashboard and the
command line all read it from here, so they say the same thing in the same words."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext, ngettext_lazy, pgettext
from django.utils.translation import gettext_lazy as _

from scanner.models import ScanRun
from scanner.models.choices import AudioSource
from scanner.reports.apply_steps import ApplyStep, rate_number, writing_began
from scanner.reports.dub_corrections import correction_lines
from scanner.reports.event_sentences import run_error_text
from scanner.reports.media_server_outcomes import media_server_text
from scanner.reports.run_changes import change_lines
from scanner.reports.unheard import unheard_text

Status = ScanRun.Status

PHASES = {
    "queued": _("waiting for a worker"),
    "planning": _("listing the library"),
    "scanning": _("reading files"),
    "applying": _("writing tags"),
    "recording": _("recording the planned tags"),
    "interrupted": _("interrupted: nothing running"),
    "finished": _("finished"),
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


# Runs that read no file by design: the planned tags written, or decided again first.
NO_FILE_READ = (ScanRun.Mode.APPLY, ScanRun.Mode.REDECIDE)


def run_name(run: ScanRun) -> str:
    """What people call the run: a scan, a dry run, or applying planned tags; a noun in
    every language (issue 84: "Aplicar #2" read as a verb, the button's word)."""
    if run.mode == ScanRun.Mode.APPLY:
        return pgettext("a run's kind, a noun (Run #2 of Sonarr)", "Apply")
    if run.dry_run:
        return pgettext("a run's kind, a noun (Run #2 of Sonarr)", "Dry run")
    return pgettext("a run's kind, a noun (Run #2 of Sonarr)", "Scan")


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
    # ... of them, not heard because listening could not run, and why (a code of
    # scanner.models.choices.Unheard; "" when none).
    tracks_unheard: int = 0
    unheard_reason: str = ""

    @classmethod
    def of(cls, run: ScanRun, now: datetime | None = None) -> Progress:
        now = now or timezone.now()
        elapsed = (run.duration(until=now) or 0.0) if run.started_at else 0.0
        done = run.items_done + run.items_failed
        total = run.items_total
        if total == 0:
            percent = 100.0 if run.status in ScanRun.APPLIED or run.planned_at else 0.0
        else:  # rounded down, as the run's page: never 100 % with an item left
            percent = math.floor(1000 * min(done, total) / total) / 10
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
            applies_only=run.mode in NO_FILE_READ,
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
            listed=run.planned_at is not None or run.mode in NO_FILE_READ,
            writing=_writing_line(run, now),
            tracks_heard=run.tracks_heard,
            tracks_to_hear=max(run.tracks_to_hear, run.tracks_heard),  # runs from before it
            tracks_unheard=run.tracks_unheard,
            unheard_reason=run.unheard_reason,
        )

    def items_text(self) -> str:
        """``5/12 items scanned, 18 unchanged`` or ``18 unchanged, nothing to scan``."""
        if self.phase in ("queued", "planning"):
            return gettext("not listed yet")
        if not self.listed:
            return gettext("not listed: the scan stopped before it listed the library")
        if self.applies_only:
            return ngettext(
                "%(count)d item, none scanned (applying only)",
                "%(count)d items, none scanned (applying only)",
                self.unchanged,
            ) % {"count": self.unchanged}
        parts = []
        if self.total:
            # A position, not a count: no plural (issue 84: one count per plural).
            scanned = gettext("scanned up to item %(done)d of %(total)d")
            parts.append(scanned % {"done": self.done, "total": self.total})
        if self.unchanged or not self.total:
            unchanged = ngettext("%(count)d unchanged", "%(count)d unchanged", self.unchanged)
            parts.append(unchanged % {"count": self.unchanged})
        if not self.total:
            parts.append(gettext("nothing to scan"))
        if self.failed:
            parts.append(_failed(self.failed))
        if self.tracks_to_hear:
            parts.append(gettext("listening: %(tracks)s") % {"tracks": self.listening_text()})
        return ", ".join(parts)

    def listening_text(self) -> str:
        """``audio track 12 of 40`` (of those of the items read so far): a position, no
        plural (issue 84: one count per plural)."""
        return gettext("audio track %(heard)d of %(count)d") % {
            "heard": self.tracks_heard,
            "count": self.tracks_to_hear,
        }

    def rate_text(self) -> str:
        if self.files_per_second is None:
            return gettext("no file read") if self.phase == "finished" else "-"
        return gettext("%(rate)s files/s") % {"rate": rate_number(self.files_per_second)}

    def line(self) -> str:
        """One line for lists and terminals."""
        values = {"items": self.items_text(), "eta": format_seconds(self.eta_seconds)}
        if self.writing:
            return gettext("%(items)s; %(writing)s") % {**values, "writing": self.writing}
        if self.files_per_second is None:
            if self.eta_seconds is None:
                return values["items"]
            return gettext("%(items)s, ETA %(eta)s") % values
        values["rate"] = self.rate_text()
        if self.eta_seconds is None:
            return gettext("%(items)s, %(rate)s") % values
        return gettext("%(items)s, %(rate)s, ETA %(eta)s") % values


def live_view(run: ScanRun, now: datetime | None = None) -> dict[str, Any]:
    """Everything the live scan page shows, as text, keyed by the element it fills; the
    page renders it once and its script refreshes it from the API (one endpoint)."""
    now = now or timezone.now()
    progress = Progress.of(run, now)
    writing = ApplyStep.of(run, now)
    view = {
        "status": run.get_status_display(),
        "phase": retry_text(run) or str(PHASES[progress.phase]),
        "items": progress.items_text(),
        "files": _files_text(progress),
        "rate": progress.rate_text(),
        "eta": format_seconds(progress.eta_seconds),
        "changes": changes_text(run),
        "started": _when(run.started_at),
        "finished": _when(run.finished_at),
        "elapsed": format_seconds(progress.elapsed_seconds if run.started_at else None),
        "error": run_error_text(run),
        # Said once: here while the run goes on, in its final figures once it ended.
        "listening": unheard_text(run) if run.is_active else "",
        "percent": percent_text(int(progress.percent)),  # 99.9: 99 %, as the rows count
        "bar_max": progress.total or 1,
        "bar_value": progress.done if progress.total else int(progress.percent >= 100),
    }
    if writing is not None:
        # The step's own counts, rate and time left: not 100 % and a falling rate.
        view.update(
            phase=retry_text(run) or writing.text(run.instance.get_kind_display()),
            rate=writing.rate_text(),
            eta=format_seconds(writing.eta_seconds),
            percent=percent_text(100 * writing.done // max(writing.total, 1)),
            bar_max=writing.total or 1,
            bar_value=writing.done,
        )
    return view


def percent_text(percent: int) -> str:
    """``40%``; as the language writes it (French: ``40 %``, a no-break space)."""
    return gettext("%(percent)d%%") % {"percent": percent}


def _writing_line(run: ScanRun, now: datetime) -> str:
    """``writing NFO files: 1200 of 4800 items, 40 items/s, ETA 1:30``; "" when not writing."""
    step = ApplyStep.of(run, now)
    if step is None:
        return ""
    values = {
        "step": step.text(run.instance.get_kind_display()),
        "rate": step.rate_text(),
        "eta": format_seconds(step.eta_seconds),
    }
    if step.eta_seconds is None:
        return gettext("%(step)s, %(rate)s") % values
    return gettext("%(step)s, %(rate)s, ETA %(eta)s") % values


def retry_text(run: ScanRun) -> str:
    """``waiting to retry: <why>; next try at 07:31:05``, while the run's step waits to
    retry (scanner.pipeline.state.runs.waiting_to_retry); "" once it beat again or ended."""
    stamped, next_try = run.retry_noted_at, run.retry_next_at
    if not run.is_active or run.heartbeat_at is None:
        return ""
    if stamped is None or next_try is None or run.heartbeat_at > stamped:
        return ""
    at = date_format(timezone.localtime(next_try), "H:i:s")
    why = run.retry_why or gettext("the *arr did not answer")
    return gettext("waiting to retry: %(why)s; next try at %(at)s") % {"why": why, "at": at}


def changes_text(run: ScanRun) -> str:
    """What the run did to tags, in words that never call a planned change applied."""
    summary = run.summary or {}
    if run.is_active:
        return gettext("not decided yet")
    if "planned_changes" not in summary:
        return "-"
    planned = int(summary["planned_changes"])
    if run.dry_run:
        if not planned:
            return gettext("none needed")
        return ngettext(
            "%(count)d planned, nothing written (dry run)",
            "%(count)d planned, nothing written (dry run)",
            planned,
        ) % {"count": planned}
    failed = len(summary.get("tag_write_failures") or {})
    if not planned:
        return gettext("none needed")
    reasons = summary.get("not_written") or {}
    sentences = [] if reasons and not run.tags_changed else [_changes_written(run.tags_changed)]
    sentences += not_written_sentences(reasons)
    if failed:
        sentences.append(_changes_failed(failed))
    return " ".join(sentences)


# Why a library folder's tag change is held by no NFO and no media server
# (scanner.pipeline.writers.nfo_writes: NfoOutcome, NFO_OFF, NFO_ERROR).
NOT_WRITTEN_WHY = {
    "missing": _("no NFO file found and Create NFOs is off"),
    "no_link": _(
        "no NFO file found, and Taggarr creates one only with the item's TMDB, "
        "TVDB or IMDb id (which a library folder does not give)"
    ),
    "kept": _("Write NFO tags is off"),
    "nfo_off": _("Write NFO tags and Create NFOs are off"),
    "not_here": _("the item's folder is not reachable from Taggarr"),
    "nfo_error": _("its NFO could not be written (see the events)"),
}
# The same advice as a sentence of its own, after the sentences that say why (issue 71:
# never a clause appended to another message).
NO_CARRIER_SENTENCE = _(
    "Have your media server or a metadata manager save NFO files, or connect a media server."
)


def not_written_sentences(reasons: dict[str, int]) -> list[str]:
    """``200 tag changes not written: no NFO file found and Create NFOs is off.``, one
    sentence per reason (the plural the count's own), then the advice as a sentence of
    its own; [] when every change landed."""
    sentences = [
        ngettext(
            "%(count)d tag change not written: %(why)s.",
            "%(count)d tag changes not written: %(why)s.",
            count,
        )
        % {
            "count": count,
            "why": NOT_WRITTEN_WHY.get(why) or gettext("no NFO or media server holds it"),
        }
        for why, count in sorted(reasons.items(), key=lambda item: -item[1])
        if count
    ]
    if sentences and set(reasons) & {"missing", "no_link", "nfo_off"}:
        sentences.append(str(NO_CARRIER_SENTENCE))
    return sentences


# Why a listed item was left out (scanner.pipeline.scanning.sources and sync: the
# summary keeps the English reason as its key), told with the count.
NOT_LISTED_WHY = {
    "folder not found locally": ngettext_lazy(
        "%(count)d item whose folder Taggarr does not find",
        "%(count)d items whose folder Taggarr does not find",
        "count",
    ),
    "outside the root folders": ngettext_lazy(
        "%(count)d item outside the root folders",
        "%(count)d items outside the root folders",
        "count",
    ),
    "genre filter": ngettext_lazy(
        "%(count)d item left out by the genre filter",
        "%(count)d items left out by the genre filter",
        "count",
    ),
    "shares its folder with another item": ngettext_lazy(
        "%(count)d item that shares its folder with another item",
        "%(count)d items that share their folder with another item",
        "count",
    ),
}


def not_listed_text(reasons: dict[str, Any]) -> str:
    """``3 items left out by the genre filter, 1 item outside the root folders``."""
    parts = []
    for why, count in reasons.items():
        if not isinstance(count, int):
            continue
        forms = NOT_LISTED_WHY.get(why)
        if forms is None:  # a reason of a later version: as recorded
            parts.append(f"{why}: {count}")
        else:
            parts.append(str(forms % {"count": count}))
    return ", ".join(parts)


def summary_lines(run: ScanRun) -> list[tuple[str, str]]:
    """A finished run's final figures, labelled for people."""
    summary = run.summary or {}
    if run.is_active or not summary:
        return []
    lines: list[tuple[str, str]] = []
    progress = Progress.of(run)
    if "listed" in summary:
        listed = gettext("%(count)s listed: %(items)s")
        items = {"count": summary["listed"], "items": progress.items_text()}
        lines.append((gettext("Items"), listed % items))
    if summary.get("not_listed"):
        lines.append((gettext("Not handled"), not_listed_text(summary["not_listed"])))
    if summary.get("removed"):
        lines.append((gettext("Left the library"), str(summary["removed"])))
    read = str(run.files_probed)
    if run.file_errors:
        read = gettext("%(count)d (%(unreadable)s)") % {
            "count": run.files_probed, "unreadable": _unreadable(run.file_errors)
        }  # fmt: skip
    lines.append((gettext("Files read"), read))
    if summary.get("read_why"):
        lines.append((gettext("Why files were read"), read_why_text(summary["read_why"])))
    if progress.tracks_to_hear:
        # Those listening could not hear have a line of their own, below.
        left = progress.tracks_to_hear - progress.tracks_heard - progress.tracks_unheard
        # The tracks heard, counted (a run's summary; listening_text is the live position).
        heard = ngettext(
            "%(count)d audio track", "%(count)d audio tracks", progress.tracks_heard
        ) % {"count": progress.tracks_heard}
        if left > 0:
            not_heard = ngettext("%(left)d not heard", "%(left)d not heard", left)
            heard = gettext("%(heard)s (%(not_heard)s)") % {
                "heard": heard, "not_heard": not_heard % {"left": left}
            }  # fmt: skip
        lines.append((gettext("Listened to"), heard))
    if run.tracks_unheard:
        lines.append((gettext("Not heard"), unheard_text(run)))
    if run.audio_source:
        lines.append((gettext("Audio languages from"), audio_source_text(run.audio_source)))
    if "planned_changes" in summary:
        lines.append((gettext("Tag changes"), changes_text(run)))
        lines.extend(change_lines(run))
        if summary.get(f"{'planned' if run.dry_run else 'tags'}_cleared"):
            count = summary[f"{'planned' if run.dry_run else 'tags'}_cleared"]
            label = gettext("Tags to remove") if run.dry_run else gettext("Tags removed")
            lines.append((label, str(count)))
    lines.extend(correction_lines(summary))
    if summary.get("nfo_written") or summary.get("nfo_errors"):
        created = summary.get("nfo_created", 0)
        text = _written(summary.get("nfo_written", 0))
        if created:
            made = ngettext("%(count)d created", "%(count)d created", created)
            text = gettext("%(written)s (%(created)s)") % {
                "written": text, "created": made % {"count": created}
            }  # fmt: skip
        text += ", " + _errors(summary.get("nfo_errors", 0))
        lines.append((gettext("NFO files"), text))
    for name, outcome in (summary.get("media_servers") or {}).items():
        label = gettext("Media server %(name)s") % {"name": name}
        lines.append((label, media_server_text(outcome)))
    if "duration_s" in summary:
        lines.append((gettext("Duration"), format_seconds(summary["duration_s"])))
    return lines


# Why a run read files that had not changed (scanner.pipeline.scanning.read_reasons).
READ_WHY = {
    "variety_unknown": ngettext_lazy(
        "%(count)d to learn a variety the *arr's media info never names",
        "%(count)d to learn a variety the *arr's media info never names",
        "count",
    ),
    "variety_for_person": ngettext_lazy(
        "%(count)d to learn a variety a household member listens for, which the *arr's "
        "media info never names",
        "%(count)d to learn a variety a household member listens for, which the *arr's "
        "media info never names",
        "count",
    ),
    "arr_word_only": ngettext_lazy(
        "%(count)d judged before from the *arr's media info alone",
        "%(count)d judged before from the *arr's media info alone",
        "count",
    ),
}


def read_why_text(reasons: dict[str, Any]) -> str:
    """``6 to learn a variety the *arr's media info never names, 8 judged before ...``."""
    parts = []
    for why, count in reasons.items():
        forms = READ_WHY.get(why)
        if isinstance(count, int) and forms is not None:
            parts.append(str(forms % {"count": count}))
    return ", ".join(parts)


def format_seconds(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _files_text(progress: Progress) -> str:
    read = ngettext("%(count)d read", "%(count)d read", progress.files_probed)
    read %= {"count": progress.files_probed}
    if progress.file_errors:
        return read + ", " + _unreadable(progress.file_errors)
    return read


# Counted words, each through ngettext ("1 écrit", "3 écrits"; Polish has three forms),
# joined into comma lists of facts, never into sentences.
def _written(count: int) -> str:
    return ngettext("%(count)d written", "%(count)d written", count) % {"count": count}


def _failed(count: int) -> str:
    return ngettext("%(count)d failed", "%(count)d failed", count) % {"count": count}


def _changes_written(count: int) -> str:
    return ngettext("%(count)d tag change written.", "%(count)d tag changes written.", count) % {
        "count": count
    }


def _changes_failed(count: int) -> str:
    return ngettext(
        "The tags of %(count)d item could not be written.",
        "The tags of %(count)d items could not be written.",
        count,
    ) % {"count": count}


def _errors(count: int) -> str:
    return ngettext("%(count)d error", "%(count)d errors", count) % {"count": count}


def _unreadable(count: int) -> str:
    return ngettext("%(count)d unreadable", "%(count)d unreadable", count) % {"count": count}


def _when(moment: datetime | None) -> str:
    if moment is None:
        return "-"
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def audio_source_text(code: str) -> str:
    """The plan's audio source (a stored code: files, arr, hybrid) as the instance form
    names it, in the reader's language; a code no choice has any more, as stored."""
    try:
        return str(AudioSource(code).label)
    except ValueError:
        return code
