"""The media-server write step at 2,000 series + 500 movies, against the fake Jellyfin
and the fake Plex at 3 ms per request (issue 18's benchmark).

    .venv/bin/python bench/media_servers.py                     # SQLite in a temp dir
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/taggarr_dev \\
        .venv/bin/python bench/media_servers.py --series 2000 --movies 500

A throwaway database (bench/throwaway_db.py) gets a Sonarr instance with ``--series``
series and a Radarr instance with ``--movies`` movies, decided (planned dub,
semi-dub, wrong-dub or none; per-language labels on), as after the scan's items. Each
server in turn (the fake Jellyfin playing ``--jellyfin-version``, or Emby, then the
fake Plex, in this process, ``--latency-ms`` spent on every request) holds every one
of them with their provider ids and a tag or label of the user's, and is the only
connection. With ``--episodes N`` each series has a season of N episodes, which a
series' write saves too from Jellyfin 10.9 (``--save-latency-ms`` spent on each item
saved); the Jellyfin lines then say how many items the server saved. The step runs as
the apply step runs it (``plan_tag_writes`` then ``write_server_tags``) for both
instances:

- **first**: the server has none of Taggarr's tags. Target: both instances' steps
  together in 30 s or less.
- **rescan**: nothing changed. Target: 0 writes.

Checks (exit status 1 when one fails; timings never fail it): every item ends with
exactly its wanted managed tags plus the user's own, every item matched, no errors.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.throwaway_db import repeat_line, throwaway_database

TOKEN = "bench-media-server-token-0123456789"  # noqa: S105 - the fakes' own
USER_TAG = "favourite"
TAGS = ("dub", "semi-dub", "wrong-dub", "none")
FIRST_TARGET_S = 30.0
TV, MOVIES = "/media/tv", "/media/movies"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--series", type=int, default=2000)
    parser.add_argument("--movies", type=int, default=500)
    parser.add_argument("--latency-ms", type=float, default=3.0)
    parser.add_argument("--servers", default="jellyfin,plex", help="which, in order")
    parser.add_argument(
        "--jellyfin-version", default="12.0.0", help="a release fakes.jellyfin plays"
    )
    parser.add_argument("--episodes", type=int, default=0, help="per series, in one season")
    parser.add_argument("--save-latency-ms", type=float, default=0.0)
    return parser.parse_args()


@dataclass(frozen=True)
class Library:
    """What is decided about each item: (title, path, provider id, planned tag, labels)."""

    series: list[tuple[str, str, int, str, list[str]]]
    movies: list[tuple[str, str, int, str, list[str]]]


def make_library(series: int, movies: int) -> Library:
    rng = random.Random(18)

    def decided(tag: str) -> list[str]:
        if tag in ("dub", "semi-dub"):
            return sorted(f"{tag}-{code}" for code in rng.sample(("de", "en", "fr"), 2))
        return []

    shows = []
    for n in range(series):
        tag = rng.choice(TAGS)
        shows.append((f"Show {n:05d}", f"{TV}/Show {n:05d}", 300_000 + n, tag, decided(tag)))
    films = []
    for n in range(movies):
        tag = rng.choice(TAGS)
        path = f"{MOVIES}/Film {n:05d} (2020)"
        films.append((f"Film {n:05d}", path, 600_000 + n, tag, decided(tag)))
    return Library(series=shows, movies=films)


def seed(library: Library) -> list[Any]:
    """The two instances, their media decided; returns the instances."""
    from scanner.models import Instance, Media

    instances = []
    for kind, rows, root in (("sonarr", library.series, TV), ("radarr", library.movies, MOVIES)):
        instance = Instance(
            name=f"bench-{kind}",
            kind=kind,
            url=f"http://{kind}:8989",
            root_folders=[root],
            target_languages=["de", "en", "fr"],
            language_tags=True,
        )
        instance.set_api_key("bench-api-key-0123456789")
        instance.save()
        instances.append(instance)
        media_kind = "series" if kind == "sonarr" else "movie"
        id_field = "tvdb_id" if kind == "sonarr" else "tmdb_id"
        Media.objects.bulk_create(
            Media(
                instance=instance,
                kind=media_kind,
                arr_id=number + 1,
                title=title,
                path=path,
                planned_tag=tag,
                planned_labels=labels,
                **{id_field: provider_id},
            )
            for number, (title, path, provider_id, tag, labels) in enumerate(rows)
        )
    return instances


def wanted_tags(library: Library) -> dict[str, set[str]]:
    """Title -> every tag the item should end with on the server."""
    return {
        title: {USER_TAG, *labels, *([tag] if tag != "none" else [])}
        for title, _path, _id, tag, labels in [*library.series, *library.movies]
    }


class Jellyfin:
    name = "jellyfin"

    def __init__(self, library: Library, latency_s: float, args: argparse.Namespace) -> None:
        from fakes.jellyfin import FakeJellyfin, build_movie, build_seasons, build_series

        self.kind = "emby" if args.jellyfin_version.startswith("emby") else "jellyfin"
        items = []
        for title, path, pid, _tag, _labels in library.series:
            series = build_series(
                f"s{pid}", title, path, ProviderIds={"Tvdb": str(pid)}, Tags=[USER_TAG]
            )
            items += (
                [series, *build_seasons(series, 1, args.episodes)] if args.episodes else [series]
            )
        items += [
            build_movie(
                f"m{pid}", title, f"{path}/{title} (2020).mkv",
                ProviderIds={"Tmdb": str(pid)}, Tags=[USER_TAG],
            )
            for title, path, pid, _tag, _labels in library.movies
        ]  # fmt: skip
        self.fake = FakeJellyfin(
            token=TOKEN,
            items=items,
            version=args.jellyfin_version,
            latency_s=latency_s,
            save_latency_s=args.save_latency_ms / 1000,
        ).start()

    def tags(self) -> dict[str, set[str]]:
        return self.fake.state.tags()

    def counts(self) -> tuple[int, int]:
        counters = self.fake.state.counters()
        return sum(counters.values()), self.fake.state.writes()

    def saved(self) -> str:
        return f", {sum(self.fake.state.saves().values())} items saved"

    def reset(self) -> None:
        self.fake.state.reset_counters()


class Plex:
    name = "plex"
    kind = "plex"

    def __init__(self, library: Library, latency_s: float, args: argparse.Namespace) -> None:
        from fakes.plex import FakePlex

        self.fake = FakePlex(token=TOKEN, latency_s=latency_s).start()
        state = self.fake.state
        state.add_section("1", "TV Shows", "show", [TV])
        state.add_section("2", "Movies", "movie", [MOVIES])
        for title, path, pid, _tag, _labels in library.series:
            state.add_item("1", title, path, guids=[f"tvdb://{pid}"], labels=[USER_TAG])
        for title, path, pid, _tag, _labels in library.movies:
            file = f"{path}/{title} (2020).mkv"
            state.add_item("2", title, file, guids=[f"tmdb://{pid}"], labels=[USER_TAG])

    def tags(self) -> dict[str, set[str]]:
        state = self.fake.state
        return {item.title: set(state.labels(item.rating_key)) for item in state.items()}

    def counts(self) -> tuple[int, int]:
        counters = self.fake.state.counters()
        writes = sum(n for (method, _route), n in counters.items() if method == "PUT")
        return sum(counters.values()), writes

    def reset(self) -> None:
        self.fake.state.reset_counters()

    def saved(self) -> str:
        return ""


def run_step(instances: list[Any]) -> tuple[float, list[dict[str, Any]]]:
    """Both instances' write steps, as apply runs them: seconds and the outcomes."""
    from scanner.media_servers.writes.tags import write_server_tags
    from scanner.models import ScanRun
    from scanner.pipeline.writers.apply import plan_tag_writes

    outcomes: list[dict[str, Any]] = []
    start = time.perf_counter()
    for instance in instances:
        run = ScanRun.objects.create(instance=instance, status=ScanRun.Status.APPLYING)
        result = write_server_tags(run, plan_tag_writes(run))
        run.status = ScanRun.Status.SUCCEEDED
        run.save(update_fields=["status"])
        outcomes.extend(result.outcomes.values())
    return time.perf_counter() - start, outcomes


