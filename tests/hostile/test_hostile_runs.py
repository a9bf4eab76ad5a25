"""A hostile server seen from the product's doors: a scan ends ``failed`` with the
reason, and a connection test (the API's, the form's "Fetch") answers with the reason
within TAGGARR_WEB_DEADLINE_SECONDS, never a 500. The server side as in
test_hostile_servers.py (Sonarr's series list: Sonarr/Sonarr
src/Sonarr.Api.V3/Series/SeriesController.cs; its status:
src/Sonarr.Api.V3/System/SystemController.cs, ``GetStatus``)."""

from __future__ import annotations

import logging
import uuid

import pytest
from django.contrib.auth.models import Permission, User
from rest_framework.test import APIClient

from fakes.arr import FakeArr
from fakes.hostile import HostileServer
from scanner.actions.arr_choices import arr_choices
from scanner.models import Instance, MediaServer, ScanRun
from tests.factories import InstanceFactory
from tests.helpers import arr_tags, scan_inline
from tests.library import Library

KEY = "hostilekey0123456789abcdef012345"
STATUS = b'{"appName": "Sonarr", "version": "4.0.14.2939"}'
TOO_DEEP = "answer nested deeper than 64 levels"


@pytest.fixture
def staff_api(db: None) -> APIClient:
    user = User.objects.create_user(f"staff-{uuid.uuid4().hex[:8]}", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="scanner"))
    client = APIClient()
    client.force_login(user)
    return client


def _instance(url: str, folder: str) -> Instance:
    return InstanceFactory(
        name="tv", url=url, api_key=KEY, root_folders=[folder],
        audio_source=Instance.AudioSource.FILES,
    )  # fmt: skip


def test_a_scan_of_a_sonarr_whose_series_list_is_deep_json_fails_with_the_reason(
    db: None, tmp_path
) -> None:
    """The probe's case: 400 KB of [[[…]]] took a worker to 10.8 GB, run after run."""
    (tmp_path / "Show").mkdir()  # a root folder that is there, with a series in it
    answers: dict[str, str | bytes] = {"/api/v3/system/status": STATUS}
    with HostileServer(default="deep_arrays", answers=answers) as sonarr:
        run = scan_inline(_instance(sonarr.url, str(tmp_path)))
    assert run.status == ScanRun.Status.FAILED
    assert "GET /api/v3/series" in run.error and TOO_DEEP in run.error


def test_the_api_connection_test_of_a_dripping_sonarr_answers_within_the_deadline(
    staff_api: APIClient, settings, tmp_path, caplog
) -> None:
    """One byte every 0.2 s: before, gunicorn's worker timeout answered (a 500). The
    answer reads as any other silence (no port is mapped); the log says the deadline."""
    settings.WEB_DEADLINE_SECONDS = 1
    with HostileServer(default="drip") as sonarr, caplog.at_level(logging.INFO):
        instance = _instance(sonarr.url, str(tmp_path))
        response = staff_api.post(f"/api/instances/{instance.pk}/test/")
    assert response.status_code == 200
    report = response.json()
    assert report["ok"] is False
    assert report["lines"][0] == f"unreachable: Sonarr at {sonarr.url} did not answer"
    assert "no complete answer within 1 s" in caplog.text
    assert KEY.encode() not in response.content


@pytest.mark.parametrize("case", ["silent", "stall"])
def test_the_api_connection_test_of_a_sonarr_that_stops_answering_ends_at_the_deadline(
    staff_api: APIClient, settings, tmp_path, case: str, caplog
) -> None:
    """The instance's read timeout is 30 s; the web request's deadline (1 s here) ends
    the wait for the headers ("silent") and for the rest of a body ("stall") alike."""
    settings.WEB_DEADLINE_SECONDS = 1
    with HostileServer(default=case) as sonarr, caplog.at_level(logging.INFO):
        instance = _instance(sonarr.url, str(tmp_path))
        response = staff_api.post(f"/api/instances/{instance.pk}/test/")
    assert response.status_code == 200
    assert response.json()["lines"][0].endswith(f"at {sonarr.url} did not answer")
    assert "no complete answer within 1 s" in caplog.text


def test_the_api_connection_test_of_a_deep_status_answers_with_the_reason(
    staff_api: APIClient, tmp_path
) -> None:
    """Before: json.loads' RecursionError, a 500."""
    with HostileServer(default="deep_arrays") as sonarr:
        instance = _instance(sonarr.url, str(tmp_path))
        response = staff_api.post(f"/api/instances/{instance.pk}/test/")
    assert response.status_code == 200
    assert TOO_DEEP in response.json()["lines"][0]


