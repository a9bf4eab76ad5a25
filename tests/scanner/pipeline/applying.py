"""What the apply step's tests share: a run ready to apply and its step held, and the
peak of what a call allocates (tracemalloc: memory measured, never the clock)."""

from __future__ import annotations

import gc
import tracemalloc
from collections.abc import Callable

from django.utils import timezone

from scanner.models import Instance, Media, ScanRun
from scanner.pipeline.state import apply_lease, runs
from tests.factories import ScanRunFactory


def applying_run(instance: Instance, token: int, **values: object) -> ScanRun:
    """A run of ``instance`` whose items are done, past the barrier (claim_apply) and
    its apply step held with ``token``: what apply_run(run.pk, token) takes."""
    run = ScanRunFactory(
        instance=instance, status=ScanRun.Status.RUNNING, planned_at=timezone.now(), **values
    )
    assert runs.claim_apply(run.pk)
    assert apply_lease.take(run.pk, token)
    return run


def stored_movies(instance: Instance, count: int, *, planned: str, applied: str) -> None:
    """Movies 1 to ``count`` of ``instance`` (their *arr ids the same), decided
    ``planned`` and carrying ``applied``; stored in one statement."""
    Media.objects.bulk_create(
        Media(
            instance=instance,
            kind=Media.Kind.MOVIE,
            arr_id=number,
            title=f"A Movie With A Fairly Long Title {number}",
            path=f"/movies/Movie {number} (2020)",
            tmdb_id=200_000 + number,
            planned_tag=planned,
            applied_tag=applied,
        )
        for number in range(1, count + 1)
    )


def allocated_peak(call: Callable[[], object]) -> int:
    """The peak of what ``call`` allocated above what was held before it, in bytes."""
    gc.collect()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        call()
        return tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
