"""bench/listen_scan.py's table: the scans with ``off`` and with ``unlabelled`` side by
side, against issue 53's targets, and the same run carried to 2,000 series + 500 movies
with the measured cost per listened track."""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bench.listen_library import SpeechLibrary
from bench.machine import commit, machine
from bench.report import markdown_table
from bench.scans import ScanFigure

CORES = os.cpu_count() or 1
DEFAULT_MAX_TRACKS = 200  # TAGGARR_LISTEN_MAX_TRACKS's default (taggarr/settings.py)
FULL_SERIES = 2000
HEADER = ("figure", "value", "target", "ratio", "")


@dataclass
class ModeFigures:
    mode: str
    scans: dict[str, ScanFigure] = field(default_factory=dict)  # "first scan", "rescan"
    cpu: dict[str, float] = field(default_factory=dict)  # worker CPU seconds per scan
    peaks_kib: list[int] = field(default_factory=list)  # VmHWM of each worker process
    model_mapped: bool = False  # CTranslate2 in a worker process's memory map

    def heard(self, label: str) -> int:
        return self.scans[label].total("tracks_heard")

    @property
    def peak_mb(self) -> float:
        return max(self.peaks_kib, default=0) * 1024 / 1e6

    def peaks_text(self) -> str:
        return " and ".join(f"{kib * 1024 / 1e6:.0f}" for kib in sorted(self.peaks_kib)[::-1])


def _verdict(ok: bool) -> str:
    return "met" if ok else "**MISSED**"


def render(
    results: list[ModeFigures],
    speech: SpeechLibrary,
    options: argparse.Namespace,
    *,
    command: str,
    seconds: float,
) -> tuple[str, list[str]]:
    off, on = results
    rows = []
    for label in ("first scan", "rescan"):
        for figures in (off, on):
            scan = figures.scans[label]
            rows.append((
                f"{label}, `{figures.mode}` (2 workers)",
                f"{scan.seconds:.1f} s wall, {figures.cpu[label]:.1f} s worker CPU, "
                f"{scan.files_probed} probed, {figures.heard(label)} tracks heard; "
                f"{scan.cpu.describe() if scan.cpu else ''}",
                "-", "-", "-",
            ))  # fmt: skip
    first = on.scans["first scan"].seconds / off.scans["first scan"].seconds
    rows.append(("first scan, `unlabelled` / `off`", f"{first:.2f} x", "<= 1.3 x",
                 f"{first / 1.3:.2f}", _verdict(first <= 1.3)))  # fmt: skip
    again = on.scans["rescan"].seconds / off.scans["rescan"].seconds
    rescan_ok = on.heard("rescan") == 0 and on.scans["rescan"].files_probed == 0
    rows.append(("rescan, `unlabelled` / `off`", f"{again:.2f} x, {on.heard('rescan')} heard, "
                 f"{on.scans['rescan'].files_probed} probed", "unchanged: 0 heard, 0 probed",
                 f"{again:.2f}", _verdict(rescan_ok)))  # fmt: skip
    heard = on.heard("first scan")
    per_track = (on.cpu["first scan"] - off.cpu["first scan"]) / heard if heard else 0.0
    rows.append(("worker CPU per listened track", f"{per_track:.2f} s ({heard} tracks)",
                 "<= 3 s", f"{per_track / 3:.2f}", _verdict(0 < per_track <= 3)))  # fmt: skip
    for figures, limit in ((off, 300), (on, 650)):
        rows.append((
            f"worker peak RSS, `{figures.mode}` (VmHWM per process)",
            f"{figures.peaks_text()} MB; the model's library (CTranslate2) mapped: "
            f"{'yes' if figures.model_mapped else 'no'}",
            f"<= {limit} MB", f"{figures.peak_mb / limit:.2f}",
            _verdict(figures.peak_mb <= limit),
        ))  # fmt: skip
    scans = [scan for figures in results for scan in figures.scans.values()]
    problems = [problem for scan in scans for problem in scan.problems()]
    if off.model_mapped:
        problems.append("the worker with `off` mapped CTranslate2 (the model's library)")
    if heard != speech.spoken:
        problems.append(f"the first `unlabelled` scan heard {heard} tracks, not {speech.spoken}")
    rows.append(("tags in the fake *arrs vs manifest, after every scan",
                 f"{sum(len(scan.mismatches) for scan in scans)} wrong",
                 "0", "-", _verdict(not problems)))  # fmt: skip
    scale = FULL_SERIES / options.series
    tracks = speech.spoken * scale
    off_full = off.scans["first scan"].seconds * scale
    on_full = off_full + tracks * per_track / CORES
    limited = off_full + DEFAULT_MAX_TRACKS * per_track / CORES
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    text = "\n".join([
        f"## Listening at scale (issue 53), bench/listen_scan.py, {stamp} - "
        f"{options.series} series x {options.episodes} episodes + {options.movies} movies - "
        f"commit {commit()}\n",
        f"Machine: {machine()}; whole run {seconds / 60:.1f} min. Command: `{command}`. "
        f"{speech.spoken} of {speech.tracks} audio tracks "
        f"({speech.spoken / speech.tracks:.1%}) are unlabelled real speech; "
        "TAGGARR_LISTEN_MAX_TRACKS lifted, so the first scan hears them all.\n",
        markdown_table(HEADER, rows),
        "",
        f"Carried to {FULL_SERIES:,} series + {FULL_SERIES // 4} movies with the figures above "
        f"(everything scales with the library): some {tracks:,.0f} tracks to hear; the `off` "
        f"first scan {off_full:.0f} s; `unlabelled` {off_full:.0f} s + {tracks:,.0f} x "
        f"{per_track:.2f} s / {CORES} cores = {on_full:.0f} s, {on_full / off_full:.1f} x; "
        f"with TAGGARR_LISTEN_MAX_TRACKS at its default ({DEFAULT_MAX_TRACKS} a run, the rest "
        f"over the next scans) {limited:.0f} s, {limited / off_full:.1f} x.\n",
    ])  # fmt: skip
    if problems:
        text += "\nProblems:\n\n" + "\n".join(f"- {p}" for p in problems) + "\n"
    return text, problems