@pytest.mark.parametrize("kind", ["jellyfin", "emby", "plex"])
def test_the_media_server_connection_test_of_a_huge_answer_answers_with_the_reason(
    staff_api: APIClient, settings, kind: str
) -> None:
    settings.MAX_PAGE_MB = 1
    with HostileServer(default="huge_xml" if kind == "plex" else "huge") as hostile:
        server = MediaServer(name="hostile", url=hostile.url, kind=kind)
        server.set_token(KEY)
        server.save()
        response = staff_api.post(f"/api/media-servers/{server.pk}/test/")
    assert response.status_code == 200
    report = response.json()
    assert report["ok"] is False and "answer larger than 1 MB" in report["lines"][0]


def test_the_forms_fetch_of_a_dripping_sonarr_ends_at_the_deadline(settings, caplog) -> None:
    settings.WEB_DEADLINE_SECONDS = 1
    with HostileServer(default="drip") as sonarr, caplog.at_level(logging.INFO):
        answer = arr_choices("sonarr", sonarr.url, KEY)
    assert answer["error"] == f"Sonarr at {sonarr.url} did not answer"
    assert "no complete answer within 1 s" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_a_media_server_answering_deep_json_leaves_the_scan_partial_with_the_arr_written(
    sonarr_instance: Instance, sonarr: FakeArr, tv_library: Library
) -> None:
    """The probe's case: the *arr's writes were all made, yet the run ended ``failed``
    (json.loads' RecursionError is no MediaServerError). Jellyfin's /Library/VirtualFolders
    is a list (jellyfin/jellyfin Jellyfin.Api/Controllers/LibraryStructureController.cs)."""
    with HostileServer(default="deep_arrays") as hostile:
        server = MediaServer(name="hostile", url=hostile.url, kind="jellyfin")
        server.set_token(KEY)
        server.save()
        server.instances.set([sonarr_instance])
        run = scan_inline(sonarr_instance)
    assert run.status == ScanRun.Status.PARTIAL, run.error
    assert run.error.startswith("media server hostile: nothing written: ")
    assert TOO_DEEP in run.error
    assert arr_tags(sonarr) == tv_library.expected


def test_an_episode_file_list_that_is_not_a_list_fails_each_item_after_one_request(
    db: None, settings
) -> None:
    """A permanent answer about an item (a JSON object where Sonarr documents an array,
    src/Sonarr.Api.V3/EpisodeFiles/EpisodeFileController.cs ``GetEpisodeFiles``) fails
    the item at once with the reason; it was retried as an unreadable folder."""
    import json

    from fakes.arr.samples import build_series
    from scanner.models import ScanItem
    from tests.helpers import UNMOUNTED_TV
    from tests.library import REMOTE_TV

    settings.STORAGE_RETRY_SECONDS = 14  # the defaults
    settings.ARR_RETRY_SECONDS = 120
    series = []
    for n in (1, 2, 3):
        item = build_series(n, path=f"{REMOTE_TV}/Show {n}", seasons=1)
        item["statistics"] = {"seasonCount": 1, "episodeFileCount": 1, "sizeOnDisk": 1}
        series.append(item)
    answers: dict[str, str | bytes] = {
        "/api/v3/system/status": STATUS,
        "/api/v3/series": json.dumps(series).encode(),
        "/api/v3/tag": b"[]",
        "/api/v3/episodefile": "object_for_list",
    }
    with HostileServer(default="silent", answers=answers) as sonarr:
        instance = InstanceFactory(
            name="tv", url=sonarr.url, api_key=KEY, root_folders=[UNMOUNTED_TV],
            path_mappings=[{"remote": REMOTE_TV, "local": UNMOUNTED_TV}],
            target_languages=["eng"], audio_source=Instance.AudioSource.ARR,
        )  # fmt: skip
        run = scan_inline(instance)
        asked = [path for path, _ in sonarr.seen if path == "/api/v3/episodefile"]
    items = ScanItem.objects.filter(run=run)
    assert items.count() == 3
    for item in items:
        assert item.status == ScanItem.Status.FAILED and item.retries == 0
        assert "GET /api/v3/episodefile: expected a JSON array" in item.error
    assert len(asked) == 3  # one request per series, none again
