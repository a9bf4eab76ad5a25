"""A queued run nobody takes never blocks anyone (issue 79, finding 1): a decision taken
through the API queues a run that only a worker takes; where none runs (``manage.py
scan --inline`` from cron, as the README offers), the answer says the next scan writes
it, and the next ``scan --inline`` runs that run first (then its own scan) instead of
refusing "scan #7 (queued) is already active". A worker that comes back later finds the
run taken and steps aside: every tag is written once (the fake Sonarr's editor log).

A queued run is reused only by a decision it will write, in its own mode: not a run
scoped to another item (``_pending_for``'s scope check), not a hand-started dry run
(its dry-run check); such a decision waits for that run and is written after it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator

import pytest
from rest_framework.test import APIClient

from fakes.arr import FakeArr, FakeArrOptions
from scanner.actions.write_now import no_worker_sentence
from scanner.models import Instance, Media, ScanRun
from scanner.worker import alive
from tests.helpers import ARR_KEY, CHECKOUT, arr_tags, manage, scan_inline
from tests.library import Library
from tests.worker import LOG_TIMEOUT, celery_worker, live_database_url, run_finished

pytestmark = pytest.mark.django_db(transaction=True)

SETTLED = "Anime Wrong"  # Japanese with a French track whose variety no source names
WANTED = "Anime Dubbed"  # Japanese with an English track: a dub once English is wanted


def _for_quebec(instance: Instance, sonarr: FakeArr) -> Instance:
    """Scanned once for a Quebec household: neither item is a dub for it yet (the
    English of the other one is a wrong dub for it)."""
    Instance.objects.filter(pk=instance.pk).update(
        url=sonarr.url, target_languages=["fr-CA"], language_tags=True
    )
    instance.refresh_from_db()
    assert scan_inline(instance).status == ScanRun.Status.SUCCEEDED
    assert (arr_tags(sonarr)[SETTLED], arr_tags(sonarr)[WANTED]) == ("none", "wrong-dub")
    return instance


@pytest.fixture
def quebec(sonarr_instance: Instance, sonarr: FakeArr) -> Instance:
    return _for_quebec(sonarr_instance, sonarr)


def _settle(api: APIClient) -> dict[str, object]:
    media = Media.objects.get(title=SETTLED)
    answer = api.patch(
        f"/api/media/{media.pk}/", {"settled_varieties": {"fra": "fr-CA"}}, format="json"
    )
    assert answer.status_code == 200, answer.content
    writing = answer.json()["writing"]
    assert isinstance(writing, dict)
    return writing


def _want_english(api: APIClient) -> dict[str, object]:
    media = Media.objects.get(title=WANTED)
    answer = api.patch(f"/api/media/{media.pk}/", {"wanted_languages": ["eng"]}, format="json")
    assert answer.status_code == 200, answer.content
    writing = answer.json()["writing"]
    assert isinstance(writing, dict)
    return writing


def _edits(sonarr: FakeArr, title: str) -> list[tuple[int, str]]:
    """The editor's changes to the item's tags (tag id, add/remove), in order."""
    return sonarr.state.tag_edits(Media.objects.get(title=title).arr_id)


def _written_once(sonarr: FakeArr, title: str) -> list[tuple[int, str]]:
    """The item's tag was written, and no change of it was sent twice."""
    edits = _edits(sonarr, title)
    assert edits and len(edits) == len(set(edits)), edits
    return edits


def _scan_inline() -> tuple[int, str, str]:
    """``manage.py scan --inline`` in a process of its own, as cron runs it."""
    env = {**os.environ, "DATABASE_URL": live_database_url()}
    result = manage("scan", "--inline", "--instance", "tv", env=env, timeout=LOG_TIMEOUT)
    return result.returncode, result.stdout, result.stderr


@pytest.fixture
def no_worker() -> Iterator[None]:
    assert not alive.any_alive()
    yield


def test_a_decision_with_no_worker_is_written_by_the_next_inline_scan_once(
    api: APIClient, quebec: Instance, sonarr: FakeArr, no_worker: None
) -> None:
    writing = _settle(api)
    assert (writing["worker_running"], writing["note"]) == (False, no_worker_sentence())
    queued = ScanRun.objects.get(pk=writing["run"])
    assert (queued.status, queued.mode) == (ScanRun.Status.QUEUED, ScanRun.Mode.REDECIDE)

    code, out, err = _scan_inline()
    assert code == 0, out + err
    assert "already active" not in err
    assert (
        f"tv: scan #{queued.pk} (redecide, asked by api) waited for a worker: run here first" in out
    )
    queued.refresh_from_db()
    assert queued.status == ScanRun.Status.SUCCEEDED and queued.files_probed == 0
    own = ScanRun.objects.filter(trigger=ScanRun.Trigger.CLI).latest("pk")
    assert own.pk > queued.pk and own.status == ScanRun.Status.SUCCEEDED  # then its own scan
    assert arr_tags(sonarr)[SETTLED] == "dub"
    edits = _written_once(sonarr, SETTLED)

    code, out, err = _scan_inline()  # the next cron run: nothing waits, nothing rewritten
    assert code == 0, out + err
    assert "waited for a worker" not in out
    assert _edits(sonarr, SETTLED) == edits


