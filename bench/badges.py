"""Issue 95's figures: dub badges on 2,000 series and 500 movies, the poster file beside
each item (Kodi's ``poster.jpg``), planned, drawn, planned again unchanged and undone,
through the act's own runner (scanner.badges.act: ``run_inline``, what ``scan --inline``
runs after a scan, one item after another as a worker's item tasks would), with the
wall time of each pass and the process's peak memory.

    .venv/bin/python bench/badges.py                          # 2,000 series + 500 movies
    .venv/bin/python bench/badges.py --series 200 --movies 50 --no-record
    .venv/bin/python bench/badges.py --jellyfin               # and each on a Jellyfin too

A throwaway database (bench/throwaway_db.py) gets a library-folder instance of each kind
(Quebec: fr-CA; Latin America: es-419) with the items; each item's folder holds a poster
as the *arrs save it (JPEG, 1000 x 1500, about 300 kB; a tenth of them PNG), and its
verdicts say a dub (a tenth a semi-dub, a tenth none). The passes:

1. plan (the option on "plan": read, draw to be sure, record; nothing written);
2. draw (on "set": the plan again, then the write: the original kept in the database,
   the new poster renamed over the old one, read back);
3. an unchanged rescan (nothing due: no file read, no row);
4. undo (every original written back), then every poster's SHA-256 compared with the
   one it had before: undo gives back every byte.

``--jellyfin``: each item is also on a fake Jellyfin 10.10 (fakes/jellyfin, over HTTP in
this process), with the same poster as its primary image: each pass lists the server
once, and each item's poster there is read, drawn, sent and read back too.

Only figures of one machine, one day, compare.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import resource
import secrets
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.machine import REPO, describe_code, machine, uncommitted
from bench.throwaway_db import repeat_line, throwaway_database

RESULTS = REPO / "bench" / "RESULTS.md"
SIZE = (1000, 1500)  # the TVDB and TMDb poster size the *arrs save


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=2000)
    parser.add_argument("--movies", type=int, default=500)
    parser.add_argument("--no-record", action="store_true", help="do not append to RESULTS.md")
    parser.add_argument("--jellyfin", action="store_true", help="the items on a fake Jellyfin too")
    return parser.parse_args()


def poster_file(number: int, kind: str) -> bytes:
    """A poster of its own (each item's is different, as real ones are: the originals
    kept are one each): a gradient with some detail, so that it encodes as a real poster
    does (a flat image would be a few kB), and the item's number."""
    from PIL import Image, ImageDraw

    image = Image.linear_gradient("L").resize(SIZE).convert("RGB")
    draw = ImageDraw.Draw(image)
    for step in range(0, SIZE[1], 37):
        colour = ((step + number) % 255, 90, 160)
        draw.line([(0, step), (SIZE[0], (step * 7) % SIZE[1])], fill=colour, width=3)
    draw.text((SIZE[0] // 2, SIZE[1] // 2), f"{number:05d}", fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, kind, **({"quality": 90} if kind == "JPEG" else {}))
    return out.getvalue()


def seed(root: Path, series: int, movies: int) -> tuple[list[int], dict[Path, str]]:
    """The instances, their items and their posters; the instances' ids and each
    poster's SHA-256."""
    from scanner.models import Instance, Media

    digests: dict[Path, str] = {}
    instances = []
    for kind, count, content, target in (
        (Media.Kind.SERIES, series, "series", "fr-CA"),
        (Media.Kind.MOVIE, movies, "movies", "es-419"),
    ):
        folder = root / content
        instance = Instance.objects.create(
            name=content, kind=Instance.Kind.LIBRARY, url="", library_content=content,
            root_folders=[str(folder)], target_languages=[target],
            badges=Instance.Badges.PLAN,
        )  # fmt: skip
        instances.append(instance.pk)
        rows = []
        for number in range(count):
            item = folder / f"Title {number:05d}"
            item.mkdir(parents=True)
            png = number % 10 == 3
            path = item / ("poster.png" if png else "poster.jpg")
            data = poster_file(len(digests), "PNG" if png else "JPEG")
            path.write_bytes(data)
            digests[path] = hashlib.sha256(data).hexdigest()
            verdict = "semi-dub" if number % 10 == 5 else "none" if number % 10 == 7 else "dub"
            rows.append(
                Media(
                    instance=instance,
                    kind=kind,
                    arr_id=number + 1,
                    title=item.name,
                    path=str(item),
                    language_verdicts={target: verdict},
                    verdict_reasons={"targets": [target]},
                )
            )
        Media.objects.bulk_create(rows, batch_size=500)
    return instances, digests


def on_jellyfin(stack: ExitStack, instance_ids: list[int], digests: dict[Path, str]) -> Any:
    """A fake Jellyfin holding every item, its primary image the item's poster file."""
    from fakes.jellyfin import FakeJellyfin, build_movie, build_series
    from scanner.models import Media, MediaServer

    token = secrets.token_hex(16)
    media = list(Media.objects.filter(instance_id__in=instance_ids).order_by("pk"))
    items = [
        (build_series if item.kind == Media.Kind.SERIES else build_movie)(
            f"i{item.pk}", item.title, item.path
        )
        for item in media
    ]
    fake = stack.enter_context(FakeJellyfin(token=token, items=items, version="10.10.7"))
    posters = {path.parent: path for path in digests}
    for item in media:
        path = posters[Path(item.path)]
        kind = "image/png" if path.suffix == ".png" else "image/jpeg"
        fake.state.set_image(f"i{item.pk}", "Primary", path.read_bytes(), kind)
    server = MediaServer(name="bench", url=fake.url)
    server.set_token(token)
    server.save()
    server.instances.set(instance_ids)
    return fake


def one_pass(instance_ids: list[int], option: str | None) -> tuple[float, int, int]:
    """The act's runner after a run of each instance (``option``: set first); seconds,
    rows planned, rows written."""
    from scanner.badges.act import ACT
    from scanner.models import Instance, ScanRun

    if option is not None:
        Instance.objects.filter(pk__in=instance_ids).update(badges=option)
    planned = written = 0
    started = time.perf_counter()
    for instance_id in instance_ids:
        run = ScanRun.objects.create(
            instance_id=instance_id, status=ScanRun.Status.SUCCEEDED, trigger=ScanRun.Trigger.CLI
        )
        for item in ACT.run_inline(run.pk):
            planned += sum(len(plan.planned) for plan in item.plans)
            written += item.written
    return time.perf_counter() - started, planned, written


def main() -> None:
    args = parse_args()
    started_files = uncommitted()
    lines = []
    with (
        tempfile.TemporaryDirectory(prefix="taggarr-bench-") as data_dir,
        throwaway_database(data_dir) as vendor,
        ExitStack() as stack,
    ):
        from scanner.badges.posters import undo
        from scanner.models import BadgeChange, PosterOriginal

        root = Path(data_dir) / "library"
        instances, digests = seed(root, args.series, args.movies)
        items = args.series + args.movies
        fake = on_jellyfin(stack, instances, digests) if args.jellyfin else None
        before = {} if fake is None else {
            item: hashlib.sha256(fake.state.image(item, "Primary").data).hexdigest()
            for item in (row["Id"] for row in fake.state.items())
        }  # fmt: skip
        where = " and on a fake Jellyfin 10.10" if fake is not None else ""
        lines.append(
            f"- {vendor}, {items} items ({args.series} series, {args.movies} movies), "
            f"each poster in its folder{where}"
        )
        peak_seeded = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        for label, option in (("plan", None), ("draw", "set"), ("unchanged rescan", None)):
            seconds, planned, written = one_pass(instances, option)
            per_item = seconds / items * 1e3
            lines.append(
                f"- {label}: {seconds:.1f} s ({per_item:.1f} ms an item), "
                f"{planned} rows planned, {written} posters written"
            )
        kept = PosterOriginal.objects.count()
        started = time.perf_counter()
        outcome = undo(change_ids=None, by="bench")
        seconds = time.perf_counter() - started
        lines.append(f"- undo: {seconds:.1f} s, {outcome.counts}; {kept} originals kept")
        same = sum(
            hashlib.sha256(path.read_bytes()).hexdigest() == digest
            for path, digest in digests.items()
        )
        lines.append(f"- every byte back after undo: {same} of {len(digests)} posters")
        if fake is not None:
            back = sum(
                hashlib.sha256(fake.state.image(item, "Primary").data).hexdigest() == digest
                for item, digest in before.items()
            )
            lines.append(f"- every byte back on the Jellyfin: {back} of {len(before)} posters")
        lines.append(f"- rows in the journal: {BadgeChange.objects.count()}")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        lines.append(f"- peak RSS {peak:.0f} MB (after seeding: {peak_seeded:.0f} MB)")
    for line in lines:
        print(line)
    repeat = repeat_line("bench/badges.py", sys.argv[1:])
    print(repeat)
    if not args.no_record:
        when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        code = describe_code(started_files, uncommitted())
        server = ", on a fake Jellyfin too" if args.jellyfin else ""
        head = f"\n## {when} - dub badges, {items} items{server} - {code}\n\n{machine()}\n\n"
        with RESULTS.open("a", encoding="utf-8") as out:
            out.write(head + "\n".join(lines) + f"\n\n`{repeat}`\n")


if __name__ == "__main__":
    main()
