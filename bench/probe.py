"""How fast probe() reads files, against a bare ``MediaInfo.parse(path)`` loop (the floor).

    .venv/bin/python bench/probe.py --files 500
    .venv/bin/python bench/probe.py --dir /media/tv/Some Show --rounds 3

Without ``--dir`` it generates N tiny real files (tests/media.py, a few
layouts and containers) in a temp dir, plus a few 30 s files where how much
MediaInfo reads shows. Both loops run over the same files, first once to warm
the page cache, then ``--rounds`` times each, alternating which goes first;
the table shows the median and best files/second and the bytes read per file.
Target: probe at >= 95 % of the floor's speed. A third reader asks MediaInfo for the
audio tracks alone (probe's template without its subtitle section): reading the
subtitles in the same call may cost at most 10 % of the rate.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pymediainfo import MediaInfo

from scanner.engine.library import is_video_name
from scanner.engine.probe import _TEMPLATE, probe
from scanner.errors import ProbeError
from tests.media import AudioSpec, MediaFactory, SubtitleSpec, human_readable_fields, layout

# probe()'s template without its subtitle section: what it asked before subtitles.
AUDIO_ONLY_TEMPLATE = _TEMPLATE.rsplit("\r\n", 1)[0]
SUBTITLES = (SubtitleSpec("ger"), SubtitleSpec("fre", title="Forced", forced=True))

LAYOUTS: list[tuple[str, list[AudioSpec]]] = [
    ("mkv", layout("jpn", "eng")),
    ("mkv", [AudioSpec("en-US", default=True), AudioSpec("eng", title="Commentary")]),
    ("mkv", layout("jpn", "eng", "ger", "fre", "spa")),
    ("mkv", layout("und", "eng")),
    ("mp4", layout("jpn", "eng")),
    ("webm", layout("eng")),
    ("ts", layout("jpn", "eng")),
    ("avi", layout("eng")),
]
LONG_FILES = 4  # 30 s files, ~1.5 MB each


@dataclass
class Measure:
    name: str
    rates: list[float]  # files per second, one per round
    bytes_per_file: float


def generate(folder: Path, count: int) -> list[Path]:
    factory = MediaFactory(folder / "templates")
    files = [
        factory.make_video(
            folder / "files" / f"episode{index:05d}.{LAYOUTS[index % len(LAYOUTS)][0]}",
            LAYOUTS[index % len(LAYOUTS)][1],
            LAYOUTS[index % len(LAYOUTS)][0],
            hardlink=True,
            # every other Matroska file carries subtitle tracks
            subtitles=SUBTITLES
            if index % 4 == 0 and LAYOUTS[index % len(LAYOUTS)][0] == "mkv"
            else (),
        )
        for index in range(count)
    ]
    files += [
        factory.make_video(
            folder / "files" / f"long{index}.{container}",
            layout("jpn", "eng"),
            container,
            seconds=30,
        )
        for index, container in enumerate(["mkv", "mp4"] * (LONG_FILES // 2))
    ]
    return files


def existing(folder: Path) -> list[Path]:
    return sorted(
        Path(root, name)
        for root, _, names in os.walk(folder)
        for name in names
        if is_video_name(name)
    )


def bytes_read() -> int:
    # rchar: bytes this process got from read() calls (Linux); 0 elsewhere.
    with contextlib.suppress(OSError), open("/proc/self/io") as counters:
        for line in counters:
            if line.startswith("rchar:"):
                return int(line.split()[1])
    return 0


def run_pass(reader: Callable[[Path], object], files: Sequence[Path]) -> tuple[float, int]:
    before_bytes = bytes_read()
    start = time.perf_counter()
    for path in files:
        # Broken files cost time too: time them, do not stop.
        with contextlib.suppress(ProbeError, OSError, RuntimeError, ValueError):
            reader(path)
    elapsed = time.perf_counter() - start
    return len(files) / elapsed, bytes_read() - before_bytes


def bare_parse(path: Path) -> object:
    return MediaInfo.parse(path)


def audio_only(path: Path) -> object:
    return MediaInfo.parse(path, output=AUDIO_ONLY_TEMPLATE, full=False, parse_speed=0)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=400, help="files to generate (default 400)")
    parser.add_argument("--dir", type=Path, help="measure the video files under this folder")
    parser.add_argument("--rounds", type=int, default=5, help="timed passes of each (default 5)")
    options = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="taggarr-bench-") as scratch:
        if options.dir:
            files = existing(options.dir)
            source = str(options.dir)
        else:
            start = time.perf_counter()
            files = generate(Path(scratch), options.files)
            source = f"{len(files)} generated files ({time.perf_counter() - start:.1f} s to make)"
        if not files:
            print(f"no video files under {options.dir}", file=sys.stderr)
            return 1
        mismatches = sum(
            1 for path in files if _audio_count(path) != _probe_count(path)
        )  # also warms the page cache and pycountry
        # (name, reader, MediaInfo's human-readable fields on): the floor runs as a
        # fresh process would, probe() and its variant as probe() leaves MediaInfo.
        readers: list[tuple[str, Callable[[Path], object], bool]] = [
            ("MediaInfo.parse(path) (floor)", bare_parse, True),
            ("probe(path)", probe, False),
            ("audio only (no subtitles)", audio_only, False),
        ]
        measures = {name: Measure(name, [], 0.0) for name, _, _ in readers}
        for round_number in range(options.rounds):
            # Alternate who goes first, so neither always runs on a warmer CPU.
            ordered = readers if round_number % 2 == 0 else list(reversed(readers))
            for name, reader, human in ordered:
                human_readable_fields(human)
                rate, read = run_pass(reader, files)
                measures[name].rates.append(rate)
                measures[name].bytes_per_file = read / len(files)

    floor, ours, audio = (measures[name] for name, _, _ in readers)
    print(f"files: {source}; rounds: {options.rounds}; track-count mismatches: {mismatches}")
    print(f"{'reader':32} {'median files/s':>15} {'best files/s':>13} {'KiB read/file':>14}")
    for measure in (floor, ours, audio):
        print(
            f"{measure.name:32} {statistics.median(measure.rates):15.0f} "
            f"{max(measure.rates):13.0f} {measure.bytes_per_file / 1024:14.1f}"
        )
    ratio = statistics.median(ours.rates) / statistics.median(floor.rates)
    verdict = "meets" if ratio >= 0.95 else "MISSES"
    print(f"probe / floor (median): {ratio:.0%}  ({verdict} the 95 % target)")
    cost = statistics.median(ours.rates) / statistics.median(audio.rates)
    verdict = "meets" if cost >= 0.90 else "MISSES"
    print(f"probe / audio only (median): {cost:.0%}  ({verdict} the 90 % target: subtitles cost)")
    repeat = f"--dir '{options.dir}'" if options.dir else f"--files {options.files}"
    print(f"repeat: .venv/bin/python bench/probe.py {repeat} --rounds {options.rounds}")
    return 0


def _audio_count(path: Path) -> int:
    try:
        return len(MediaInfo.parse(path).audio_tracks)
    except (OSError, RuntimeError):
        return -1


def _probe_count(path: Path) -> int:
    try:
        return len(probe(path).audio)
    except ProbeError:
        return -1


if __name__ == "__main__":
    sys.exit(main())
