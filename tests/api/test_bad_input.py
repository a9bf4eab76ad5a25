"""Bad input gets a 400 with a clear message, never a 500: the cases schemathesis found
(seed 4242) and their neighbours, on the project's database (PostgreSQL in CI)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from scanner.models import Event, Instance, ScanRequest, ScanRun
from tests.factories import EventFactory, InstanceFactory, ScanRunFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("offset", ["%2B22:00", "-23:59", "%2B16:00", "-16:00"])
def test_date_filters_take_any_utc_offset_python_takes(api: APIClient, offset: str) -> None:
    """PostgreSQL refuses offsets of 16 hours or more; Python and ISO 8601 allow them."""
    run = ScanRunFactory()
    ScanRun.objects.filter(pk=run.pk).update(created_at=datetime(2020, 1, 1, 12, tzinfo=UTC))
    EventFactory()
    before = api.get(f"/api/scans/?created_before=2020-01-03T00:00:00{offset}")
    assert before.status_code == 200, before.content
    assert [row["id"] for row in before.json()["results"]] == [run.pk]
    since = api.get(f"/api/events/?since=2020-01-01T00:00:00{offset}")
    assert since.status_code == 200, since.content
    assert len(since.json()["results"]) == 1


def test_the_offset_is_honoured_when_converting(api: APIClient) -> None:
    run = ScanRunFactory()
    ScanRun.objects.filter(pk=run.pk).update(created_at=datetime(2020, 1, 1, 12, tzinfo=UTC))
    # 2020-01-02T08:00+22:00 is 2020-01-01T10:00 UTC: before the run.
    response = api.get("/api/scans/?created_before=2020-01-02T08:00:00%2B22:00")
    assert response.json()["results"] == []


@pytest.mark.parametrize(
    "value", ["0001-01-01T00:00:00%2B22:00", "9999-12-31T23:59:59-22:00", "not-a-date"]
)
def test_dates_out_of_range_are_400(api: APIClient, value: str) -> None:
    response = api.get(f"/api/scans/?created_before={value}")
    assert response.status_code == 400
    assert "created_before" in response.json()


@pytest.mark.parametrize("key", ["ключ-0123456789abcdef", "abc def", "tab\tkey", "é" * 10])
def test_an_api_key_no_http_header_can_carry_is_refused_when_saved(
    api: APIClient, admin_client: Client, key: str
) -> None:
    body = {"name": "tv", "kind": "sonarr", "url": "http://sonarr:8989", "api_key": key}
    response = api.post("/api/instances/", body, format="json")
    assert response.status_code == 400
    assert "letters, digits and punctuation" in response.json()["api_key"][0]
    form = admin_client.post(
        "/admin/scanner/instance/add/",
        {**body, "target_languages": "en", "unknown_first_track": "original",
         "library_content": "series", "connect_timeout": 5, "read_timeout": 30,
         "scan_interval_minutes": 60},
    )  # fmt: skip
    assert form.status_code == 200  # the form again, with the error
    assert "letters, digits and punctuation" in form.content.decode()
    assert not Instance.objects.exists()


@pytest.mark.parametrize("key", ["abcde", "0123456789abcdef012"])
def test_an_api_key_shorter_than_20_characters_is_refused_when_saved(
    api: APIClient, admin_client: Client, key: str
) -> None:
    """Sonarr and Radarr warn about a key under 20 characters; theirs have 32."""
    body = {"name": "tv", "kind": "sonarr", "url": "http://sonarr:8989", "api_key": key}
    response = api.post("/api/instances/", body, format="json")
    assert response.status_code == 400
    assert "at least 20 characters" in response.json()["api_key"][0]
    form = admin_client.post(
        "/admin/scanner/instance/add/",
        {**body, "target_languages": "en", "unknown_first_track": "original",
         "library_content": "series", "connect_timeout": 5, "read_timeout": 30,
         "scan_interval_minutes": 60},
    )  # fmt: skip
    assert "at least 20 characters" in form.content.decode()
    assert not Instance.objects.exists()
    body["api_key"] = key + "0" * (20 - len(key))
    assert api.post("/api/instances/", body, format="json").status_code == 201


def test_a_webhook_id_beyond_32_bits_is_400(client: Client) -> None:
    instance = InstanceFactory(kind=Instance.Kind.SONARR)
    url = f"/api/webhooks/{instance.get_webhook_token()}/"
    for item_id in (2**31, 2**63, -1):
        body = {"eventType": "Download", "series": {"id": item_id}}
        response = client.post(url, body, content_type="application/json")
        assert response.status_code == 400
        assert "series.id" in response.json()["error"]


def test_json_nested_beyond_any_parser_is_400(api: APIClient, client: Client) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    response = api.post("/api/scans/", deep, content_type="application/json")
    assert response.status_code == 400
    assert "nested too deeply" in response.json()["detail"]
    instance = InstanceFactory()
    hook = client.post(
        f"/api/webhooks/{instance.get_webhook_token()}/", deep, content_type="application/json"
    )
    assert hook.status_code == 400
    assert not Event.objects.filter(instance=instance).exists()


def test_events_since_now_plus_a_day_is_an_empty_page(api: APIClient) -> None:
    EventFactory()
    tomorrow = (timezone.now() + timedelta(days=1)).isoformat().replace("+", "%2B")
    response = api.get(f"/api/events/?since={tomorrow}")
    assert (response.status_code, response.json()["results"]) == (200, [])


@pytest.mark.parametrize("credentials", ["é", "Zm9v\u00e9:t\u00f6ken"])
def test_a_basic_auth_header_that_is_not_ascii_is_401(client: Client, credentials: str) -> None:
    """base64 raises a plain ValueError (not binascii.Error) for non-ASCII text; the
    header reaches the view before any authentication."""
    InstanceFactory(kind=Instance.Kind.SONARR)
    response = client.post(
        "/api/webhooks/", {"eventType": "Test"}, content_type="application/json",
        headers={"Authorization": f"Basic {credentials}"},
    )  # fmt: skip
    assert response.status_code == 401
    assert response.json() == {"error": "unknown webhook token"}


@pytest.mark.parametrize(
    ("episode_file", "field"),
    [
        ({"relativePath": "Season 01/Show - S01E01\u0000.mkv"}, "episodeFile.relativePath"),
        (
            {"relativePath": "S01E01.mkv", "mediaInfo": {"audioLanguages": ["eng", "e\u0000n"]}},
            "episodeFile.mediaInfo.audioLanguages[1]",
        ),
        ({"relative\u0000Path": "S01E01.mkv"}, "the name of episodeFile.relative\\u0000Path"),
    ],
    ids=["path", "language", "key"],
)
def test_a_webhook_holding_a_nul_character_is_400_naming_the_field(
    client: Client, episode_file: dict, field: str
) -> None:
    """PostgreSQL's jsonb (and text) cannot store U+0000; no file name holds one. The
    answer names the field, so that the sender knows what to fix."""
    instance = InstanceFactory(kind=Instance.Kind.SONARR)
    body = {"eventType": "Download", "series": {"id": 12}, "episodeFile": episode_file}
    response = client.post(
        f"/api/webhooks/{instance.get_webhook_token()}/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["error"] == f"{field} must not hold NUL characters (\\u0000)"
    assert not ScanRequest.objects.exists() and not ScanRun.objects.exists()


LONE = "\ud800"  # a JSON "\ud800" escape, as Python's json decodes it


@pytest.mark.parametrize("upper_half", [LONE, "\udc80"], ids=["high", "low-like-a-byte"])
def test_a_webhook_with_lone_surrogates_is_queued_with_them_replaced(
    client: Client, transactional_db, sent_work, upper_half: str
) -> None:
    """RFC 8259, 8.2: a JSON string may hold an unpaired surrogate escape; Python's json
    decodes it into a str that UTF-8 cannot encode. PostgreSQL's jsonb refuses the
    escape (postgres/postgres src/common/jsonapi.c: "Unicode low surrogate must follow a
    high surrogate"), SQLite's driver the str: a 500 before. Sonarr (.NET) names a file
    with such a string as U+FFFD on disk (dotnet/runtime UTF8Encoding.cs, its default
    replacement fallback), so U+FFFD is what is kept, in a path and a language alike."""
    instance = InstanceFactory(kind=Instance.Kind.SONARR)
    episode = {
        "relativePath": f"Season 01/Show {upper_half} - S01E01.mkv",
        "seasonNumber": 1,
        "mediaInfo": {"audioLanguages": ["jpn", f"e{upper_half}ng"], "subtitles": [upper_half]},
    }
    renamed = [{**episode, "previousRelativePath": f"Season 01/Old {upper_half}.mkv"}]
    url = f"/api/webhooks/{instance.get_webhook_token()}/"
    download = {"eventType": "Download", "series": {"id": 12}, "episodeFile": episode}
    rename = {"eventType": "Rename", "series": {"id": 13}, "renamedEpisodeFiles": renamed}
    for body in (download, rename):
        response = client.post(url, json.dumps(body), content_type="application/json")
        assert response.status_code == 202, response.content
    added = ScanRun.objects.get().webhook_file_changes["12"][0]["add"]
    assert added["relative_path"] == "Season 01/Show \ufffd - S01E01.mkv"
    assert (added["audio"], added["subtitles"]) == (["jpn", "e\ufffdng"], ["\ufffd"])
    waiting = ScanRequest.objects.get(arr_id=13).file_changes  # the run above is active
    assert waiting[0] == {"delete": "Season 01/Old \ufffd.mkv"}
    assert waiting[1]["add"]["relative_path"] == "Season 01/Show \ufffd - S01E01.mkv"
