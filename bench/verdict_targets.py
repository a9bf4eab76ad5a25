"""The verdict against regional and plain targets, and an item edit's validate and
decide again, in pure Python (no Django, no files: the engine alone).

    .venv/bin/python bench/verdict_targets.py
    .venv/bin/python bench/verdict_targets.py --files 3000 --rounds 7

Three loops over the same tracks, each timed ``--rounds`` times after a warm-up round
(the caches warm, as in a worker that has judged a few items):

* ``judge regional``: ``--files`` files' audio and subtitles judged against
  ``fr-CA, es-419, eng`` (``file_result`` per file, ``item_verdict`` per 15 files);
* ``judge plain``: the same against ``fra, spa, eng``;
* ``item edit``: an item's typed targets validated (``validate_targets``), then its 15
  files decided again (``file_result`` and ``item_verdict``), ``--files / 15`` times.

The table shows the median and best per loop, in microseconds per file (per edit for
the last). Only figures of one machine, one day, compare.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scanner.engine.languages import load_tables
from scanner.engine.targets import validate_targets
from scanner.engine.tracks import AudioTrack, SubtitleTrack
from scanner.engine.verdict import FileResult, Policy, file_result, item_verdict

EPISODES = 15  # files per item
REGIONAL = ("fr-CA", "es-419", "eng")
PLAIN = ("fra", "spa", "eng")
TYPED = ("fr-ca", "es_419", "en")  # as an item edit receives them

# (language, variety) per audio track: the layouts of the libraries.
LAYOUTS: tuple[tuple[tuple[str, str | None], ...], ...] = (
    (("jpn", None), ("eng", None), ("fra", "fr-CA")),
    (("eng", None), ("fra", "fr-FR"), ("spa", "es-419")),
    (("kor", None), ("eng", None), ("fra", None), ("fra", None)),
    (("eng", None), ("fra", None)),
    (("eng", None), ("spa", "es-MX"), ("por", "pt-BR")),
    (("zho", "yue"), ("zho", "cmn"), ("eng", None)),
    (("eng", None), ("fra", "fr-x-other")),
    (("deu", None), ("eng", None)),
)


File = tuple[tuple[AudioTrack, ...], tuple[SubtitleTrack, ...]]  # one file's tracks


def _file(index: int) -> File:
    layout = LAYOUTS[index % len(LAYOUTS)]
    audio = tuple(
        AudioTrack(
            position=position,
            raw_language=language,
            language=language,
            title=None,
            default=position == 1,
            forced=False,
            is_commentary=False,
            variety=variety,
        )
        for position, (language, variety) in enumerate(layout, start=1)
    )
    subtitles = (
        SubtitleTrack(
            position=1, raw_language="fre", language="fra", title=None, forced=False,
            format="UTF-8", full=True, variety="fr-CA" if index % 3 else None,
        ),
    )  # fmt: skip
    return audio, subtitles


def _judge(files: list[File], targets: tuple[str, ...], policy: Policy) -> None:
    results: list[FileResult] = []
    for index, (audio, subtitles) in enumerate(files):
        results.append(
            file_result(audio, "eng", targets, policy, path=f"/{index}", subtitles=subtitles)
        )
        if len(results) == EPISODES:
            item_verdict(results)
            results = []
    if results:
        item_verdict(results)


def _edits(files: list[File], policy: Policy) -> None:
    for start in range(0, len(files), EPISODES):
        targets = tuple(validate_targets(TYPED))
        item = files[start : start + EPISODES]
        item_verdict(
            file_result(audio, "eng", targets, policy, path=f"/{n}", subtitles=subtitles)
            for n, (audio, subtitles) in enumerate(item)
        )


def _time(loop: Callable[[], None], rounds: int, per: int) -> tuple[float, float]:
    loop()  # warm-up
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        loop()
        times.append((time.perf_counter() - start) / per * 1e6)
    return statistics.median(times), min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    load_tables()
    files = [_file(index) for index in range(args.files)]
    policy = Policy()
    edits = max(1, args.files // EPISODES)
    n = len(files)
    rows = [
        ("judge regional", _time(lambda: _judge(files, REGIONAL, policy), args.rounds, n), "file"),
        ("judge plain", _time(lambda: _judge(files, PLAIN, policy), args.rounds, n), "file"),
        ("item edit", _time(lambda: _edits(files, policy), args.rounds, edits), "edit"),
    ]
    print(f"{args.files} files, {args.rounds} rounds (µs; median, best)")
    for name, (median, best), unit in rows:
        print(f"  {name:<16} {median:9.1f} {best:9.1f}  per {unit}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
