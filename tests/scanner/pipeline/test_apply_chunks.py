"""A first scan's apply step holds a chunk of writes, not the library (issue 83).

A first scan changes every item, and each write holds its item's row: 70,000 of them
held to the end were half the largest library's peak memory. Where no media server
needs the whole scope at once, the writes are made, stored and let go WRITE_CHUNK at a
time: the *arr's editor asked once per chunk and label, the label created once and its
id used by the chunks after, the run's figures the sum of its chunks'. Memory is
measured with tracemalloc (what the step allocates, never the clock), against a fake
Radarr on a real socket.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from fakes.arr import FakeArr, FakeArrOptions
from fakes.arr.samples import build_movie
from scanner.errors import ShareUnanswered
from scanner.models import Event, Instance, Media, ScanRun
from scanner.pipeline.state import apply_steps
from scanner.pipeline.writers import apply as apply_module
from scanner.pipeline.writers.apply import apply_run
from tests.factories import InstanceFactory
from tests.helpers import ARR_KEY
from tests.scanner.pipeline.applying import allocated_peak, applying_run, stored_movies

pytestmark = pytest.mark.django_db

TOKEN = 7
SIZES = (200, 800)
# What one more changed item may cost the apply step once its chunk is written: its
# write is let go, so this is room for the allocator and the fake's own state (each
# movie's tag list). Holding every write cost about 3 KB an item. A budget, not a measure.
BUDGET_PER_ITEM = 1024


@pytest.fixture
def radarr() -> Iterator[FakeArr]:
    """A fake Radarr v5 with 1,000 movies, no tag on any."""
    items = [build_movie(number) for number in range(1, 1001)]
    with FakeArr(
        FakeArrOptions(app="radarr", version="5.2.0.0", api_key=ARR_KEY), items=items
    ) as fake:
        yield fake


def _changed_library(radarr: FakeArr, items: int, name: str) -> Instance:
    """``items`` of the fake's movies, decided dub and never tagged: every one changes."""
    instance = InstanceFactory(
        name=name, kind=Instance.Kind.RADARR, url=radarr.url, api_key=ARR_KEY
    )
    stored_movies(instance, items, planned="dub", applied="")
    return instance


def _requests(radarr: FakeArr, method: str, route: str) -> int:
    return radarr.state.counters().get((method, route), 0)