def measure(server: Jellyfin | Plex, instances: list[Any], wanted: dict[str, set[str]]) -> bool:
    from scanner.models import MediaServer, ScanRun

    connection = MediaServer(name=server.name, kind=server.kind, url=server.fake.url)
    connection.set_token(TOKEN)
    connection.save()
    connection.instances.set(instances)
    ok = True
    for phase in ("first", "rescan"):
        server.reset()
        seconds, outcomes = run_step(instances)
        requests, writes = server.counts()
        matched = sum(o["matched"] for o in outcomes)
        problems = [o for o in outcomes if o.get("error") or o["errors"] or o["unmatched"]]
        target = f"target <= {FIRST_TARGET_S:.0f} s" if phase == "first" else "target 0 writes"
        print(
            f"{server.name:8} {phase:6}: {seconds:6.1f} s, {requests:5} requests, "
            f"{writes:5} writes, {matched} matched{server.saved()} ({target})"
        )
        wrong = [title for title, tags in server.tags().items() if tags != wanted[title]]
        if problems or wrong or matched != len(wanted) or (phase == "rescan" and writes):
            ok = False
            print(f"  CHECK FAILED: {problems[:3]} wrong tags on {len(wrong)}: {wrong[:5]}")
    connection.delete()
    ScanRun.objects.all().delete()
    server.fake.stop()
    return ok


def main() -> int:
    args = parse_args()
    library = make_library(args.series, args.movies)
    wanted = wanted_tags(library)
    latency_s = args.latency_ms / 1000
    kinds: dict[str, type[Jellyfin] | type[Plex]] = {"jellyfin": Jellyfin, "plex": Plex}
    ok = True
    with (
        tempfile.TemporaryDirectory(prefix="taggarr-bench-") as data_dir,
        throwaway_database(data_dir) as vendor,
    ):
        instances = seed(library)
        print(
            f"{args.series} series + {args.movies} movies, {args.latency_ms:g} ms per request, "
            f"database {vendor}"
        )
        for name in args.servers.split(","):
            server = kinds[name.strip()](library, latency_s, args)
            ok = measure(server, instances, wanted) and ok
    print(repeat_line("bench/media_servers.py", sys.argv[1:]))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
