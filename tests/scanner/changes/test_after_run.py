"""An act follows a run's end only where its instance has it on (scanner.changes.tasks:
``after_run``): a run of an instance with the act off records no planning and sends no
task, one with it on or on "plan" does both (most runs are of the former: a cron rescan
pays nothing for an act nobody uses)."""

from __future__ import annotations

from typing import Any

import pytest

from scanner.badges.tasks import TASKS as BADGES
from scanner.default_tracks.tasks import TASKS as DEFAULT_TRACKS
from scanner.models import ActPlanning, Instance
from tests.factories import InstanceFactory, ScanRunFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """The run tasks ``after_run`` sends, kept here instead of the broker."""
    kept: list[tuple[str, int]] = []
    for tasks in (BADGES, DEFAULT_TRACKS):
        name = tasks.run.name

        def delay(run_id: int, *_: Any, name: str = name) -> None:
            kept.append((name, run_id))

        monkeypatch.setattr(tasks.run, "delay", delay)
    return kept


def test_an_act_that_is_off_records_and_sends_nothing(sent: list[tuple[str, int]]) -> None:
    run = ScanRunFactory(instance=InstanceFactory())
    assert run.instance.badges == Instance.Badges.OFF
    BADGES.after_run(run.pk)
    DEFAULT_TRACKS.after_run(run.pk)
    assert sent == []
    assert not ActPlanning.objects.exists()


def test_an_act_that_plans_records_its_planning_and_sends_its_task(
    sent: list[tuple[str, int]],
) -> None:
    instance = InstanceFactory(badges=Instance.Badges.PLAN)
    run = ScanRunFactory(instance=instance)
    BADGES.after_run(run.pk)
    DEFAULT_TRACKS.after_run(run.pk)  # off on this instance
    assert sent == [("scanner.tasks.plan_run_badges", run.pk)]
    assert list(ActPlanning.objects.values_list("act", flat=True)) == ["badges"]


def test_a_run_that_is_gone_sends_nothing(sent: list[tuple[str, int]]) -> None:
    BADGES.after_run(2**40)
    assert sent == []
