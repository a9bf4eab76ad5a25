"""An upgrade in Sonarr, as Sonarr sends it with its defaults: the old file's
``EpisodeFileDelete`` (``"deleteReason": "upgrade"``) first, then the import's
``Download`` listing the old file in ``deletedFiles``. Sonarr's rules:
src/NzbDrone.Core/Notifications/NotificationService.cs (Handle(EpisodeFileDeletedEvent):
an upgrade's delete goes to connections with OnEpisodeFileDeleteForUpgrade, which
src/NzbDrone.Core/Notifications/Webhook/Webhook.cs leaves on),
src/NzbDrone.Core/Notifications/Webhook/WebhookBase.cs (BuildOnEpisodeFileDelete,
BuildOnDownloadPayload), src/NzbDrone.Core/MediaFiles/DeleteMediaFileReason.cs. The bodies
come from fakes.arr, written from those files."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.test import Client

from fakes.arr import (
    FakeArr,
    build_episode_file,
    sonarr_download_webhook,
    sonarr_file_delete_webhook,
)
from scanner.models import Event, Instance, Media, ScanRequest, ScanRun
from scanner.pipeline.runtime.inline import run_inline
from tests.helpers import arr_source_instance, arr_tags, scan_inline

pytestmark = pytest.mark.django_db(transaction=True)


def _post(client: Client, instance: Instance, body: dict[str, Any]):
    url = f"/api/webhooks/{instance.get_webhook_token()}/"
    return client.post(url, body, content_type="application/json")


def _run_sent(sent_work: list) -> None:
    run_inline(tuple(sent_work))
    sent_work.clear()


def _file(series: dict[str, Any], file_id: int, name: str, languages: str) -> dict[str, Any]:
    return build_episode_file(series, file_id, season=1, episode=1, audio_languages=languages) | {
        "relativePath": f"Season 01/{name}"
    }


def _scanned_with_an_english_episode(sonarr: FakeArr) -> tuple[Instance, dict, list, dict]:
    """ "Never Dubbed" with English in S01E01 (a WEB-DL), scanned: the instance, the
    series, its other files and that one."""
    instance = arr_source_instance(sonarr)
    series = next(item for item in sonarr.state.items() if item["title"] == "Never Dubbed")
    others = [f for f in sonarr.state.episode_files(series["id"]) if "E01" not in f["relativePath"]]
    webdl = _file(series, 901, "Never Dubbed - S01E01 WEBDL.mkv", "jpn/eng")
    sonarr.state.set_episode_files(series["id"], [*others, webdl])
    scan_inline(instance)
    return instance, series, others, webdl


def test_an_upgrades_delete_waits_for_its_import_no_tag_drops_no_news(
    sonarr: FakeArr, client: Client, sent_work: list
) -> None:
    instance, series, others, webdl = _scanned_with_an_english_episode(sonarr)
    assert arr_tags(sonarr)["Never Dubbed"] == "semi-dub"
    tag_events = Event.objects.filter(kind=Event.Kind.TAG_CHANGED).count()

    deleted = sonarr_file_delete_webhook(series, webdl, reason="upgrade")
    answer = _post(client, instance, deleted)
    assert answer.status_code == 200
    assert answer.json()["status"] == "ignored"
    assert not ScanRequest.objects.exists() and sent_work == []

    bluray = _file(series, 902, "Never Dubbed - S01E01 Bluray.mkv", "jpn/eng")
    sonarr.state.set_episode_files(series["id"], [*others, bluray])
    imported = sonarr_download_webhook(series, bluray, deleted_files=[webdl])
    assert imported["isUpgrade"] is True
    assert _post(client, instance, imported).status_code == 202
    _run_sent(sent_work)

    run = ScanRun.objects.latest("pk")
    assert run.status == ScanRun.Status.SUCCEEDED, run.error
    assert arr_tags(sonarr)["Never Dubbed"] == "semi-dub"
    assert Event.objects.filter(kind=Event.Kind.TAG_CHANGED).count() == tag_events
    assert not Event.objects.filter(kind__in=[Event.Kind.DUB_ARRIVED, Event.Kind.DUB_LOST]).exists()
    paths = set(instance.media.get(title="Never Dubbed").files.values_list("path", flat=True))
    assert "Season 01/Never Dubbed - S01E01 Bluray.mkv" in paths
    assert "Season 01/Never Dubbed - S01E01 WEBDL.mkv" not in paths


@pytest.mark.parametrize("reason", ["manual", "missingFromDisk"])
def test_any_other_delete_is_scanned_at_once(
    reason: str, sonarr: FakeArr, client: Client, sent_work: list
) -> None:
    instance, series, others, webdl = _scanned_with_an_english_episode(sonarr)
    sonarr.state.set_episode_files(series["id"], others)

    answer = _post(client, instance, sonarr_file_delete_webhook(series, webdl, reason=reason))
    assert answer.status_code == 202
    _run_sent(sent_work)

    assert arr_tags(sonarr)["Never Dubbed"] == "none"  # its one English file is gone


def test_a_scan_between_the_delete_and_the_import_keeps_the_file(
    sonarr: FakeArr, client: Client, sent_work: list
) -> None:
    """Sonarr deletes the old file as it moves the new one in: a scan in between (the
    schedule's, another item's webhook) keeps the deleted file until the import comes,
    and the import then tells the replacement once."""
    instance, series, others, webdl = _scanned_with_an_english_episode(sonarr)

    _post(client, instance, sonarr_file_delete_webhook(series, webdl, reason="upgrade"))
    sonarr.state.set_episode_files(series["id"], others)  # between the delete and the move
    assert scan_inline(instance, mode=ScanRun.Mode.REWRITE).status == ScanRun.Status.SUCCEEDED
    assert arr_tags(sonarr)["Never Dubbed"] == "semi-dub"

    bluray = _file(series, 902, "Never Dubbed - S01E01 Bluray.mkv", "jpn")  # without the dub
    sonarr.state.set_episode_files(series["id"], [*others, bluray])
    _post(client, instance, sonarr_download_webhook(series, bluray, deleted_files=[webdl]))
    _run_sent(sent_work)
    assert arr_tags(sonarr)["Never Dubbed"] == "none"
    (lost,) = Event.objects.filter(kind=Event.Kind.DUB_LOST)
    assert lost.data["files"] == [
        {
            "episode": 1,
            "old": "Season 01/Never Dubbed - S01E01 WEBDL.mkv",
            "new": "Season 01/Never Dubbed - S01E01 Bluray.mkv",
        }
    ]


def test_an_import_that_never_comes_lets_the_file_go_after_the_wait(
    sonarr: FakeArr, client: Client
) -> None:
    instance, series, others, webdl = _scanned_with_an_english_episode(sonarr)
    _post(client, instance, sonarr_file_delete_webhook(series, webdl, reason="upgrade"))
    sonarr.state.set_episode_files(series["id"], others)
    media = instance.media.get(title="Never Dubbed")
    (marked,) = media.upgrading.values()
    long_ago = datetime.fromisoformat(marked) - Media.UPGRADE_WAIT - timedelta(seconds=1)
    Media.objects.filter(pk=media.pk).update(
        upgrading={webdl["relativePath"]: long_ago.isoformat()}
    )

    scan_inline(instance, mode=ScanRun.Mode.REWRITE)

    assert arr_tags(sonarr)["Never Dubbed"] == "none"
    assert not media.files.filter(path=webdl["relativePath"]).exists()
