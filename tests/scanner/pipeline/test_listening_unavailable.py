"""Listening that cannot listen says so, once (issue 60, item 4): with listening on and
no model (offline at the first download, a worker without the extra), the run still
succeeds with the labels' tags, and its page, its final figures, the API, the
connection test and the worker's health answer say why and how many tracks were not
heard. The failures are the real ones: huggingface_hub's download meeting a refused
connection, a module the worker does not have."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import Client, override_settings

from fakes.arr import FakeArr
from scanner.actions.check_instance import connection_report
from scanner.engine import unheard
from scanner.listening import model
from scanner.models import Instance, ScanRun
from scanner.pipeline.scanning import listening
from scanner.pipeline.state.runs import count_items_done
from scanner.reports.progress import live_view, summary_lines
from scanner.reports.unheard import last_unheard
from scanner.worker import health as worker_health
from tests.factories import InstanceFactory, ScanRunFactory
from tests.helpers import arr_tags, free_port, scan_inline
from tests.library import Library

pytestmark = pytest.mark.django_db(transaction=True)

OFFLINE = "the speech model could not be loaded: no network"


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """The model named by size (faster-whisper downloads it on first use) with nothing
    cached and the Hub's address refusing connections: huggingface_hub's
    snapshot_download then raises LocalEntryNotFoundError ("... Please check your
    internet connection"), as it does offline (its _snapshot_download.py)."""
    monkeypatch.setattr("huggingface_hub.constants.ENDPOINT", f"http://127.0.0.1:{free_port()}")
    monkeypatch.setattr(model, "_last_failure", [])
    with override_settings(LISTEN_MODEL="base", DATA_DIR=str(tmp_path)):
        yield


@pytest.fixture
def without_extra(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A worker without the listening extra: one of its modules is not installed."""
    monkeypatch.setattr(model, "_REQUIRED", ("faster_whisper", "taggarr_absent_module"))
    listening._missing_extra.cache_clear()
    yield
    listening._missing_extra.cache_clear()


def _listening_to_everything(instance: Instance) -> Instance:
    instance.identify_audio_language = Instance.IdentifyAudioLanguage.ALL
    instance.save()
    return instance


def test_offline_the_run_page_the_api_and_the_connection_test_say_it_once(
    offline: None,
    sonarr_instance: Instance,
    sonarr: FakeArr,
    tv_library: Library,
    admin_client: Client,
) -> None:
    instance = _listening_to_everything(sonarr_instance)
    run = scan_inline(instance)
    assert run.status == ScanRun.Status.SUCCEEDED and run.items_failed == 0
    assert arr_tags(sonarr) == tv_library.expected  # decided from the labels, as today
    count = run.tracks_to_hear
    assert count > 1 and run.tracks_heard == 0
    assert (run.tracks_unheard, run.unheard_reason) == (count, unheard.NO_NETWORK)
    said = f"listening was on, but {OFFLINE}; {count} audio tracks not heard"
    assert ("Not heard", said) in summary_lines(run)

    page = admin_client.get(f"/admin/scanner/scanrun/{run.pk}/change/").content.decode()
    assert page.count(OFFLINE) == 1 and said in page

    answer = admin_client.get(f"/api/scans/{run.pk}/", HTTP_ACCEPT="application/json")
    body = answer.json()
    assert body["not_heard"] == {"reason": "no_network", "reason_text": OFFLINE, "tracks": count}
    assert ["Not heard", said] in body["summary_lines"]
    assert json.dumps(body).count(said) == 1
    assert body["progress"]["tracks_unheard"] == count
    assert body["progress"]["unheard_reason"] == "no_network"

    lines = connection_report(instance).lines
    assert lines[-1] == f"at the last scan (#{run.pk}), {said}"
    form = admin_client.get(f"/admin/scanner/instance/{instance.pk}/change/").content.decode()
    assert f"At the last scan (#{run.pk}), {said}. Scans go on with the labels." in form

    # This worker's heartbeat answer says it too (not a problem: a restart would not help).
    # The test process's own memory is no concern of this test: the bound set past it.
    with override_settings(WORKER_MAX_MEMORY_MB=1 << 20):
        found = worker_health.health()
    assert found.cannot_listen == unheard.NO_NETWORK and found.ok


def test_while_the_run_goes_on_the_live_panel_says_it_then_the_final_figures(
    admin_client: Client,
) -> None:
    run = ScanRunFactory(
        status=ScanRun.Status.RUNNING, tracks_to_hear=3, tracks_unheard=3, unheard_reason="no_extra"
    )
    said = (
        "listening was on, but the listening extra is not installed on the worker; "
        "3 audio tracks not heard"
    )
    assert live_view(run)["listening"] == said and summary_lines(run) == []
    page = admin_client.get(f"/admin/scanner/scanrun/{run.pk}/change/").content.decode()
    assert page.count(said) == 1
    run.status = ScanRun.Status.SUCCEEDED
    run.summary = {"listed": 1}
    assert live_view(run)["listening"] == ""
    assert ("Not heard", said) in summary_lines(run)


def test_a_worker_without_the_extra_counts_its_tracks_and_says_so_in_its_heartbeat(
    without_extra: None, sonarr_instance: Instance, sonarr: FakeArr, tv_library: Library
) -> None:
    assert worker_health.health().cannot_listen == unheard.NO_EXTRA
    run = scan_inline(_listening_to_everything(sonarr_instance))
    assert run.status == ScanRun.Status.SUCCEEDED
    assert run.tracks_unheard == run.tracks_to_hear > 1
    assert run.unheard_reason == unheard.NO_EXTRA
    assert arr_tags(sonarr) == tv_library.expected


@override_settings(LISTEN_MODEL="/nowhere/whisper")
def test_a_model_folder_without_a_model_is_its_own_reason() -> None:
    why = listening.unavailable()
    assert why is not None and why.code == unheard.NO_MODEL
    assert worker_health.health().cannot_listen == unheard.NO_MODEL


def test_the_run_keeps_the_first_reason_and_adds_the_counts() -> None:
    run = ScanRunFactory(status=ScanRun.Status.RUNNING, items_total=3)
    done = {"items": 1, "files_probed": 1, "file_errors": 0}
    count_items_done(
        run.pk, **done, tracks_to_hear=2, tracks_unheard=2, unheard_reason="no_network"
    )
    count_items_done(run.pk, **done, tracks_to_hear=1, tracks_unheard=1, unheard_reason="no_extra")
    count_items_done(run.pk, **done, tracks_to_hear=1, tracks_heard=1)
    run.refresh_from_db()
    assert (run.tracks_to_hear, run.tracks_unheard, run.unheard_reason) == (4, 3, "no_network")


def test_a_later_run_that_heard_ends_the_warning() -> None:
    instance = InstanceFactory(identify_audio_language=Instance.IdentifyAudioLanguage.UNLABELLED)
    ScanRunFactory(
        instance=instance,
        status=ScanRun.Status.SUCCEEDED,
        tracks_to_hear=2,
        tracks_unheard=2,
        unheard_reason="no_network",
    )
    later = ScanRunFactory(instance=instance, status=ScanRun.Status.SUCCEEDED)
    assert last_unheard(instance) is not None
    later.tracks_to_hear = later.tracks_heard = 2
    later.save()
    assert last_unheard(instance) is None