@pytest.mark.worker
def test_a_worker_that_comes_back_later_steps_aside(
    api: APIClient, quebec: Instance, sonarr: FakeArr, no_worker: None
) -> None:
    """The decision's run waits in the broker for a worker; ``scan --inline`` takes it and
    writes the tag; then a worker starts, is handed the run's plan, finds it taken and
    writes nothing."""
    run_id = _settle(api)["run"]
    code, out, err = _scan_inline()
    assert code == 0, out + err
    edits = _written_once(sonarr, SETTLED)
    with celery_worker() as worker:
        worker.wait_for(rf"scan #{run_id} is not planned here: it is succeeded")
        worker.wait_for(r"Task scanner\.tasks\.plan_scan\[.*\] succeeded")
    assert _edits(sonarr, SETTLED) == edits
    assert ScanRun.objects.get(pk=run_id).status == ScanRun.Status.SUCCEEDED


class _Gate:
    """The fake Sonarr's answers held back while armed (its ``sleep``: every answer
    pauses): a plan caught in the middle, its run claimed and unplanned."""

    def __init__(self) -> None:
        self.armed, self.held, self.opened = threading.Event(), threading.Event(), threading.Event()

    def __call__(self, seconds: float) -> None:
        if self.armed.is_set():
            self.held.set()
            self.opened.wait(LOG_TIMEOUT)

    def open(self) -> None:
        self.armed.clear()
        self.opened.set()


@pytest.mark.worker
def test_a_worker_handed_the_run_scan_inline_is_planning_steps_aside(
    api: APIClient, sonarr_instance: Instance, tv_library: Library, no_worker: None
) -> None:
    """``scan --inline`` takes the decision's queued run and is listing the series when
    a worker starts and is handed the same run's plan: the claim is one statement, the
    worker's comes second and steps aside at once (without the plan's token it planned
    the run a second time beside the first); the tag is written once."""
    gate = _Gate()
    options = FakeArrOptions(app="sonarr", api_key=ARR_KEY, latency_s=0.001)
    with FakeArr(options, items=tv_library.arr_items, sleep=gate) as sonarr:
        tv_library.load_episode_files(sonarr)
        _for_quebec(sonarr_instance, sonarr)
        run_id = _settle(api)["run"]
        gate.armed.set()
        env = {**os.environ, "DATABASE_URL": live_database_url()}
        cli = subprocess.Popen(
            [sys.executable, "manage.py", "scan", "--inline", "--instance", "tv"],
            cwd=CHECKOUT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        try:
            assert gate.held.wait(LOG_TIMEOUT), "scan --inline never asked Sonarr"
            run = ScanRun.objects.get(pk=run_id)
            assert (run.status, run.planned_at) == (ScanRun.Status.RUNNING, None)
            with celery_worker() as worker:
                worker.wait_for(rf"scan #{run_id} is not planned here: it is running")
                gate.open()
                out, err = cli.communicate(timeout=LOG_TIMEOUT)
        finally:
            gate.open()
            cli.kill()
        assert cli.returncode == 0, out + err
        assert ScanRun.objects.get(pk=run_id).status == ScanRun.Status.SUCCEEDED
        assert arr_tags(sonarr)[SETTLED] == "dub"
        _written_once(sonarr, SETTLED)


@pytest.mark.worker
def test_with_a_worker_running_the_decision_says_nothing_more_and_the_worker_writes_it(
    api: APIClient, quebec: Instance, sonarr: FakeArr
) -> None:
    with celery_worker() as worker:
        worker.wait_for(" ready.")
        assert _until(alive.any_alive)  # its watchdog's first turn marked it
        writing = _settle(api)
        assert (writing["worker_running"], writing["note"]) == (True, None)
        worker.wait_for(run_finished(int(str(writing["run"]))))
    assert arr_tags(sonarr)[SETTLED] == "dub"
    _written_once(sonarr, SETTLED)


def test_a_run_queued_for_one_item_is_not_reused_for_another(
    api: APIClient, quebec: Instance, sonarr: FakeArr, no_worker: None
) -> None:
    """The first decision's run is scoped to its item: the second item's decision waits
    for it (remembered), and the next ``scan --inline`` writes both."""
    first = _settle(api)
    second = _want_english(api)
    assert second["reused"] is False and second["after_run"] == first["run"]
    assert second["note"] == no_worker_sentence()

    code, out, err = _scan_inline()
    assert code == 0, out + err
    assert arr_tags(sonarr)[SETTLED] == arr_tags(sonarr)[WANTED] == "dub"
    _written_once(sonarr, SETTLED)
    _written_once(sonarr, WANTED)


def test_a_hand_started_dry_run_takes_no_real_decision(
    api: APIClient, quebec: Instance, sonarr: FakeArr, no_worker: None
) -> None:
    """A dry run of the whole library, started by hand, waits for a worker; a decision
    made meanwhile is not left to it (it would only plan it): it waits for it and is
    written after it."""
    answer = api.post(
        "/api/scans/",
        {"instance": quebec.pk, "mode": "redecide", "dry_run": True},
        format="json",
    )
    assert answer.status_code == 201, answer.content
    dry_run = answer.json()["id"]
    writing = _settle(api)
    assert writing["reused"] is False and writing["after_run"] == dry_run

    code, out, err = _scan_inline()
    assert code == 0, out + err
    assert ScanRun.objects.get(pk=dry_run).status == ScanRun.Status.SUCCEEDED
    assert arr_tags(sonarr)[SETTLED] == "dub"
    _written_once(sonarr, SETTLED)


def _until(condition: Callable[[], bool], timeout: float = LOG_TIMEOUT) -> bool:
    """``condition()`` true before the deadline (polled: it is another process's mark)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True
