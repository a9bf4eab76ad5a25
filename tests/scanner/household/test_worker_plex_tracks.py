"""The step that sets each person's track in Plex, on real Celery workers
(scanner/media_servers/writes/track_lease.py): two tasks for one account at once (two
runs ended close together) set each selection once and both end, with no
IntegrityError; a worker killed (SIGKILL) while it holds the step leaves a lease that
runs out, and the next task sets the tracks.

The fake Plex holds a selection's PUT back (``stall_route``) so that a task is caught
in the middle of its step, as a slow server catches it; plex.tv's tokens as
python-plexapi 4.18 reads them (test_person_tracks.py). Which part a PUT names and with
which account's token: ``PUT /library/parts/{id}?audioStreamID=..`` with the account's
token (plexapi ``MediaPart.setSelectedAudioStream``)."""

from __future__ import annotations

import os
import signal
from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from scanner import tasks
from scanner.models import ScanRun, TrackLease, TrackRun, TrackSetting
from tests.factories import ScanRunFactory
from tests.scanner.household.test_plex_tracks import (  # noqa: F401 (the fixture)
    COMMENTARY,
    DUAL,
    VFQ,
    Household,
    household,
)
from tests.worker import LOG_TIMEOUT, celery_worker, task_done

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]

PUT_PART = ("PUT", "/library/parts/{id}")
INCLUDE = ("tests.plex_tv_url",)


def _env(home: Household) -> dict[str, str]:
    return {"TAGGARR_TEST_PLEX_TV_URL": home.tv.url}


def _ended_runs(home: Household, count: int) -> list[ScanRun]:
    instance = home.server.instances.get()
    return [
        ScanRunFactory(instance=instance, status=ScanRun.Status.SUCCEEDED) for _ in range(count)
    ]


def _sent_once_each(home: Household) -> Counter[int]:
    child = str(home.child_user.id)
    return Counter(w.part_id for w in home.plex.state.streams.writes() if w.account == child)


def test_two_tasks_for_one_account_at_once_set_each_selection_once(
    household: Household,  # noqa: F811 (the fixture imported above)
) -> None:
    home = household
    home.server.set_person_tracks = True
    home.server.save()
    account = home.account(home.child)
    first, second = _ended_runs(home, 2)
    home.plex.state.stall_route(*PUT_PART, times=1)  # the first selection sent hangs
    with celery_worker(extra_env=_env(home), include=INCLUDE) as holder:
        tasks.set_person_tracks.delay(account.pk, first.pk)
        assert home.plex.state.wait_stalled(1, LOG_TIMEOUT)  # it holds the step
        with celery_worker(extra_env=_env(home), include=INCLUDE) as other:
            tasks.set_person_tracks.delay(account.pk, second.pk)
            other.wait_for("is held by another task: it runs once more")
            other.wait_for(task_done("set_person_tracks"))
        assert TrackLease.objects.get(account=account).asked_again
        home.plex.state.release_stalls()
        holder.wait_for("asked for again meanwhile: once more")
        holder.wait_for(task_done("set_person_tracks"))
        said = "".join(holder.output + other.output)
    assert "IntegrityError" not in said and "Traceback" not in said
    assert holder.count(r"set_person_tracks\[[^\]]+\] raised") == 0
    assert other.count(r"set_person_tracks\[[^\]]+\] succeeded in [0-9.e-]+s: 0") == 1
    # Each selection went once: the VFQ, the commentary file's VFQ and the anime's.
    sent = _sent_once_each(home)
    assert set(sent) == {home.parts[VFQ], home.parts[COMMENTARY], home.parts[DUAL]}
    assert set(sent.values()) == {1}
    assert home.selected(home.child_user, VFQ) == (home.stream(VFQ, 3), 0)
    assert TrackSetting.objects.filter(account=account).count() == 3
    # The holder's run, then its run once more, which found nothing changed to read and
    # stored no run (the first still says what is set).
    assert holder.count(r"asked for again meanwhile: once more") == 1
    assert holder.count(r"nothing changed, nothing read") == 1
    runs = list(TrackRun.objects.filter(account=account).order_by("pk"))
    assert [(r.run_id, r.counts.get("sent", 0)) for r in runs] == [(first.pk, 3)]
    lease = TrackLease.objects.get(account=account)
    assert (lease.token, lease.asked_again) == (None, False)


def test_a_worker_killed_holding_the_step_leaves_it_to_the_next_task(
    household: Household,  # noqa: F811 (the fixture imported above)
) -> None:
    home = household
    home.server.set_person_tracks = True
    home.server.save()
    account = home.account(home.child)
    first, second = _ended_runs(home, 2)
    home.plex.state.stall_route(*PUT_PART, times=1)
    with celery_worker(extra_env=_env(home), include=INCLUDE) as killed:
        tasks.set_person_tracks.delay(account.pk, first.pk)
        assert home.plex.state.wait_stalled(1, LOG_TIMEOUT)
        os.killpg(killed.pid, signal.SIGKILL)
        killed.process.wait(LOG_TIMEOUT)
    held = TrackLease.objects.get(account=account)
    assert held.token is not None  # the dead task's, until it runs out
    assert not TrackRun.objects.filter(account=account).exists()
    # Time passes past its lease (injected, as the item leases' tests do).
    TrackLease.objects.filter(account=account).update(
        leased_until=timezone.now() - timedelta(seconds=1)
    )
    with celery_worker(extra_env=_env(home), include=INCLUDE) as after:
        tasks.set_person_tracks.delay(account.pk, second.pk)
        after.wait_for(task_done("set_person_tracks"))
    run = TrackRun.objects.get(account=account)
    assert (run.run_id, run.problem, run.counts) == (second.pk, "", {"sent": 3, "uncertain": 2})
    assert home.selected(home.child_user, VFQ) == (home.stream(VFQ, 3), 0)
    assert home.selected(home.child_user, COMMENTARY)[0] == home.stream(COMMENTARY, 3)
    assert home.selected(home.child_user, DUAL)[0] == home.stream(DUAL, 1)
    assert TrackLease.objects.get(account=account).token is None
