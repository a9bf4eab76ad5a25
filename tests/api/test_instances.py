"""/api/instances/: CRUD, field validation that names the field, the write-only key."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from fakes.arr import FakeArr
from scanner.models import Event, Instance
from tests.factories import InstanceFactory
from tests.helpers import ARR_KEY

pytestmark = pytest.mark.django_db

KEY = ARR_KEY


def _payload(**changes: Any) -> dict[str, Any]:
    return {
        "name": "tv",
        "kind": "sonarr",
        "url": "http://127.0.0.1:1",
        "api_key": KEY,
        "root_folders": ["/media/tv"],
        "path_mappings": [{"remote": "D:\\TV", "local": "/media/tv"}],
        "target_languages": ["en", "de"],
        "tag_dub": "Dub",
        **changes,
    }


def test_create_normalises_and_never_returns_the_key(api: APIClient) -> None:
    response = api.post("/api/instances/", _payload(), format="json")
    assert response.status_code == 201, response.json()
    assert KEY.encode() not in response.content
    body = response.json()
    assert "api_key" not in body
    assert body["api_key_hint"] == "****" + KEY[-4:]
    assert body["target_languages"] == ["eng", "deu"]
    assert body["tag_dub"] == "dub"
    assert body["path_mappings"] == [{"remote": "D:\\TV", "local": "/media/tv"}]
    instance = Instance.objects.get(pk=body["id"])
    assert instance.get_api_key() == KEY
    # The webhook URL holds its token: shown in the answer that made it, and never again.
    token = instance.get_webhook_token()
    assert body["webhook_url"] == f"http://testserver/api/webhooks/{token}/"
    for url in ("/api/instances/", f"/api/instances/{instance.pk}/"):
        assert KEY.encode() not in api.get(url).content
        assert token.encode() not in api.get(url).content
    assert api.get(f"/api/instances/{instance.pk}/").json()["webhook_url"] is None


def test_a_new_webhook_url_is_shown_once_and_the_old_one_stops(api: APIClient) -> None:
    instance = InstanceFactory()
    old = instance.get_webhook_token()
    made = api.post(f"/api/instances/{instance.pk}/webhook-url/")
    assert made.status_code == 200, made.content
    instance.refresh_from_db()
    new = instance.get_webhook_token()
    assert new != old
    assert made.json() == {"webhook_url": f"http://testserver/api/webhooks/{new}/"}
    assert api.post(f"/api/webhooks/{old}/", {}, format="json").status_code == 401
    event = Event.objects.filter(instance=instance).latest("pk")
    assert event.data["fields"] == ["webhook_token"]
    assert new not in event.message and new not in str(event.data)


def test_a_library_folder_has_no_webhook_url_to_make(api: APIClient, tmp_path) -> None:
    library = InstanceFactory(kind="library", url="", root_folders=[str(tmp_path)])
    response = api.post(f"/api/instances/{library.pk}/webhook-url/")
    assert response.status_code == 404
    assert response.json()["detail"] == "A library folder has no webhook."


def test_saving_never_contacts_the_arr(api: APIClient, empty_sonarr: FakeArr) -> None:
    created = api.post("/api/instances/", _payload(url=empty_sonarr.url), format="json")
    assert created.status_code == 201
    changed = api.patch(
        f"/api/instances/{created.json()['id']}/",
        {"url": "http://unreachable.invalid", "api_key": KEY},  # a new address: the key again
    )
    assert changed.status_code == 200
    assert empty_sonarr.state.total_requests() == 0


def test_update_keeps_the_key_unless_a_new_one_is_given(api: APIClient) -> None:
    instance = InstanceFactory(api_key=KEY)
    url = f"/api/instances/{instance.pk}/"
    assert api.patch(url, {"api_key": ""}, format="json").status_code == 200
    instance.refresh_from_db()
    assert instance.get_api_key() == KEY
    response = api.patch(url, {"api_key": "another-key-ffff9999"}, format="json")
    assert response.json()["api_key_hint"] == "****9999"
    assert b"another-key-ffff9999" not in response.content


def test_config_events_name_fields_never_values(api: APIClient) -> None:
    instance = InstanceFactory(api_key=KEY)
    api.patch(
        f"/api/instances/{instance.pk}/",
        {"api_key": "brand-new-key-7777777", "quick_mode": True},
        format="json",
    )
    event = Event.objects.get(kind=Event.Kind.CONFIG)
    assert event.data["fields"] == ["api_key", "quick_mode"]
    assert "brand-new-key" not in event.message + str(event.data)
    events = api.get(f"/api/events/?instance={instance.pk}")
    assert b"brand-new-key" not in events.content


def test_interval_change_reschedules_the_next_scan(api: APIClient) -> None:
    instance = InstanceFactory(scan_interval_minutes=360)
    url = f"/api/instances/{instance.pk}/"
    api.patch(url, {"enabled": True}, format="json")
    instance.refresh_from_db()
    assert instance.next_scan_at is None  # unchanged interval: not rescheduled
    before = timezone.now()
    api.patch(url, {"scan_interval_minutes": 60}, format="json")
    instance.refresh_from_db()
    assert before + timedelta(minutes=60) <= instance.next_scan_at
    assert instance.next_scan_at <= timezone.now() + timedelta(minutes=60)
    api.patch(url, {"scan_interval_minutes": 0}, format="json")
    instance.refresh_from_db()
    assert instance.next_scan_at is None


def test_a_new_instance_stays_unscheduled_until_its_first_scan(api: APIClient) -> None:
    instance = InstanceFactory(first_scan_at=None, scan_interval_minutes=360)
    api.patch(f"/api/instances/{instance.pk}/", {"scan_interval_minutes": 60}, format="json")
    instance.refresh_from_db()
    assert instance.next_scan_at is None
    body = api.get(f"/api/instances/{instance.pk}/").json()
    assert body["first_scan_at"] is None and body["waits_for_first_scan"] is True


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"url": "ftp://sonarr"}, "url", "http"),
        ({"url": "http://user:pw@sonarr:8989"}, "url", "user name"),
        ({"url": ""}, "url", "needs a URL"),
        ({"target_languages": ["klingonese"]}, "target_languages", "klingonese"),
        ({"target_languages": []}, "target_languages", ""),
        ({"target_languages": "en"}, "target_languages", "list"),
        ({"allowed_extra_languages": ["und"]}, "allowed_extra_languages", "und"),
        ({"original_language": "xx-nope"}, "original_language", "xx-nope"),
        ({"tag_dub": "Dub Bed"}, "tag_dub", "lowercase"),
        ({"tag_semi_dub": "dub"}, "tag_wrong_dub", "must differ"),
        ({"root_folders": ["relative/tv"]}, "root_folders", "absolute"),
        ({"root_folders": ["/media/../etc"]}, "root_folders", ".."),
        ({"path_mappings": [{"remote": "/tv"}]}, "path_mappings", "local"),
        ({"path_mappings": [{"remote": "/tv", "local": "tv"}]}, "path_mappings", "absolute"),
        ({"api_key": ""}, "api_key", "API key"),
        ({"kind": "plex"}, "kind", "plex"),
        ({"connect_timeout": 0}, "connect_timeout", "0.1"),
        ({"read_timeout": 1e300}, "read_timeout", "3600"),
        ({"kind": "library", "root_folders": []}, "root_folders", "at least one"),
    ],
)
def test_validation_errors_name_the_field(
    api: APIClient, changes: dict[str, Any], field: str, words: str
) -> None:
    response = api.post("/api/instances/", _payload(**changes), format="json")
    assert response.status_code == 400
    errors = response.json()
    assert field in errors, errors
    assert words in str(errors[field])
    assert KEY.encode() not in response.content
    assert not Instance.objects.exists()


def test_duplicate_names_are_refused(api: APIClient) -> None:
    InstanceFactory(name="tv")
    response = api.post("/api/instances/", _payload(), format="json")
    assert response.status_code == 400
    assert "name" in response.json()


def test_library_instance_needs_no_url_or_key(api: APIClient, tmp_path) -> None:
    payload = {"name": "lib", "kind": "library", "root_folders": [str(tmp_path)]}
    response = api.post("/api/instances/", payload, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["webhook_url"] is None
    report = api.post(f"/api/instances/{response.json()['id']}/test/")
    assert report.json() == {
        "ok": True,
        "version": None,
        "has_original_language": None,
        "lines": [f"root folder {tmp_path}: ok"],
    }


def test_delete(api: APIClient) -> None:
    instance = InstanceFactory()
    assert api.delete(f"/api/instances/{instance.pk}/").status_code == 204
    assert not Instance.objects.exists()


def test_connection_test_reaches_the_fake_sonarr(
    api: APIClient, empty_sonarr: FakeArr, tmp_path
) -> None:
    instance = InstanceFactory(url=empty_sonarr.url, api_key=KEY, root_folders=[str(tmp_path)])
    response = api.post(f"/api/instances/{instance.pk}/test/")
    assert response.status_code == 200
    report = response.json()
    assert report["ok"] is True, report
    assert report["version"].startswith("4.")
    assert f"root folder {tmp_path}: ok" in report["lines"]
    assert KEY.encode() not in response.content


def test_connection_test_reports_a_wrong_key(api: APIClient, empty_sonarr: FakeArr) -> None:
    instance = InstanceFactory(url=empty_sonarr.url, api_key="wrong-key-0000000000")
    response = api.post(f"/api/instances/{instance.pk}/test/")
    report = response.json()
    assert response.status_code == 200
    assert report["ok"] is False
    assert "401" in " ".join(report["lines"]) or "API key" in " ".join(report["lines"])
    assert b"wrong-key-0000000000" not in response.content


def test_connection_test_reports_an_unreachable_arr(api: APIClient) -> None:
    instance = InstanceFactory(url="http://127.0.0.1:1", connect_timeout=0.5)
    report = api.post(f"/api/instances/{instance.pk}/test/").json()
    assert report["ok"] is False
    assert report["lines"][0].startswith("unreachable")


def test_filter_and_search(api: APIClient) -> None:
    InstanceFactory(name="tv", kind="sonarr")
    InstanceFactory(name="films", kind="radarr")
    names = lambda url: [row["name"] for row in api.get(url).json()["results"]]  # noqa: E731
    assert names("/api/instances/?kind=radarr") == ["films"]
    assert names("/api/instances/?search=tv") == ["tv"]
    assert names("/api/instances/?ordering=-name") == ["tv", "films"]
