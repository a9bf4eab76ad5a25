"""A flood of valid webhooks (issue 59): while an instance waits for its first scan, or
for its active run to end, what others send is bounded per instance. The probe's case:
80 ``Download`` webhooks of 8,000 files each made one stored row of 214 MB, each
request took 11 to 13 s and gunicorn's workers grew to 1.9 GB; 2,000 random series ids
made 2,000 rows. Sonarr's body: Sonarr/Sonarr src/NzbDrone.Core/Notifications/Webhook/
WebhookImportPayload.cs (``episodeFiles``), WebhookEpisodeFile.cs; Sonarr sends each
event once and counts any answer from 400 up as a failure (docs/arr-api.md,
"Webhooks"), so a refusal says why and when to come back."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.test import Client

from api import webhook_rate
from scanner.models import Event, Instance, ScanRequest, ScanRun
from scanner.pipeline.state import webhook_requests
from scanner.pipeline.state.webhook_requests import (
    WHOLE_INSTANCE,
    start_requested_scan,
)
from scanner.pipeline.work import Plan
from tests.factories import InstanceFactory, ScanRunFactory

pytestmark = pytest.mark.django_db

NOW = 6_000_030.5  # 30.5 s into a rate window: the next starts in 30 s


@pytest.fixture(autouse=True)
def _clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(webhook_rate, "clock", lambda: NOW)


def _download(series_id: int, files: int, *, name: str = "Show") -> dict[str, object]:
    """A season pack's import: ``files`` episode files with their media info."""
    episode_files = [
        {
            "id": number, "relativePath": f"Season 01/{name} - S01E{number:04d} - Title.mkv",
            "path": f"/tv/{name}/Season 01/{name} - S01E{number:04d} - Title.mkv",
            "quality": "WEBDL-1080p", "size": 1_500_000_000 + number,
            "dateAdded": "2025-01-01T00:00:00Z", "seasonNumber": 1,
            "mediaInfo": {"audioLanguages": ["jpn", "eng"], "subtitles": ["eng"],
                          "audioStreamCount": 2},
        }
        for number in range(1, files + 1)
    ]  # fmt: skip
    return {
        "eventType": "Download",
        "series": {"id": series_id, "title": name, "path": f"/tv/{name}"},
        "episodeFiles": episode_files,
        "isUpgrade": False,
    }


def _post(client: Client, instance: Instance, body: object) -> object:
    return client.post(
        f"/api/webhooks/{instance.get_webhook_token()}/",
        json.dumps(body),
        content_type="application/json",
    )


def _stored_chars(instance: Instance) -> list[int]:
    rows = ScanRequest.objects.filter(instance=instance).values_list("file_changes", flat=True)
    return [len(json.dumps(changes)) for changes in rows if changes is not None]


@pytest.fixture
def small_bound(monkeypatch: pytest.MonkeyPatch) -> int:
    """20,000 characters of changes an item (the real bound: 256 KiB, ~600 files)."""
    monkeypatch.setattr(webhook_requests, "MAX_CHANGES_CHARS", 20_000)
    return 20_000


def test_one_waiting_items_file_changes_stop_at_the_bound_and_it_asks_the_arr(
    client: Client, small_bound: int
) -> None:
    """Each import added its files to the one row: past the bound the row forgets them
    and the item's scan asks the *arr for its files (null), and stays so."""
    sonarr = InstanceFactory(kind=Instance.Kind.SONARR, first_scan_at=None)
    body = _download(12, 25)  # about 6,000 characters of changes
    for _ in range(5):
        assert _post(client, sonarr, body).status_code == 202
        assert max(_stored_chars(sonarr), default=0) <= small_bound
    request = ScanRequest.objects.get(instance=sonarr)
    assert (request.arr_id, request.file_changes) == (12, None)


def test_one_webhook_carrying_more_than_the_bound_asks_the_arr_at_once(
    client: Client, small_bound: int
) -> None:
    sonarr = InstanceFactory(kind=Instance.Kind.SONARR, first_scan_at=None)
    assert _post(client, sonarr, _download(12, 100)).status_code == 202
    assert ScanRequest.objects.get(instance=sonarr).file_changes is None


