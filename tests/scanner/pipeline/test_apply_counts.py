"""The apply step's counts count what they name (issue 61): "tags removed" counts the
tags an item carried and no longer carries, so a first apply that decides "no tag" for
an item that never had one removes none."""

from __future__ import annotations

import pytest

from scanner.models import ScanRun
from scanner.pipeline.writers.apply import apply_run
from tests.factories import InstanceFactory, MediaFactory
from tests.scanner.pipeline.applying import applying_run

pytestmark = pytest.mark.django_db

TOKEN = 7


def _dry_run(instance: object, **values: object) -> ScanRun:
    return applying_run(instance, TOKEN, dry_run=True, **values)


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
