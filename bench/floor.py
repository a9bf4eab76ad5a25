"""The floor: reading each counted file's header once with a bare ``MediaInfo.parse`` loop,
one process, the same files the scans read. Nothing that reads every file can beat it
by much; Taggarr's probe() asks MediaInfo for less (bench/probe.py compares the two)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pymediainfo import MediaInfo

from bench.cpu import CpuShare, CpuWindow

WARM_UP = 20


@dataclass(frozen=True)
class Floor:
    files: int
    seconds: float
    unreadable: int
    cpu: CpuShare | None = None

    @property
    def rate(self) -> float:
        return self.files / self.seconds if self.seconds else 0.0


def measure_floor(paths: Sequence[Path]) -> Floor:
    for path in paths[:WARM_UP]:  # loads libmediainfo; the files share a few inodes anyway
        MediaInfo.parse(path)
    unreadable = 0
    window = CpuWindow()
    start = time.perf_counter()
    for path in paths:
        try:
            MediaInfo.parse(path)
        except (OSError, RuntimeError):
            unreadable += 1
    seconds = time.perf_counter() - start
    return Floor(len(paths), seconds, unreadable, cpu=window.close())
