"""Every Celery task of scanner.tasks ends an expected error in one log line (issue 79):
a run's own steps by their give-up policy (StepTask: the plan, each item, the apply), every
other task (artwork, a person's tracks and counts, Seerr, searches, lost dubs,
notifications, beat's tick) as a SideTask. A task added without either would end a share
or a server that does not answer in a traceback and "raised unexpected"."""

from __future__ import annotations

from celery import current_app

from scanner import tasks


def test_every_task_of_the_scanner_ends_an_expected_error_in_one_line() -> None:
    ours = {name: task for name, task in current_app.tasks.items() if name.startswith("scanner.")}
    assert len(ours) >= 18
    unguarded = sorted(
        name for name, task in ours.items() if not isinstance(task, tasks.StepTask | tasks.SideTask)
    )
    assert unguarded == []
