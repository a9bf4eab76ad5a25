"""Sonarr/Radarr webhooks: token in the URL or Basic auth, Test, scan events, bad input."""

from __future__ import annotations

import base64
import hashlib
import json
import logging
from collections.abc import Callable

import pytest
from django.test import Client

from scanner.models import Event, Instance, ScanRequest, ScanRun
from scanner.pipeline.work import Plan
from tests.factories import InstanceFactory, ScanRunFactory

pytestmark = pytest.mark.django_db

SERIES_DOWNLOAD = {
    "eventType": "Download",
    "series": {"id": 12, "title": "Show", "path": "/tv/Show"},
    "episodeFile": {"path": "/tv/Show/Season 01/Show - S01E01.mkv"},
    "isUpgrade": False,
}


@pytest.fixture
def queued(transactional_db, sent_work) -> Callable[[], list[int]]:
    """``queued()``: the run ids whose plan step was sent to the broker so far (each
    request commits, so its sends happen, into ``sent_work``)."""

    def plans() -> list[int]:
        return [work.run_id for work in sent_work if isinstance(work, Plan)]

    return plans


@pytest.fixture
def sonarr() -> Instance:
    return InstanceFactory(kind=Instance.Kind.SONARR)


def _post(client: Client, url: str, body: object, **headers: str):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(url, data, content_type="application/json", headers=headers)


@pytest.mark.parametrize("slash", ["/", ""], ids=["with-slash", "without-slash"])
def test_the_url_works_with_and_without_the_trailing_slash(
    client: Client, sonarr: Instance, queued, slash: str
) -> None:
    """Sonarr does not follow a redirect and takes its 301 for success."""
    url = f"/api/webhooks/{sonarr.get_webhook_token()}{slash}"
    response = _post(client, url, SERIES_DOWNLOAD)
    assert response.status_code == 202
    assert queued() == [response.json()["scan"]]
    basic = base64.b64encode(f"sonarr:{sonarr.get_webhook_token()}".encode()).decode()
    test_event = _post(
        client, f"/api/webhooks{slash}", {"eventType": "Test"}, Authorization=f"Basic {basic}"
    )
    assert test_event.status_code == 200


def test_download_queues_a_scan_of_that_series(client: Client, sonarr: Instance, queued) -> None:
    response = _post(client, f"/api/webhooks/{sonarr.get_webhook_token()}/", SERIES_DOWNLOAD)
    assert response.status_code == 202
    run = ScanRun.objects.get(pk=response.json()["scan"])
    assert (run.instance_id, run.trigger, run.scope) == (sonarr.pk, "webhook", [12])
    assert queued() == [run.pk]


def test_basic_auth_password_is_the_token(client: Client, sonarr: Instance, queued) -> None:
    credentials = base64.b64encode(f"sonarr:{sonarr.get_webhook_token()}".encode()).decode()
    response = _post(
        client, "/api/webhooks/", SERIES_DOWNLOAD, Authorization=f"Basic {credentials}"
    )
    assert response.status_code == 202


def test_test_event_answers_200_and_scans_nothing(client: Client, sonarr: Instance, queued) -> None:
    body = {"eventType": "Test", "series": {"id": 1, "title": "Test Title", "path": "C:\\testpath"}}
    response = _post(client, f"/api/webhooks/{sonarr.get_webhook_token()}/", body)
    assert response.status_code == 200
    assert ScanRun.objects.count() == 0
    assert queued() == []
    assert Event.objects.filter(kind=Event.Kind.WEBHOOK, instance=sonarr).exists()


def test_unknown_event_answers_200_and_is_logged(client: Client, sonarr: Instance, caplog) -> None:
    with caplog.at_level(logging.INFO, logger="api.webhooks"):
        response = _post(
            client, f"/api/webhooks/{sonarr.get_webhook_token()}/", {"eventType": "Grab"}
        )
    assert response.status_code == 200
    assert response.json()["status"] == "ignored"
    assert "Grab ignored" in caplog.text
    assert ScanRun.objects.count() == 0


@pytest.mark.parametrize("token", ["wrong-token", "x" * 300])
def test_bad_token_is_401_and_logged_without_the_body(
    client: Client, sonarr: Instance, caplog, token
) -> None:
    body = {**SERIES_DOWNLOAD, "secret": "body-secret-value"}
    with caplog.at_level(logging.INFO):
        response = _post(client, f"/api/webhooks/{token}/", body)
    assert response.status_code == 401
    assert "unknown token" in caplog.text
    assert "body-secret-value" not in caplog.text
    assert ScanRun.objects.count() == 0


def test_a_stored_digest_finds_its_instance_and_only_it(client: Client, sonarr: Instance) -> None:
    # A row as every release has written it: SHA-256 hex of "taggarr:" and the token.
    token = "known0123456789abcdefghijklmnopqrstuvwxyzAB"
    stored = hashlib.sha256(f"taggarr:{token}".encode()).hexdigest()
    Instance.objects.filter(pk=sonarr.pk).update(webhook_token_hash=stored)
    assert _post(client, f"/api/webhooks/{token}/", {"eventType": "Test"}).status_code == 200
    wrong = f"/api/webhooks/{token[:-1]}C/"
    assert _post(client, wrong, {"eventType": "Test"}).status_code == 401


