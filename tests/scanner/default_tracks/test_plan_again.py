"""Plan again (issue 93): a file whose change was undone, or refused, planned once more as
a person asks on the page or in the API, on real files: its header read again and its
flags planned, under the item's lease, and nothing written, even where the instance's
option is "set" (the person applies what was planned)."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from scanner.default_tracks import lease as item_lease
from scanner.default_tracks import plan_again
from scanner.default_tracks.tasks import plan_default_tracks_again
from scanner.leases import new_token
from scanner.models import DefaultTrackChange, Instance
from tests.helpers import scan_inline
from tests.scanner.default_tracks.quebec import Films, films, quebec_instance, sha256

__all__ = ["films"]

State = DefaultTrackChange.State


def _command(*args: object) -> str:
    out = StringIO()
    call_command("default_tracks", *[str(a) for a in args], stdout=out)
    return out.getvalue()


def _row(path: Path) -> DefaultTrackChange:
    return DefaultTrackChange.objects.filter(path=str(path)).latest("id")


def _undone(films: Films, **options: Any) -> tuple[Instance, DefaultTrackChange]:
    """The MULTi film planned, written and undone, by the command line."""
    instance = quebec_instance(films, default_tracks=Instance.DefaultTracks.PLAN, **options)
    scan_inline(instance)
    _command("apply", "--instance", instance.pk)
    _command("undo", "--instance", instance.pk)
    undone = _row(films.multi)
    assert undone.state == State.UNDONE
    return instance, undone


@pytest.mark.django_db(transaction=True)
def test_an_undone_file_planned_again_is_planned_and_nothing_is_written(films: Films) -> None:
    instance, undone = _undone(films)
    # The option is "set" now: a plan asked for by a person still writes nothing.
    Instance.objects.filter(pk=instance.pk).update(default_tracks=Instance.DefaultTracks.SET)
    before = sha256(films.multi)
    assert undone.media_id is not None and undone.media_file_id is not None
    assert plan_again.files_of([undone.pk]) == {undone.media_id: [undone.media_file_id]}
    done = plan_default_tracks_again.apply(args=[undone.media_id, [undone.media_file_id]]).get()
    assert done == 1
    again = _row(films.multi)
    assert again.pk != undone.pk and again.state == State.PLANNED
    assert (again.audio_before, again.audio_after) == (undone.audio_before, undone.audio_after)
    assert sha256(films.multi) == before  # planned only
    undone.refresh_from_db()
    assert undone.state == State.UNDONE  # the journal keeps what happened


@pytest.mark.django_db(transaction=True)
def test_a_file_whose_item_another_task_holds_is_not_planned(films: Films) -> None:
    _instance, undone = _undone(films)
    assert undone.media_id is not None and undone.media_file_id is not None
    holder = new_token()
    assert item_lease.take(undone.media_id, holder)
    assert plan_again.plan_again(undone.media_id, [undone.media_file_id], token=new_token()) is None
    assert _row(films.multi).pk == undone.pk  # nothing planned
    item_lease.let_go(undone.media_id, holder)
    done = plan_again.plan_again(undone.media_id, [undone.media_file_id], token=new_token())
    assert done is not None and len(done.planned) == 1
    assert _row(films.multi).state == State.PLANNED


@pytest.mark.django_db
def test_only_undone_and_refused_rows_are_queued(django_capture_on_commit_callbacks: Any) -> None:
    from tests.default_track_rows import quebec_plan

    plan = quebec_plan()
    with django_capture_on_commit_callbacks() as sent:
        count = plan_again.queue([row.pk for row in plan.rows])
    refused = [plan.hardlinked, plan.no_room, plan.mp4]
    assert count == len(refused) and len(sent) == 1  # one task for the item's files
    assert plan_again.files_of([plan.planned.pk, plan.written.pk, plan.stale.pk]) == {}