def test_the_writes_are_made_a_chunk_at_a_time_and_add_up(
    radarr: FakeArr, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(apply_module, "WRITE_CHUNK", 3)
    monkeypatch.setattr(apply_module, "CHUNK", 2)  # rows read a page at a time too
    instance = _changed_library(radarr, 10, "films")
    run = applying_run(instance, TOKEN)

    apply_run(run.pk, TOKEN)

    run.refresh_from_db()
    assert run.status == ScanRun.Status.SUCCEEDED, run.error
    assert run.summary["planned_changes"] == 10
    assert run.summary["tags_set"] == {"dub": 10}
    assert run.tags_changed == 10
    # The label made once; its id used by the three chunks after the first.
    assert _requests(radarr, "POST", "/api/v3/tag") == 1
    assert _requests(radarr, "PUT", "/api/v3/movie/editor") == 4  # chunks of 3, 3, 3, 1
    (dub,) = [tag["id"] for tag in radarr.state.tags() if tag["label"] == "dub"]
    tagged = {item["id"] for item in radarr.state.items() if dub in item["tags"]}
    assert tagged == set(range(1, 11))
    assert set(Media.objects.values_list("applied_tag", flat=True)) == {"dub"}
    assert Event.objects.filter(run=run, kind=Event.Kind.TAG_CHANGED).count() == 10


def test_the_runs_page_counts_the_tags_written_over_the_whole_run(
    radarr: FakeArr, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ "Writing tags to Radarr: item m of n" (scanner.reports.apply_steps) counts the
    run's changes, not a chunk's, and its rate from the step's first start: the time
    left is the run's."""
    monkeypatch.setattr(apply_module, "WRITE_CHUNK", 3)
    instance = _changed_library(radarr, 10, "films")
    run = applying_run(instance, TOKEN)
    seen: list[dict[str, object]] = []
    step_done = apply_steps.step_done

    def recorded(held: object, done: int) -> None:
        step_done(held, done)  # type: ignore[arg-type]
        seen.append(ScanRun.objects.get(pk=run.pk).apply_progress)

    monkeypatch.setattr(apply_steps, "step_done", recorded)

    apply_run(run.pk, TOKEN)

    arr = [p for p in seen if p["step"] == apply_steps.ARR]
    assert [(p["done"], p["total"]) for p in arr] == [(3, 10), (6, 10), (9, 10), (10, 10)]
    assert len({p["step_at"] for p in arr}) == 1


def test_a_dry_run_counts_every_chunk_and_writes_nothing(
    radarr: FakeArr, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(apply_module, "WRITE_CHUNK", 4)
    instance = _changed_library(radarr, 10, "films")
    run = applying_run(instance, TOKEN, dry_run=True)

    apply_run(run.pk, TOKEN)

    run.refresh_from_db()
    assert run.summary["planned_changes"] == 10
    assert run.summary["planned_set"] == {"dub": 10}
    assert Event.objects.filter(run=run, kind=Event.Kind.TAG_PLANNED).count() == 10
    assert _requests(radarr, "PUT", "/api/v3/movie/editor") == 0
    assert set(Media.objects.values_list("applied_tag", flat=True)) == {""}


def test_a_share_that_stops_answering_leaves_the_chunks_not_reached_due(
    radarr: FakeArr, monkeypatch: pytest.MonkeyPatch
) -> None:
    """write_nfos makes its own chunk's NFOs due when the share stops answering (its
    tests), and the apply step made them due already when the *arr answered their tags
    (issue 92: a holder killed while it writes them leaves them owed); the items of the
    chunks after it were never looked at: due too, so that the next scan writes their
    NFOs though nothing else changed."""
    monkeypatch.setattr(apply_module, "WRITE_CHUNK", 4)

    def share_stops(run: ScanRun, writes: list[object], held: object) -> None:
        raise ShareUnanswered("/movies", 30)

    monkeypatch.setattr(apply_module, "write_nfos", share_stops)
    instance = _changed_library(radarr, 10, "films")
    run = applying_run(instance, TOKEN)

    with pytest.raises(ShareUnanswered):
        apply_run(run.pk, TOKEN)

    first, *rest = [
        list(
            Media.objects.filter(arr_id__in=range(start, start + 4)).values_list(
                "nfo_due", flat=True
            )
        )
        for start in (1, 5, 9)
    ]
    assert first == [True] * 4  # owed since the *arr took their tags
    assert rest == [[True] * 4, [True] * 2]


class Stopped(Exception):
    """The step's holder stopped (its worker killed): tests/scanner/pipeline/
    test_worker_apply_chunks.py kills a real worker there."""


def test_a_holder_stopped_between_chunks_leaves_the_next_the_whole_runs_count(
    radarr: FakeArr, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 92: the holder that takes the step up again counts on from what the first
    stored, and writes and tells once what Radarr answered and the first never stored."""
    monkeypatch.setattr(apply_module, "WRITE_CHUNK", 3)
    instance = _changed_library(radarr, 7, "films")
    dub = radarr.state.insert_tag("dub")
    assert dub is not None  # the label is Radarr's already: the plan found it
    run = applying_run(instance, TOKEN, arr_tag_ids={"dub": dub["id"]})
    write_arr_tags = apply_module.write_arr_tags
    answered = []

    def stops_after_the_second_answer(*args: Any) -> Any:
        result = write_arr_tags(*args)
        answered.append(result)
        if len(answered) == 2:
            raise Stopped  # Radarr saved the chunk; nothing of its answer is stored
        return result

    monkeypatch.setattr(apply_module, "write_arr_tags", stops_after_the_second_answer)
    with pytest.raises(Stopped):
        apply_run(run.pk, TOKEN)
    monkeypatch.setattr(apply_module, "write_arr_tags", write_arr_tags)
    stopped = ScanRun.objects.get(pk=run.pk)
    assert stopped.tags_changed == 3  # what it stored, said while it is not ended
    past = timezone.now() - timedelta(seconds=1)
    ScanRun.objects.filter(pk=run.pk).update(apply_leased_until=past)

    apply_run(run.pk, TOKEN + 1)  # the step sent again, another holder

    run.refresh_from_db()
    assert run.status == ScanRun.Status.SUCCEEDED, run.error
    assert (run.tags_changed, run.summary["planned_changes"]) == (7, 7)
    assert run.summary["tags_set"] == {"dub": 7}
    events = Event.objects.filter(run=run, kind=Event.Kind.TAG_CHANGED)
    assert sorted(events.values_list("media__arr_id", flat=True)) == list(range(1, 8))
    tagged = {item["id"] for item in radarr.state.items() if dub["id"] in item["tags"]}
    assert tagged == set(range(1, 8))


def _apply_peak(radarr: FakeArr, items: int) -> int:
    """The peak of what the apply step of a first scan of ``items`` movies allocated."""
    instance = _changed_library(radarr, items, f"films-{items}")
    run = applying_run(instance, TOKEN)
    peak = allocated_peak(lambda: apply_run(run.pk, TOKEN))
    run.refresh_from_db()
    assert run.status == ScanRun.Status.SUCCEEDED, run.error
    assert run.tags_changed == items
    return peak


def test_a_first_scans_apply_step_holds_a_chunk_not_the_library(
    radarr: FakeArr, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(apply_module, "WRITE_CHUNK", 50)
    monkeypatch.setattr(apply_module, "CHUNK", 50)
    _apply_peak(radarr, 20)  # warms what any apply step loads once (queries, modules)
    peaks = {size: _apply_peak(radarr, size) for size in SIZES}

    small, large = SIZES
    assert (peaks[large] - peaks[small]) / (large - small) <= BUDGET_PER_ITEM, peaks
