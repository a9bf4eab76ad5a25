"""What a person's page of *what will play* costs (issue 70): the dry-run report
(``scanner.household.dry_run.person_tracks``) over a library's files, read from the
database as the page reads it, and the pure choice per file alone.

    .venv/bin/python bench/person_tracks.py                       # SQLite, 150,000 files
    .venv/bin/python bench/person_tracks.py --series 200 --episodes 15
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/taggarr_dev \\
        .venv/bin/python bench/person_tracks.py

A throwaway database (bench/throwaway_db.py) gets ``--series`` series of ``--episodes``
files each, their tracks the layouts of bench/verdict_targets.py (Quebec, France and
untitled French dubs, Japanese originals with French subtitles, Cantonese and Mandarin),
then ``--rounds`` times for a Quebec child (fr-CA, fra; dub) and a parent (fra, eng;
original with subtitles): the page before (the dry run, and the facts pass a Jellyfin
account added), the background count that replaced them (one pass: counts and facts,
scanner.household.counts) and the page after (its values read from the
stored counts, web.admin.person_page.tracks_context): wall time and peak memory of the process
(the report streams the files in chunks: its memory should not grow with the library).
Only figures of one machine, one day, compare.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.throwaway_db import repeat_line, throwaway_database
from bench.verdict_targets import _file


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--series", type=int, default=10_000)
    parser.add_argument("--episodes", type=int, default=15)
    parser.add_argument("--rounds", type=int, default=3)
    return parser.parse_args()


def seed(series: int, episodes: int) -> None:
    from scanner.models import Instance, Media, MediaFile

    instance = Instance.objects.create(name="tv", kind="sonarr", url="http://sonarr:8989")
    originals = ("jpn", "eng", "kor", "eng", "eng", "zho", "eng", "deu")
    for start in range(0, series, 500):
        media = Media.objects.bulk_create(
            Media(
                instance=instance, kind=Media.Kind.SERIES, arr_id=n + 1, title=f"Show {n}",
                path=f"/tv/Show {n}", original_language=originals[n % len(originals)],
            )
            for n in range(start, min(series, start + 500))
        )  # fmt: skip
        files = []
        for item in media:
            for episode in range(1, episodes + 1):
                audio, subtitles = _file((item.arr_id or 0) * episodes + episode)
                files.append(
                    MediaFile(
                        media=item, path=f"Season 01/E{episode:02d}.mkv", size=1, mtime_ns=1,
                        episodes=[episode], result="dub",
                        audio_tracks=[track.to_dict() for track in audio],
                        subtitle_tracks=[track.to_dict() for track in subtitles],
                    )
                )  # fmt: skip
        MediaFile.objects.bulk_create(files, batch_size=2000)


def measure(rounds: int) -> list[str]:
    from scanner.household.counts import count_person
    from scanner.models import Person
    from web.admin.person_page import tracks_context

    people = {
        "child (fr-CA, fra; dub)": Person.objects.create(
            name="Léa", languages=["fr-CA", "fra"], series_want="dub", movie_want="dub"
        ),
        "parent (fra, eng; original with subtitles)": Person.objects.create(
            name="Marc", languages=["fra", "eng"], series_want="original-subtitled",
            movie_want="dub",
        ),
    }  # fmt: skip
    for person in people.values():  # counted first (no count asked of a broker), then
        count_person(person.pk)  # the page once: its imports, catalogs and CLDR data
        tracks_context(person)
    lines = []
    for name, person in people.items():
        lines += measure_person(name, person, rounds)
    return lines


def measure_person(name: str, person: Any, rounds: int) -> list[str]:
    from scanner.engine.listener import want_code
    from scanner.household.counts import count_person
    from scanner.household.dry_run import person_tracks
    from scanner.household.playback_library import kind_facts
    from web.admin.person_page import tracks_context

    listener = person.listener()
    languages = tuple(person.languages)
    wants = {"series": person.series_want, "movie": person.movie_want}
    times: dict[str, list[float]] = {}

    def timed(label: str, work: Callable[[], Any]) -> Any:
        start = time.perf_counter()
        done = work()
        times.setdefault(label, []).append(time.perf_counter() - start)
        return done

    def facts() -> list[Any]:
        return [kind_facts(kind, languages, want_code(wants[kind])) for kind in wants]

    report = None
    for _ in range(rounds):
        report = timed("before: the dry run", lambda: person_tracks(listener))
        timed("before: the facts pass (a Jellyfin account)", facts)
        timed("background: one pass, counts and facts", lambda: count_person(person.pk))
        timed("after: the page's values", lambda: tracks_context(person))
    counted = sum(count.count for count in report.counts) if report is not None else 0
    return [f"{name}, {counted} episodes counted:"] + [
        f"  {label}: median {statistics.median(spent):.3f} s, best {min(spent):.3f} s"
        for label, spent in times.items()
    ]


def main() -> None:
    args = parse_args()
    with (
        tempfile.TemporaryDirectory(prefix="taggarr-bench-") as data_dir,
        throwaway_database(data_dir) as vendor,
    ):
        start = time.perf_counter()
        seed(args.series, args.episodes)
        files = args.series * args.episodes
        print(f"{vendor}: seeded {files} files in {time.perf_counter() - start:.1f} s")
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        for line in measure(args.rounds):
            print(line)
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak RSS {after:.0f} MB (after seeding: {before:.0f} MB)")
    print(repeat_line("bench/person_tracks.py", sys.argv[1:]))


if __name__ == "__main__":
    main()
