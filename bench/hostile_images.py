"""bench/hostile.py's images (issue 59): posters that cost far more to decode than their
size, each a library folder's ``poster.jpg`` read by a real Celery worker (one
``refresh_artwork_chunk`` per case, one case at a time, the worker's peak RSS reset
before each: /proc/<pid>/clear_refs, 5). Targets: each refused (or, the ordinary poster,
made) within TAGGARR_HTTP_DEADLINE_SECONDS of its task being sent, the worker's peak
under 300 MB. Before issue 59, the many-scans JPEG kept a thread busy minutes (1,459 s
at 4000 x 6000) at every scan, the 1 x 24,999,999 PNG took 521 MB."""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.hostile_cases import WORKER_PEAK_MB, Outcome
from bench.services import PeakRss, Service, log_says, start_service
from tests.scanner.artwork.images import many_scans_jpeg, png_of, progressive_jpeg

REPO = Path(__file__).resolve().parent.parent
POLL_SECONDS = 0.05
# Under the covers' 4 MB bound: a 14-byte header a scan.
SCANS = 280_000


@dataclass(frozen=True)
class ImageCase:
    name: str
    make: Callable[[], bytes]
    made: bool = False  # an ordinary poster: a thumbnail is made, not refused


IMAGE_CASES = (
    ImageCase("JPEG 2000 x 3000, 280,000 empty scans", lambda: many_scans_jpeg(2000, 3000, SCANS)),
    ImageCase("the same, truncated", lambda: many_scans_jpeg(2000, 3000, SCANS, truncated=True)),
    ImageCase("PNG 1 x 24,999,999 (48 KB)", lambda: png_of(1, 24_999_999)),
    ImageCase("PNG 12,000 x 1,000", lambda: png_of(12_000, 1_000)),
    ImageCase("PNG 4,500 x 4,500 RGBA", lambda: png_of(4_500, 4_500, mode="RGBA")),
    ImageCase("ordinary JPEG 2000 x 3000", lambda: progressive_jpeg(2000, 3000), made=True),
    ImageCase(  # at the bounds: its scans, a progressive JPEG's coefficients (46 MB)
        "JPEG 4000 x 4000, 200 scans", lambda: many_scans_jpeg(4000, 4000, 199), made=True
    ),
)


def image_checks(
    stack: contextlib.ExitStack, env: dict[str, str], work: Path, deadline: int
) -> list[Outcome]:
    from scanner.models import Instance, Media

    library = work / "library"
    instance = Instance.objects.create(
        name="hostile images", kind=Instance.Kind.LIBRARY, url="",
        root_folders=[str(library)], target_languages=["eng"],
    )  # fmt: skip
    media = {}
    for number, case in enumerate(IMAGE_CASES):
        folder = library / f"Show {number}"
        folder.mkdir(parents=True)
        (folder / "poster.jpg").write_bytes(case.make())
        media[case] = Media.objects.create(
            instance=instance, title=case.name, path=str(folder), kind=Media.Kind.SERIES
        )
    command = [
        sys.executable, "-m", "celery", "-A", "taggarr", "worker", "--without-mingle",
        "--without-gossip", "--hostname", f"hostile-images-{os.getpid()}@%h",
    ]  # fmt: skip
    worker = start_service(
        "celery worker (images)", command, env, work / "worker-images.log",
        ready=log_says(" ready."), cwd=REPO,
    )  # fmt: skip
    stack.callback(worker.stop)
    return [_one(case, instance.pk, media[case].pk, worker, deadline) for case in IMAGE_CASES]


def _one(
    case: ImageCase, instance_id: int, media_id: int, worker: Service, deadline: int
) -> Outcome:
    from scanner.models import Artwork, ArtworkFetch
    from scanner.tasks import refresh_artwork_chunk

    _reset_peak(worker.pid)
    rss = PeakRss(worker.pid).start()
    started = time.monotonic()
    refresh_artwork_chunk.delay(instance_id, [media_id])
    status, error, seconds = "never", "", None
    while time.monotonic() - started < 3 * deadline:
        if Artwork.objects.filter(media_id=media_id, kind="poster").exists():
            status, seconds = "made", time.monotonic() - started
            break
        failed = ArtworkFetch.objects.filter(media_id=media_id, kind="poster")
        failure = failed.exclude(failed_at=None).values_list("failure", flat=True).first()
        if failure is not None:
            status, error, seconds = "refused", failure, time.monotonic() - started
            break
        time.sleep(POLL_SECONDS)  # polling the database for the image's outcome
    rss.stop()
    peak_mb = max(rss.peaks_kib.values(), default=0) / 1024
    expected = "made" if case.made else "refused"
    problems = []
    if status != expected:
        problems.append(f"{status}, not {expected}")
    if seconds is None or seconds > deadline:
        problems.append(f"not settled within {deadline} s")
    if peak_mb > WORKER_PEAK_MB:
        problems.append(f"peak RSS {peak_mb:.0f} MB over {WORKER_PEAK_MB} MB")
    if not worker.alive():
        problems.append("the worker died")
    problem = f"worker image {case.name}: " + "; ".join(problems) if problems else ""
    return Outcome("worker image", case.name, status, error, seconds, deadline, peak_mb, problem)


def _reset_peak(pid: int) -> None:
    """VmHWM back to the current RSS (Linux's clear_refs, 5): each case's own peak."""
    with contextlib.suppress(OSError):
        Path(f"/proc/{pid}/clear_refs").write_text("5")