def _sonarr_basic(user: str, password: str) -> str:
    """The header as Sonarr and Radarr send it: ``user:password`` encoded in ISO-8859-1,
    a character outside it as "?" (.NET's replacement fallback), then base64
    (Sonarr/Sonarr src/NzbDrone.Common/Http/Dispatchers/ManagedHttpDispatcher.cs, for
    the BasicNetworkCredential that src/NzbDrone.Core/Notifications/Webhook/
    WebhookProxy.cs makes from the webhook's Username and Password)."""
    encoded = f"{user}:{password}".encode("iso-8859-1", errors="replace")
    return "Basic " + base64.b64encode(encoded).decode("ascii")


@pytest.mark.parametrize("user", ["Jürgen", "Åsa Ørsted", "sonarr", "", "Zoë€"])
def test_basic_auth_as_sonarr_encodes_it_with_any_user_name(
    client: Client, sonarr: Instance, user: str
) -> None:
    header = _sonarr_basic(user, sonarr.get_webhook_token())
    assert (
        _post(client, "/api/webhooks/", {"eventType": "Test"}, Authorization=header).status_code
        == 200
    )


def test_basic_auth_in_utf_8_works_too(client: Client, sonarr: Instance) -> None:
    """RFC 7617 lets a server ask for UTF-8 (``charset="UTF-8"``), and curl or a browser
    sends the bytes it was given: bytes that are valid UTF-8 are read as UTF-8."""
    credentials = f"Jürgen:{sonarr.get_webhook_token()}".encode()
    header = "Basic " + base64.b64encode(credentials).decode("ascii")
    assert (
        _post(client, "/api/webhooks/", {"eventType": "Test"}, Authorization=header).status_code
        == 200
    )


CHALLENGE = 'Basic realm="Taggarr webhooks", charset="UTF-8"'


@pytest.mark.parametrize(
    ("url", "header"),
    [
        ("/api/webhooks/", None),
        ("/api/webhooks/", _sonarr_basic("Jürgen", "wrong-tökén")),
        ("/api/webhooks/", "Basic !!!not-base64"),
        ("/api/webhooks/wrong-token/", None),
    ],
)
def test_a_refusal_is_401_with_a_basic_challenge(
    client: Client, sonarr: Instance, url: str, header: str | None
) -> None:
    """RFC 7235, 3.1: a 401 carries WWW-Authenticate; Basic with the realm, RFC 7617."""
    headers = {"Authorization": header} if header else {}
    response = _post(client, url, {"eventType": "Test"}, **headers)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == CHALLENGE


def test_bad_basic_auth_is_401(client: Client, sonarr: Instance) -> None:
    for header in (
        "Basic !!!not-base64",
        "Basic " + base64.b64encode(b"user:nope").decode(),
        "Bearer x",
    ):
        assert (
            _post(client, "/api/webhooks/", SERIES_DOWNLOAD, Authorization=header).status_code
            == 401
        )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("{not json", "JSON object"),
        ('["a", "list"]', "eventType is missing"),
        ({"series": {"id": 1}}, "eventType is missing"),
        ({"eventType": "Download"}, "needs series.id"),
        ({"eventType": "Download", "series": {"id": "12"}}, "needs series.id"),
        ({"eventType": "Download", "series": {"id": True}}, "needs series.id"),
        ({"eventType": "Download", "series": {"id": -4}}, "needs series.id"),
        (b"\xff\xfe\x00", "JSON object"),
    ],
)
def test_malformed_body_is_400(client: Client, sonarr: Instance, body, message) -> None:
    response = _post(client, f"/api/webhooks/{sonarr.get_webhook_token()}/", body)
    assert response.status_code == 400
    assert message in response.json()["error"]
    assert ScanRun.objects.count() == 0


def test_radarr_events_use_the_movie_id(client: Client, queued) -> None:
    radarr = InstanceFactory(kind=Instance.Kind.RADARR, url="http://radarr:7878")
    body = {"eventType": "MovieAdded", "movie": {"id": 33, "folderPath": "/movies/M (2020)"}}
    response = _post(client, f"/api/webhooks/{radarr.get_webhook_token()}/", body)
    assert response.status_code == 202
    assert ScanRun.objects.get().scope == [33]


def test_while_a_scan_runs_the_request_waits(client: Client, sonarr: Instance, queued) -> None:
    ScanRunFactory(instance=sonarr, status=ScanRun.Status.RUNNING)
    response = _post(client, f"/api/webhooks/{sonarr.get_webhook_token()}/", SERIES_DOWNLOAD)
    assert response.status_code == 202
    assert response.json()["scan"] is None
    assert list(ScanRequest.objects.values_list("arr_id", flat=True)) == [12]


def test_only_post_and_put(client: Client, sonarr: Instance) -> None:
    assert client.get(f"/api/webhooks/{sonarr.get_webhook_token()}/").status_code == 405


def test_disabled_instance_ignores_scan_events(client: Client, queued) -> None:
    instance = InstanceFactory(enabled=False)
    response = _post(client, f"/api/webhooks/{instance.get_webhook_token()}/", SERIES_DOWNLOAD)
    assert response.status_code == 200
    assert response.json()["status"] == "ignored"
    assert ScanRun.objects.count() == 0


def test_a_new_instance_remembers_webhooks_and_scans_nothing(client: Client, queued) -> None:
    sonarr = InstanceFactory(first_scan_at=None)
    response = _post(client, f"/api/webhooks/{sonarr.get_webhook_token()}/", SERIES_DOWNLOAD)
    assert response.status_code == 202
    assert response.json()["status"] == "waiting"
    assert not ScanRun.objects.exists() and queued() == []
    assert list(ScanRequest.objects.values_list("arr_id", flat=True)) == [12]
    assert Event.objects.filter(message__contains="waits for its first scan").exists()
