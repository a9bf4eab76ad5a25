"""The largest library's rows without a scan (issue 69), to time and profile the pages.

    DATABASE_URL=postgres://... python bench/pages.py fill --series 30000 --movies 40000
    DATABASE_URL=postgres://... python bench/pages.py time --requests 20

``fill`` migrates the database and bulk-inserts a Sonarr and a Radarr instance, their
items (one in five tagged ``dub``, one in ten ``semi-dub``, one in ten ``wrong-dub``, the
rest ``none``), a season per series and its files with an English and a French track,
one finished run per instance and an event per tagged item: the shape a first scan
leaves, in a few minutes instead of the scan's twenty. Each item carries the JSON a scan
of bench/largest.py's library stores (``scanned_fields``: the *arr's files and episodes,
the verdict's reasons per file, the files announced for dub news, covers, coverage),
of the same shape and size (2.6 KB a series, 1.7 KB a movie as PostgreSQL stores them,
measured on a 100 + 120 item scan): a sequential scan of the items reads what it would
read on a scanned library. ``time`` asks the pages bench/web_pages.py
asks (the same paths, in turn, as a logged-in superuser) through Django's test client in
this process: each page's p50/p95 and its SQL statements, the slowest first (``--explain``:
with PostgreSQL's plan). ``http`` asks them through gunicorn (2 workers) over loopback.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taggarr.settings")

import django

CHUNK = 5_000


def _chunks(rows: Iterator[object], size: int = CHUNK) -> Iterator[list[object]]:
    chunk: list[object] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def fill(series: int, episodes: int, movies: int) -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from scanner.engine.tracks import make_track
    from scanner.models import Event, Instance, Media, MediaFile, ScanRun, Season

    call_command("migrate", verbosity=0)
    now = timezone.now()
    tags = ["dub", "none", "wrong-dub", "none", "dub", "none", "semi-dub", "none", "none", "none"]
    # The stored verdict of the one target (Media.LANGUAGE_STATES) each tag goes with.
    verdicts = ["dub", "none", "none", "none", "dub", "none", "semi-dub", "none", "none", "none"]
    tracks = [
        make_track(position, label, None, default=position == 1).to_dict()
        for position, label in enumerate(("eng", "fra"), start=1)
    ]
    for kind, count, files_each in (
        (Instance.Kind.SONARR, series, episodes),
        (Instance.Kind.RADARR, movies, 1),
    ):
        instance = Instance(
            name=f"{kind}-pages",
            kind=kind,
            url=f"http://{kind}:8989",
            target_languages=["eng"],
            first_scan_at=now,
        )
        instance.set_api_key("0123456789abcdef0123456789abcdef")
        instance.save()
        run = ScanRun.objects.create(
            instance=instance,
            trigger=ScanRun.Trigger.MANUAL,
            status=ScanRun.Status.SUCCEEDED,
            finished_at=now,
        )
        media_kind = Media.Kind.SERIES if kind == Instance.Kind.SONARR else Media.Kind.MOVIE
        folder = "tv" if media_kind == Media.Kind.SERIES else "movies"
        started = time.perf_counter()
        for chunk in _chunks(
            Media(
                instance=instance,
                kind=media_kind,
                arr_id=n + 1,
                title=f"{media_kind.label} {n:05d}",
                path=f"/media/{folder}/{media_kind.label} {n:05d}",
                applied_tag=tags[n % len(tags)],
                planned_tag=tags[n % len(tags)],
                file_count=files_each,
                original_language="fra" if n % 3 == 0 else "eng",
                language_verdicts={"eng": verdicts[n % len(tags)]},
                last_scanned_at=now,
                **scanned_fields(n, media_kind, folder, files_each, verdicts[n % len(tags)], now),
            )
            for n in range(count)
        ):
            if connection.vendor == "postgresql":
                made = _copy_rows(chunk)
            else:
                made = Media.objects.bulk_create(chunk)  # type: ignore[arg-type]
            seasons: dict[int, Season] = {}
            if media_kind == Media.Kind.SERIES:
                made_seasons = Season.objects.bulk_create(
                    Season(media=item, number=1, status=item.applied_tag, file_count=files_each)
                    for item in made
                )
                seasons = {season.media_id: season for season in made_seasons}
            if connection.vendor == "postgresql":
                _copy_files(made, seasons, files_each, tracks, now)
            else:
                for files in _chunks(
                    MediaFile(
                        media=item,
                        season=seasons.get(item.pk),
                        path=f"Season 01/{item.title} - S01E{e + 1:02d}.mkv",
                        size=1_000_000_000,
                        mtime_ns=1_700_000_000_000_000_000,
                        audio_tracks=tracks,
                        result=MediaFile.Result.ALL,
                        probed_at=now,
                    )
                    for item in made
                    for e in range(files_each)
                ):
                    MediaFile.objects.bulk_create(files)  # type: ignore[arg-type]
            Event.objects.bulk_create(
                Event(
                    instance=instance,
                    run=run,
                    media=item,
                    kind=Event.Kind.TAG_CHANGED,
                    message="tag changed",
                    data={"old": "", "new": item.applied_tag},
                )
                for item in made
                if item.applied_tag != "none"
            )
        print(f"{kind}: {count} items in {time.perf_counter() - started:.0f} s", flush=True)


def scanned_fields(
    n: int, kind: str, folder: str, files_each: int, verdict: str, now: Any
) -> dict[str, Any]:
    """The JSON and text a scan of bench/largest.py's library writes on an item
    (scanner/pipeline/scanning/decide.py, from the *arr's files: bench/arr_data.py), of
    the same shape and about the same size: what makes a scanned row wide."""
    from scanner.models import Media

    series = kind == Media.Kind.SERIES
    label = f"{'Series' if series else 'Movie'} {n:05d}"
    names = [
        f"Season 01/{label} - S01E{e + 1:02d}.mkv" if series else f"{label} (2020).mkv"
        for e in range(files_each)
    ]
    audio = ["eng", "fra"]
    having = sum(1 for _ in names) if verdict == "dub" else 0
    arr_files = [
        {
            "size": 1_500_000_000, "audio": audio, "season": 1 if series else None,
            "problem": "", "languages": ["English"], "subtitles": [],
            "date_added": "2023-11-14T22:13:21+00:00", "audio_codec": "AAC",
            "audio_streams": 2, "relative_path": name, "has_media_info": True,
        }
        for name in names
    ]  # fmt: skip
    reasons = {
        "seasons": [
            {
                "season": 1 if series else None,
                "files": [
                    {
                        "path": name, "error": None, "wrong": False, "missing": [],
                        "episodes": [e + 1] if series else [], "languages": audio,
                        "subtitles": [], "unexpected": [],
                    }
                    for e, name in enumerate(names)
                ],
            }
        ],
        "summary": f"{verdict}: {len(names)} files, English in {having}",
        "targets": ["eng"], "original": "eng", "error_files": 0, "counted_files": len(names),
    }  # fmt: skip
    announced = {
        "v": 3,
        "at": now.isoformat(),
        "files": {
            (f"1:{e + 1}" if series else "movie"): [name, [[c, False, None] for c in audio], 1]
            for e, name in enumerate(names)
        },
    }
    fields: dict[str, Any] = {
        "arr_path": f"/data/{folder}/{label}",
        "arr_files": arr_files,
        "verdict_reasons": reasons,
        "dub_announced": announced,
        "arr_covers": {
            cover: f"/MediaCover/{n}/{cover}.jpg?lastWrite=638000000000000000"
            for cover in ("fanart", "poster")
        },
        "subtitle_verdicts": {"eng": "none"},
        "coverage": {"eng": [having, len(names)]},
        "lowest_coverage": 100 * having // max(1, len(names)),
        "genres": ["Drama"],
        "arr_tag_ids": [n % 4],
        "files_digest": f"{n:064x}",
        "files_fingerprint": f"{len(names)}:{1_500_000_000 * len(names)}",
        "settings_hash": f"{n:016x}",
        "year": 2000 + n % 25,
    }
    if series:
        fields["arr_episodes"] = [
            [1, e + 1, f"Episode {e + 1}", "2024-01-01", True, True] for e in range(files_each)
        ]
        fields["episodes_fingerprint"] = f"@{len(names)}:{1_500_000_000 * len(names)}"
        fields["title_slug"] = label.lower().replace(" ", "-")
        fields["unmonitored_seasons"] = [0]
    return fields


FILE_COLUMNS = (
    "media_id", "season_id", "path", "size", "mtime_ns", "episodes", "audio_tracks",
    "subtitle_tracks", "sidecars_key", "source", "source_note", "result", "error", "probed_at",
)  # fmt: skip


def _copy_rows(rows: list[Any]) -> list[Any]:
    """Model rows by PostgreSQL's COPY, their ids taken from the table's sequence first:
    bulk_create's UNNEST dumps each wide JSON value through psycopg's array quoting,
    minutes for 70,000 scanned items."""
    from django.db import connection

    model = type(rows[0])
    table = model._meta.db_table
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, len(rows)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        columns = ", ".join(["id", *(field.column for field in fields)])
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for pk, row in zip(ids, rows, strict=True):
                row.pk = pk
                row._state.adding = False
                copy.write_row(
                    [pk]
                    + [
                        field.get_db_prep_save(field.pre_save(row, True), connection)
                        for field in fields
                    ]
                )
    return rows


def _copy_files(
    made: list[Any], seasons: dict[int, Any], files_each: int, tracks: list[Any], now: Any
) -> None:
    """The items' files by PostgreSQL's COPY (psycopg's ``cursor.copy``): 790,000 rows in
    about a tenth of the ORM's bulk_create time."""
    import json

    from django.db import connection

    from scanner.models import MediaFile

    audio = json.dumps(tracks)
    columns = ", ".join(FILE_COLUMNS)
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor under Django's wrapper
        with raw.copy(f"COPY {MediaFile._meta.db_table} ({columns}) FROM STDIN") as copy:
            for item in made:
                season = seasons.get(item.pk)
                for e in range(files_each):
                    copy.write_row(
                        (
                            item.pk, season.pk if season else None,
                            f"Season 01/{item.title} - S01E{e + 1:02d}.mkv",
                            1_000_000_000, 1_700_000_000_000_000_000,
                            f"[{e + 1}]" if season else "[]", audio, "[]", "",
                            MediaFile.Source.FILE, "", MediaFile.Result.ALL, "", now,
                        )
                    )  # fmt: skip


def staff_client() -> object:
    from django.contrib.auth import get_user_model
    from django.test import Client

    user, _ = get_user_model().objects.get_or_create(
        username="pages-bench", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(user)
    return client


# Beyond bench/web_pages.py's pages (which bench/largest.py times too): /api/media/'s
# keyset pages (issue 83) and a search for one title's number, as a person types it.
EXTRA_PAGES: dict[str, tuple[str, ...]] = {
    "/api/media/?cursor=": ("/api/media/?cursor=", "/api/media/?cursor=&applied_tag=dub"),
    "search for a title": ("/api/media/?search=01234", "/admin/scanner/media/?q=01234"),
}


def time_pages(requests_each: int, explain: bool) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.web_pages import PAGES

    pages = {**PAGES, **EXTRA_PAGES}
    client = staff_client()
    latencies: dict[str, list[float]] = {}
    by_path: dict[str, list[float]] = {}
    # This process's CPU time and the SQL statements' time per request: on a machine
    # others load, wall time doubles while these move less (bench/RESULTS.md, issue 83).
    cpu_ms: dict[str, list[float]] = {}
    sql_ms: dict[str, list[float]] = {}
    slowest: dict[str, list[tuple[float, str]]] = {}
    for number in range(2 + requests_each):
        for page, paths in pages.items():
            path = paths[number % len(paths)]
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                cpu_start = time.process_time()
                answer = client.get(path, HTTP_HOST="localhost", secure=True)  # type: ignore[attr-defined]
                answer.content  # noqa: B018
                elapsed = (time.perf_counter() - start) * 1000
                cpu = (time.process_time() - cpu_start) * 1000
            assert answer.status_code == 200, (path, answer.status_code)
            if number >= 2:
                latencies.setdefault(page, []).append(elapsed)
                by_path.setdefault(path, []).append(elapsed)
                cpu_ms.setdefault(page, []).append(cpu)
                sql_ms.setdefault(page, []).append(
                    sum(float(q["time"]) * 1000 for q in queries.captured_queries)
                )
            if number == 1 or (number < 2 + len(paths) and path not in slowest):
                slowest[path] = sorted(
                    ((float(q["time"]) * 1000, q["sql"]) for q in queries.captured_queries),
                    reverse=True,
                )
    for page, values in latencies.items():
        ordered = sorted(values)
        p50 = ordered[max(0, math.ceil(0.5 * len(ordered)) - 1)]
        p95 = ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]
        cpu_median = sorted(cpu_ms[page])[len(cpu_ms[page]) // 2]
        sql_median = sorted(sql_ms[page])[len(sql_ms[page]) // 2]
        print(
            f"{page}: p50 {p50:.0f} ms, p95 {p95:.0f} ms "
            f"(median: Python CPU {cpu_median:.0f} ms, SQL {sql_median:.0f} ms)"
        )
    for path, values in by_path.items():
        ordered = sorted(values)
        p50 = ordered[max(0, math.ceil(0.5 * len(ordered)) - 1)]
        p95 = ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]
        print(f"  {path}: p50 {p50:.0f} ms, p95 {p95:.0f} ms ({len(ordered)} requests)")
    for path, statements in slowest.items():
        total = sum(ms for ms, _ in statements)
        print(f"\n== {path}: {len(statements)} statements, {total:.0f} ms in SQL")
        for ms, sql in statements[:5]:
            print(f"  {ms:7.1f} ms  {sql[:400]}")
            if explain and ms > 20 and sql.startswith("SELECT"):
                plain = connection.vendor != "postgresql"
                with connection.cursor() as cursor:
                    cursor.execute(("EXPLAIN QUERY PLAN " if plain else "EXPLAIN ANALYZE ") + sql)
                    for row in cursor.fetchall():
                        print("            " + str(row[-1]))


def time_http(requests_each: int) -> None:
    """The same pages through gunicorn as the Procfile starts it (2 workers,
    taggarr/gunicorn_conf.py) over loopback HTTP, as bench/web_pages.py asks them."""
    import subprocess
    import tempfile

    import requests

    from bench.web_pages import PAGES

    client = staff_client()
    session = requests.Session()
    session.cookies.set("sessionid", client.cookies["sessionid"].value)  # type: ignore[attr-defined]
    port = 18_466
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "TAGGARR_BIND": f"127.0.0.1:{port}", "TAGGARR_HTTPS": "false"}
    log_path = Path(tempfile.gettempdir()) / f"pages-gunicorn-{os.getpid()}.log"
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    with log_path.open("wb") as log:
        web = subprocess.Popen(
            [gunicorn, "--config", "python:taggarr.gunicorn_conf"],
            env=env,
            stdout=log,
            stderr=log,
        )
    try:
        deadline = time.monotonic() + 60
        while True:  # bounded: the server answers /healthz within 60 s or the bench stops
            try:
                if requests.get(f"{url}/healthz", timeout=5).status_code == 200:
                    break
            except requests.RequestException:  # refused, or no answer yet while workers boot
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"gunicorn did not answer in 60 s: {log_path}")
            time.sleep(0.2)
        latencies: dict[str, list[float]] = {}
        for number in range(2 + requests_each):
            for page, paths in PAGES.items():
                path = paths[number % len(paths)]
                start = time.perf_counter()
                answer = session.get(url + path, timeout=60, allow_redirects=False)
                answer.content  # noqa: B018
                elapsed = (time.perf_counter() - start) * 1000
                assert answer.status_code == 200, (path, answer.status_code)
                if number >= 2:
                    latencies.setdefault(page, []).append(elapsed)
        for page, values in latencies.items():
            ordered = sorted(values)
            p50 = ordered[max(0, math.ceil(0.5 * len(ordered)) - 1)]
            p95 = ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]
            print(f"HTTP {page}: p50 {p50:.0f} ms, p95 {p95:.0f} ms")
    finally:
        web.terminate()
        web.wait(timeout=30)