def test_random_series_ids_collapse_into_one_scan_of_the_whole_instance(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the bound of waiting items, one request stands for the rest: the table stops
    growing, and the run that takes them scans the whole library, the named items
    whatever the *arr's lists say."""
    monkeypatch.setattr(webhook_requests, "MAX_WAITING_ITEMS", 5)
    sonarr = InstanceFactory(kind=Instance.Kind.SONARR, first_scan_at=None)
    for series_id in range(1000, 1012):
        assert _post(client, sonarr, _download(series_id, 1)).status_code == 202
    waiting = set(ScanRequest.objects.filter(instance=sonarr).values_list("arr_id", flat=True))
    assert waiting == {1000, 1001, 1002, 1003, 1004, WHOLE_INSTANCE}
    assert _post(client, sonarr, _download(1002, 1)).status_code == 202  # a named one: kept
    assert ScanRequest.objects.get(instance=sonarr, arr_id=1002).file_changes is not None
    assert ScanRequest.objects.filter(instance=sonarr).count() == 6

    Instance.objects.filter(pk=sonarr.pk).update(first_scan_at="2025-01-01T00:00:00Z")
    (plan,) = start_requested_scan(sonarr.pk)
    run = ScanRun.objects.get(pk=plan.run_id)
    assert (run.trigger, run.scope) == (ScanRun.Trigger.WEBHOOK, [])  # the whole instance
    assert sorted(run.webhook_items) == [1000, 1001, 1002, 1003, 1004]
    assert set(run.webhook_file_changes) == {"1000", "1001", "1002", "1003", "1004"}
    assert run.summary == {}  # the run's figures only: what webhooks said is the plan's
    assert not ScanRequest.objects.filter(instance=sonarr).exists()


def test_past_the_rate_a_token_is_answered_429_with_retry_after(
    client: Client, settings, sent_work, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sonarr does not send again: the window's first refusal has the whole library
    scanned (a run now, none active), so no import is lost; later ones add nothing."""
    settings.WEBHOOK_RATE = 3
    sonarr = InstanceFactory(kind=Instance.Kind.SONARR)
    other = InstanceFactory(kind=Instance.Kind.SONARR)
    ScanRunFactory(instance=sonarr, status=ScanRun.Status.RUNNING)
    answers = [_post(client, sonarr, _download(12, 1)) for _ in range(6)]
    assert [a.status_code for a in answers] == [202, 202, 202, 429, 429, 429]
    assert answers[3]["Retry-After"] == "30"
    assert answers[3].json()["error"] == "more than 3 webhooks a minute"
    assert _post(client, other, {"eventType": "Test"}).status_code == 200  # its own count
    waiting = ScanRequest.objects.filter(instance=sonarr).values_list("arr_id", flat=True)
    assert sorted(waiting) == [WHOLE_INSTANCE, 12]
    refused = Event.objects.filter(instance=sonarr, message__contains="faster than 3 a minute")
    assert refused.count() == 1

    monkeypatch.setattr(webhook_rate, "clock", lambda: NOW + 30)  # the next minute
    assert _post(client, sonarr, {"eventType": "Test"}).status_code == 200


def test_past_the_rate_with_no_active_run_the_whole_library_is_scanned(
    client: Client, settings, queued_plans: Callable[[], list[int]]
) -> None:
    settings.WEBHOOK_RATE = 1
    sonarr = InstanceFactory(kind=Instance.Kind.SONARR)
    assert _post(client, sonarr, {"eventType": "Test"}).status_code == 200
    assert _post(client, sonarr, _download(12, 1)).status_code == 429
    run = ScanRun.objects.get(instance=sonarr)
    assert (run.trigger, run.scope) == (ScanRun.Trigger.WEBHOOK, [])
    assert queued_plans() == [run.pk]


def test_a_body_past_the_upload_bound_is_413_and_remembers_nothing(
    client: Client, settings
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 20_000
    sonarr = InstanceFactory(kind=Instance.Kind.SONARR, first_scan_at=None)
    answer = _post(client, sonarr, _download(12, 100))
    assert answer.status_code == 413
    assert answer.json()["error"] == "the body is larger than 20000 bytes"
    assert not ScanRequest.objects.exists()


@pytest.fixture
def queued_plans(transactional_db, sent_work) -> Callable[[], list[int]]:
    return lambda: [work.run_id for work in sent_work if isinstance(work, Plan)]
