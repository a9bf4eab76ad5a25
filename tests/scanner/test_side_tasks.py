"""Every Celery task of scanner.tasks ends an expected error in one log line (issue 79):
a run's own steps by their give-up policy (StepTask: the plan, each item, the apply), every
other task (artwork, a person's tracks and counts, Seerr, searches, lost dubs,
notifications, beat's tick) as a SideTask. A task added without either would end a share
or a server that does not answer in a traceback and "raised unexpected"."""

from __future__ import annotations

import pytest
from celery import current_app

from scanner import tasks
from scanner.household import counts as person_counts
from scanner.runtime import running
from scanner.tasking import kinds


def test_every_task_of_the_scanner_ends_an_expected_error_in_one_line() -> None:
    ours = {name: task for name, task in current_app.tasks.items() if name.startswith("scanner.")}
    assert len(ours) >= 18
    unguarded = sorted(
        name for name, task in ours.items() if not isinstance(task, tasks.StepTask | tasks.SideTask)
    )
    assert unguarded == []


def test_every_task_names_its_kind_and_a_side_task_runs_inside_the_registry(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each task is of a kind declared once (scanner.tasking.kinds); a side task, run,
    is a step of its kind in the registry the watchdog reads, with its run (issue 80:
    the people's recount too)."""
    ours = [task for name, task in current_app.tasks.items() if name.startswith("scanner.")]
    assert all(task.kind in kinds.KINDS for task in ours)
    seen: list[tuple[str, int | None]] = []

    def people_of_run(run_id: int) -> list[int]:
        seen.extend((each.kind, each.run_id) for each in running.steps())
        return []

    monkeypatch.setattr(person_counts, "people_of_run", people_of_run)
    assert tasks.recount_run_people(7) == 0
    assert seen == [(running.Kind.PERSON_COUNTS, 7)]
    assert running.steps() == []  # let go when it ends