def run(series: int, episodes: int, movies: int, requests_each: int, explain: bool) -> None:
    """fill and time on a throwaway database (bench/throwaway_db.py), dropped at the end."""
    import tempfile

    from bench.throwaway_db import repeat_line, throwaway_database

    with (
        tempfile.TemporaryDirectory(prefix="pages-bench-") as data_dir,
        throwaway_database(data_dir) as vendor,
    ):
        from django.db import connection

        started = time.perf_counter()
        fill(series, episodes, movies)
        with connection.cursor() as cursor:
            # The planner's statistics and (PostgreSQL) the visibility map, as autovacuum
            # leaves them after an insert-heavy scan: index-only scans need the latter.
            cursor.execute("VACUUM ANALYZE" if vendor == "postgresql" else "ANALYZE")
        print(f"{vendor}: filled in {time.perf_counter() - started:.0f} s", flush=True)
        time_pages(requests_each, explain)
    print(repeat_line("bench/pages.py", sys.argv[1:]))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    steps = parser.add_subparsers(dest="step", required=True)
    for name in ("fill", "run"):
        filling = steps.add_parser(name)
        filling.add_argument("--series", type=int, default=30_000)
        filling.add_argument("--episodes", type=int, default=25)
        filling.add_argument("--movies", type=int, default=40_000)
        if name == "run":
            filling.add_argument("--requests", type=int, default=30)
            filling.add_argument("--explain", action="store_true")
    timing = steps.add_parser("time")
    timing.add_argument("--requests", type=int, default=30)
    timing.add_argument("--explain", action="store_true")
    over_http = steps.add_parser("http")
    over_http.add_argument("--requests", type=int, default=30)
    options = parser.parse_args(argv)
    if options.step == "run":
        run(options.series, options.episodes, options.movies, options.requests, options.explain)
        return 0
    django.setup()
    if options.step == "fill":
        fill(options.series, options.episodes, options.movies)
    elif options.step == "http":
        time_http(options.requests)
    else:
        time_pages(options.requests, options.explain)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
