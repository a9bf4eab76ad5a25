"""How fast ``GET /api/media/`` answers a filtered page of 50 over 32,000 media rows.

    .venv/bin/python bench/api_media.py                 # SQLite in a temp dir
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/taggarr_dev \\
        .venv/bin/python bench/api_media.py --requests 500

It creates a throwaway database (PostgreSQL: ``taggarr_bench_<pid>`` on the server of
DATABASE_URL, dropped at the end; SQLite: a file in a temp dir), migrates it,
bulk-creates ``--rows`` media over ``--instances`` instances, then sends
``--requests`` GETs through Django's test client (token authentication, every
middleware, DRF, the JSON renderer) over a rotation of filter combinations, and
prints p50/p95/max and the queries per request. Target: p95 under 100 ms.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.throwaway_db import repeat_line, throwaway_database

WORDS = [
    "star",
    "galaxy",
    "ghost",
    "sword",
    "ocean",
    "night",
    "city",
    "blue",
    "dragon",
    "steel",
    "spring",
    "winter",
    "summer",
    "hunter",
    "empire",
    "garden",
    "shadow",
    "light",
    "river",
    "storm",
    "crown",
]
LANGUAGES = ("jpn", "eng", "kor", "fra", "deu", "spa", "")
APPLIED = ("dub", "semi-dub", "wrong-dub", "none", "none", "none")
PLANNED = ("dub", "semi-dub", "wrong-dub", "none", "", "dub")
QUERIES = (
    "instance={i}&applied_tag=dub",
    "instance={i}&pending=true&ordering=-last_scanned_at",
    "planned_tag=semi-dub&original_language=ja",
    "instance={i}&has_errors=true",
    "search=star&ordering=title",
    "kind=series&applied_tag=none&page={deep_page}",
    "instance={i}&planned_tag=undecided&ordering=-error_file_count",
)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=32_000)
    parser.add_argument("--instances", type=int, default=4)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--page-size", type=int, default=50)
    return parser.parse_args()


def seed(rows: int, instances: int) -> list[int]:
    from scanner.models import Instance, Media

    rng = random.Random(42)
    ids = []
    for number in range(instances):
        instance = Instance(name=f"bench-{number}", kind="sonarr", url="http://sonarr:8989")
        instance.set_api_key("bench-api-key-0123456789")
        instance.save()
        ids.append(instance.pk)
    now = datetime.now(UTC)
    batch: list[Media] = []
    for n in range(rows):
        title = f"{rng.choice(WORDS).title()} {rng.choice(WORDS).title()} {n}"
        batch.append(
            Media(
                instance_id=ids[n % instances],
                kind="series",
                arr_id=n + 1,
                title=title,
                path=f"/tv/{title}",
                original_language=rng.choice(LANGUAGES),
                applied_tag=rng.choice(APPLIED),
                planned_tag=rng.choice(PLANNED),
                file_count=rng.randint(1, 200),
                error_file_count=1 if rng.random() < 0.03 else 0,
                last_scanned_at=now - timedelta(minutes=rng.randint(0, 50_000)),
            )
        )
        if len(batch) == 2000:
            Media.objects.bulk_create(batch)
            batch = []
    Media.objects.bulk_create(batch)
    return ids


def measure(instance_ids: list[int], rows: int, requests: int, page_size: int) -> None:
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import ApiToken

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    # The admin `bootstrap` creates: a superuser, whose permission checks need no query.
    user = User.objects.create_user("bench", is_staff=True, is_superuser=True)
    _, key = ApiToken.issue(user, "bench")
    client = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Token {key}")
    deep_page = max(1, min(20, rows // (page_size * 4)))  # a page that exists
    urls = [
        f"/api/media/?{query.format(i=instance_ids[n % len(instance_ids)], deep_page=deep_page)}"
        f"&page_size={page_size}"
        for n, query in enumerate(QUERIES * len(instance_ids))
    ]
    for url in urls:  # warm-up: caches, connection, first-time imports
        assert client.get(url).status_code == 200, url
    with CaptureQueriesContext(connection) as queries:
        client.get(urls[0])
    query_count = len(queries)  # now: the next request empties the log it reads
    timings = []
    for n in range(requests):
        url = urls[n % len(urls)]
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.content[:200])
    timings.sort()
    p95 = statistics.quantiles(timings, n=100)[94]
    print(f"database: {connection.vendor}, {query_count} queries per request")
    print(
        f"{requests} requests: p50 {statistics.median(timings):.1f} ms, "
        f"p95 {p95:.1f} ms, max {timings[-1]:.1f} ms (target p95 < 100 ms)"
    )


def main() -> None:
    args = parse_args()
    with (
        tempfile.TemporaryDirectory(prefix="taggarr-bench-") as data_dir,
        throwaway_database(data_dir),
    ):
        start = time.perf_counter()
        ids = seed(args.rows, args.instances)
        print(f"seeded {args.rows} media in {time.perf_counter() - start:.1f} s")
        measure(ids, args.rows, args.requests, args.page_size)
    print(repeat_line("bench/api_media.py", sys.argv[1:]))


if __name__ == "__main__":
    main()
