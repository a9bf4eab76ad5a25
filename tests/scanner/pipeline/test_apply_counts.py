"""The apply step's counts count what they name (issue 61): "tags removed" counts the
tags an item carried and no longer carries, so a first apply that decides "no tag" for
an item that never had one removes none."""

from __future__ import annotations

import pytest
from django.utils import timezone

from scanner.models import ScanRun
from scanner.pipeline.state import apply_lease, runs
from scanner.pipeline.writers.apply import apply_run
from tests.factories import InstanceFactory, MediaFactory, ScanRunFactory

pytestmark = pytest.mark.django_db

TOKEN = 7


def _dry_run(instance: object, **values: object) -> ScanRun:
    run = ScanRunFactory(
        instance=instance, status=ScanRun.Status.RUNNING, planned_at=timezone.now(),
        dry_run=True, **values,
    )  # fmt: skip
    assert runs.claim_apply(run.pk)
    assert apply_lease.take(run.pk, TOKEN)
    return run


def test_a_first_apply_to_no_tag_removes_nothing_and_a_lost_dub_counts_once() -> None:
    instance = InstanceFactory(subtitle_tags=True)
    run = _dry_run(instance, arr_tag_ids={"dub": 5})
    # Never tagged: decided "no tag" with a subtitle label; and one more without any.
    MediaFactory(instance=instance, applied_tag="", planned_tag="none", planned_labels=["sub-fr"])
    MediaFactory(instance=instance, applied_tag="", planned_tag="none")
    # Carried the dub tag in the *arr and loses it: the one tag taken off.
    MediaFactory(instance=instance, applied_tag="dub", planned_tag="none", arr_tag_ids=[5])

    apply_run(run.pk, TOKEN)

    summary = ScanRun.objects.get(pk=run.pk).summary
    assert summary["planned_changes"] == 3
    assert summary["planned_cleared"] == 1
