"""Each person's tracks in Plex at scale (issue 83, part 4): one run's Plex step for
``--people`` person accounts over ``--items`` films, on the fake Plex and the fake
plex.tv (fakes/plex, real sockets), counted by the fakes: every request per route,
and the wall time of the whole step (the run's fan-out, then each account's task one
after the other, as one worker runs them).

    .venv/bin/python bench/plex_people.py                       # 10,000 films x 5 people
    .venv/bin/python bench/plex_people.py --apply               # the tracks set (PUTs)
    .venv/bin/python bench/plex_people.py --code /tmp/before    # another tree's code

``--code``: the tree whose ``scanner`` and ``fakes`` run (e.g. ``git archive <commit> |
tar -x -C /tmp/before``): the same bench measures the code before and after a change.
By default a dry run (the server's "set each person's track" off): every film read for
every person and nothing sent, which is what the reads cost; ``--apply`` sets the
tracks too (the French speakers' PUTs, one per film each). Each film has one file with
an English and a French track; the people alternate French and English speakers, one
of them a Plex Home member (a plex.tv switch), the others managed users.
A throwaway SQLite database (DATABASE_URL for PostgreSQL, bench/throwaway_db.py).
Only figures of one machine, one day, compare.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent.parent
OWNER = "bench-owner-token"  # the fake Plex's own


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--people", type=int, default=5)
    parser.add_argument("--apply", action="store_true", help="set the tracks (PUTs)")
    parser.add_argument("--code", default=str(HERE), help="the tree whose code runs")
    return parser.parse_args()


def seed(plex: Any, tv: Any, items: int, people: int, apply: bool) -> Any:
    from fakes.plex import AUDIO, FakeStream
    from scanner.models import Instance, Media, MediaFile, MediaServer, Person, PersonAccount

    instance = Instance.objects.create(name="films", kind="radarr", url="http://radarr:7878")
    plex.state.add_section("1", "Movies", "movie", ["/films"])
    english = {"id": 1, "language": "eng", "default": True}
    french = {"id": 2, "language": "fre"}
    for start in range(0, items, 1000):
        media = Media.objects.bulk_create(
            Media(
                instance=instance, kind=Media.Kind.MOVIE, arr_id=n + 1, title=f"Film {n:05d}",
                path=f"/films/Film {n:05d}", tmdb_id=10_000 + n, original_language="eng",
            )
            for n in range(start, min(items, start + 1000))
        )  # fmt: skip
        MediaFile.objects.bulk_create(
            MediaFile(
                media=item, path="film.mkv", size=1, mtime_ns=1, result="original",
                audio_tracks=[_track(english), _track(french)], subtitle_tracks=[],
            )
            for item in media
        )  # fmt: skip
        for item in media:
            film = plex.state.add_item(
                "1", item.title, f"{item.path}/film.mkv", guids=[f"tmdb://{item.tmdb_id}"]
            )
            new = plex.state.streams.new_stream_id
            plex.state.streams.add_part(
                film.rating_key, f"{item.path}/film.mkv",
                [FakeStream(new(), AUDIO, 1, "ac3", "eng", default=True),
                 FakeStream(new(), AUDIO, 2, "ac3", "fre")],
            )  # fmt: skip
    server = MediaServer(
        name="plex", kind=MediaServer.Kind.PLEX, url=plex.url, set_person_tracks=apply
    )
    server.set_token(plex.state.token)
    server.save()
    server.instances.set([instance])
    for n in range(people):
        kind = "home" if n == 1 else "managed"
        user = tv.state.add_user(f"Person {n}", kind)
        person = Person.objects.create(
            name=f"Person {n}", languages=["fra", "eng"] if n % 2 == 0 else ["eng"]
        )
        PersonAccount.objects.create(
            person=person, media_server=server, account_id=str(user.id),
            account_name=user.title, account_kind=f"plex-{kind}",
        )  # fmt: skip
    return instance


def _track(values: dict[str, Any]) -> dict[str, Any]:
    from scanner.engine.tracks import make_track

    track = make_track(values["id"], values["language"], None, default=values.get("default", False))
    return track.to_dict()


def measure(plex: Any, tv: Any, instance: Any) -> list[str]:
    from scanner.household import tasks
    from scanner.models import ScanRun, TrackRun

    run = ScanRun.objects.create(instance=instance, status="succeeded")
    queued: list[tuple[Any, ...]] = []
    task: Any = tasks.set_person_tracks  # the run's messages kept, run here one by one
    task.delay = lambda *args: queued.append(args)
    plex.state.reset_counters()
    tv_before = sum(tv.state.counters().values())
    start = time.perf_counter()
    tasks.set_run_person_tracks(run.pk)
    fan_out = time.perf_counter() - start
    for account_id, run_id in queued:
        tasks.set_person_tracks(account_id, run_id)
    spent = time.perf_counter() - start
    routes = plex.state.counters()
    counts: Counter[str] = Counter()
    problems = []
    for track_run in TrackRun.objects.filter(run=run):
        counts.update(track_run.counts)
        if track_run.problem:
            problems.append(track_run.problem)
    lines = [
        f"wall time {spent:.1f} s (the fan-out {fan_out:.1f} s)",
        f"Plex requests {sum(routes.values())}, plex.tv requests "
        f"{sum(tv.state.counters().values()) - tv_before}",
    ]
    lines += [f"  {method} {route}: {n}" for (method, route), n in sorted(routes.items(), key=str)]
    lines.append(f"parts counted, all people: {dict(sorted(counts.items()))}")
    if problems:
        lines.append(f"problems: {problems}")
    return lines


def main() -> None:
    args = parse_args()
    code = Path(args.code).resolve()
    sys.path.insert(0, str(code))
    os.chdir(code)  # Django's setup puts the working directory first on the path
    from django.test import override_settings

    from bench.throwaway_db import repeat_line, throwaway_database

    with (
        tempfile.TemporaryDirectory(prefix="taggarr-bench-") as data_dir,
        throwaway_database(data_dir) as vendor,
    ):
        from fakes.plex import FakePlex, FakePlexTv
        from scanner.media_servers.writes import retries

        retries.sleep = lambda seconds: None
        with FakePlex(token=OWNER) as plex, FakePlexTv(plex.state) as tv:
            start = time.perf_counter()
            instance = seed(plex, tv, args.items, args.people, args.apply)
            import scanner

            print(
                f"{vendor}, code of {Path(scanner.__file__).parent.parent}: "
                f"{args.items} films x {args.people} people "
                f"({'applied' if args.apply else 'dry run'}), seeded in "
                f"{time.perf_counter() - start:.1f} s"
            )
            with override_settings(PLEX_TV_URL=tv.url):
                for line in measure(plex, tv, instance):
                    print(line)
    print(repeat_line("bench/plex_people.py", sys.argv[1:]))


if __name__ == "__main__":
    main()
