"""An unchanged rescan's apply step costs what changed, not the library (issue 83).

Measured with tracemalloc (allocations made while the apply step runs, never the
clock): the apply step of a run over a library where nothing is to be written, at two
sizes several chunks long (apply.CHUNK). An apply step that held every item (a Media
instance and a TagWrite for each, as it did before) cost about 3 KB an item; one that
reads the items in chunks and keeps only the writes that matter holds nothing per
unchanged item. The items the NFO writer still needs (here one whose NFO is due) are
kept all the same.
"""

from __future__ import annotations

import pytest

from scanner.models import Instance, Media, ScanRun
from scanner.pipeline.writers import apply as apply_module
from scanner.pipeline.writers.apply import apply_run
from tests.factories import InstanceFactory
from tests.scanner.pipeline.applying import allocated_peak, applying_run

pytestmark = pytest.mark.django_db

TOKEN = 7
DUB_TAG_ID = 5  # the *arr's id of the "dub" tag
CHUNK = 50
SIZES = (200, 800)
# What one more unchanged item may cost the apply step: nothing is held for it, so this
# is room for the allocator's noise. A budget, not a measurement.
BUDGET_PER_ITEM = 256


def _unchanged_library(instance: Instance, items: int) -> Media:
    """``items`` series tagged dub in the *arr as planned, and one more whose NFO is due
    (returned): nothing to write to the *arr."""
    Media.objects.bulk_create(
        Media(
            instance=instance,
            kind=Media.Kind.SERIES,
            arr_id=number + 1,
            title=f"A Series With A Fairly Long Title {number}",
            path=f"/media/tv/A Series With A Fairly Long Title {number} (2020)",
            tvdb_id=100_000 + number,
            planned_tag="dub",
            applied_tag="dub",
            arr_tag_ids=[DUB_TAG_ID],
        )
        for number in range(items)
    )
    return Media.objects.create(
        instance=instance,
        kind=Media.Kind.SERIES,
        arr_id=items + 1,
        title="Due",
        path="/media/tv/Due",
        planned_tag="dub",
        applied_tag="dub",
        arr_tag_ids=[DUB_TAG_ID],
        nfo_due=True,
    )


def _apply_peak(items: int) -> int:
    """The peak of what the apply step of an unchanged ``items``-long rescan allocated."""
    instance = InstanceFactory(name=f"series-{items}")
    due = _unchanged_library(instance, items)
    run = applying_run(instance, TOKEN, arr_tag_ids={"dub": DUB_TAG_ID})
    peak = allocated_peak(lambda: apply_run(run.pk, TOKEN))
    run.refresh_from_db()
    assert run.status == ScanRun.Status.SUCCEEDED, run.error
    assert run.summary["planned_changes"] == 0
    due.refresh_from_db()
    assert not due.nfo_due  # the NFO writer had it (off here: nothing holds it due)
    return peak


def test_an_unchanged_rescans_apply_step_holds_nothing_per_item(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(apply_module, "CHUNK", CHUNK)
    _apply_peak(20)  # warms what any apply step loads once (queries, modules)
    peaks = {size: _apply_peak(size) for size in SIZES}

    small, large = SIZES
    assert (peaks[large] - peaks[small]) / (large - small) <= BUDGET_PER_ITEM, peaks
