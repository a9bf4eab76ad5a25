"""``/api/changes/`` (issue 93, item 3): every act's changes together, newest first, as
codes and sentences in the reader's language, filtered by act, instance, item and state,
a bounded page at a time; read only; a bad value is a 400, never a 500."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import Permission, User
from django.utils import timezone
from rest_framework.test import APIClient

from fakes.arr import FakeArr, FakeArrOptions
from scanner.models import DefaultTrackChange, ProfileChange
from tests.default_track_rows import Plan, quebec_plan
from tests.helpers import ARR_KEY
from tests.wish_profile_rows import Changes, quebec_changes, quebec_instance, serve_quebec_profiles

pytestmark = pytest.mark.django_db

URL = "/api/changes/"


@pytest.fixture
def sonarr() -> Iterator[FakeArr]:
    with FakeArr(FakeArrOptions(app="sonarr", api_key=ARR_KEY)) as fake:
        serve_quebec_profiles(fake)
        yield fake


@pytest.fixture
def profiles(sonarr: FakeArr) -> Changes:
    return quebec_changes(quebec_instance(sonarr))


@pytest.fixture
def tracks() -> Plan:
    return quebec_plan()


def _keys(body: dict[str, Any]) -> list[tuple[str, int]]:
    return [(line["act"], line["id"]) for line in body["results"]]


def _line(body: dict[str, Any], act: str, pk: int) -> dict[str, Any]:
    return next(line for line in body["results"] if (line["act"], line["id"]) == (act, pk))


def test_both_acts_listed_as_codes_and_sentences(
    api: APIClient, tracks: Plan, profiles: Changes
) -> None:
    body = api.get(URL).json()
    keys = set(_keys(body))
    assert {("default_tracks", row.pk) for row in tracks.rows} <= keys
    assert {("wish_profiles", row.pk) for row in profiles.rows} <= keys
    line = _line(body, "wish_profiles", profiles.planned.pk)
    assert line["act_label"] == "Quality profiles"
    assert line["shifts"] == [
        {
            "aspect": "profile",
            "name": "quality profile",
            "before": "HD-1080p",
            "after": "VFQ-1080p",
        }
    ]
    assert line["applicable"] is True and line["undoable"] is False
    assert line["endpoint"] == "/api/profile-changes/"
    line = _line(body, "default_tracks", tracks.planned.pk)
    assert line["act_label"] == "Default tracks"
    assert line["subject"] == "Les Boys - S01E01.mkv"
    assert line["media"] == tracks.media.pk and line["title"] == "Les Boys"
    assert line["instance"] == tracks.instance.pk
    assert {"aspect": "audio", "name": "Audio", "before": "track 1 (English)",
            "after": "track 3 (Canadian French)"} in line["shifts"]  # fmt: skip
    assert line["state"] == "planned" and line["state_label"] == "planned"
    written = _line(body, "default_tracks", tracks.written.pk)
    assert written["undoable"] is True and written["applicable"] is False


def test_newest_first(api: APIClient, tracks: Plan, profiles: Changes) -> None:
    now = timezone.now()
    ProfileChange.objects.filter(pk=profiles.undone.pk).update(updated_at=now + timedelta(hours=2))
    DefaultTrackChange.objects.filter(pk=tracks.mp4.pk).update(updated_at=now + timedelta(hours=1))
    keys = _keys(api.get(URL).json())
    assert keys[:2] == [("wish_profiles", profiles.undone.pk), ("default_tracks", tracks.mp4.pk)]


def test_the_refusal_in_french(api: APIClient, tracks: Plan, profiles: Changes) -> None:
    body = api.get(URL, HTTP_ACCEPT_LANGUAGE="fr").json()
    refused = _line(body, "wish_profiles", profiles.refused.pk)
    assert refused["refusal"] == "changed"
    assert refused["refusal_text"].startswith("Le profil de qualité")
    mp4 = _line(body, "default_tracks", tracks.mp4.pk)
    assert mp4["refusal"] == "mp4" and mp4["refusal_text"].startswith("Un fichier MP4")
    assert mp4["act_label"] == "Pistes par défaut"


def test_filters(api: APIClient, tracks: Plan, profiles: Changes) -> None:
    only = _keys(api.get(URL, {"act": "default_tracks"}).json())
    assert sorted(only) == sorted(("default_tracks", row.pk) for row in tracks.rows)
    only = _keys(api.get(URL, {"instance": profiles.instance.pk}).json())
    assert sorted(only) == sorted(("wish_profiles", row.pk) for row in profiles.rows)
    assert profiles.written.media is not None
    assert _keys(api.get(URL, {"media": profiles.written.media.pk}).json()) == [
        ("wish_profiles", profiles.written.pk)
    ]
    written = set(_keys(api.get(URL, {"state": "written"}).json()))
    assert written == {
        ("default_tracks", tracks.written.pk),
        ("wish_profiles", profiles.written.pk),
    }
    assert _keys(api.get(URL, {"act": "nope"}).json()) == []
    assert _keys(api.get(URL, {"state": "nonsense"}).json()) == []


@pytest.mark.parametrize(
    "query",
    [
        {"instance": "abc"},
        {"media": "-1"},
        {"media": str(2**64)},
        {"page": "0"},
        {"page": "x"},
        {"page": str(10**6)},
        {"page_size": "0"},
        {"page_size": "100000"},
        {"act": "x" * 500},
    ],
)
def test_bad_values_are_a_400(api: APIClient, tracks: Plan, query: dict[str, str]) -> None:
    answer = api.get(URL, query)
    assert answer.status_code == 400, answer.content
    assert set(answer.json()) <= set(query)


def test_pages_are_bounded(api: APIClient, tracks: Plan) -> None:
    media = tracks.media
    DefaultTrackChange.objects.bulk_create(
        DefaultTrackChange(
            instance=tracks.instance, media=media, path=f"/x{n}.mkv", state="refused"
        )
        for n in range(30)
    )
    first = api.get(URL, {"page_size": 20}).json()
    assert len(first["results"]) == 20 and first["previous"] is None
    assert "page=2" in first["next"]
    second = api.get(first["next"]).json()
    assert second["next"] is None and "page=1" in second["previous"]
    seen = _keys(first) + _keys(second)
    assert len(seen) == len(set(seen)) == 30 + len(tracks.rows)


def test_refused_without_a_login_or_a_permission(tracks: Plan, staff_user: User) -> None:
    anonymous = APIClient()
    assert anonymous.get(URL).status_code in (401, 403)
    viewer = User.objects.create_user("viewer", password="pw", is_staff=True)
    client = APIClient()
    client.force_login(viewer)
    assert client.get(URL).status_code == 403
    viewer.user_permissions.add(Permission.objects.get(codename="view_defaulttrackchange"))
    viewer = User.objects.get(pk=viewer.pk)
    client.force_login(viewer)
    assert {act for act, _pk in _keys(client.get(URL).json())} == {"default_tracks"}


def test_read_only(api: APIClient) -> None:
    assert api.post(URL, {}).status_code == 405
