"""POST /api/search-missing/: a preview from the database, or the search queued for a
worker that asks the fake Sonarr over HTTP; bad input is a 400, never a 500."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission, User
from rest_framework.test import APIClient

from fakes.arr import FakeArr
from scanner import tasks
from scanner.models import Instance, Media, MissingSearch
from tests.helpers import scan_inline

URL = "/api/search-missing/"


def _pk(title: str) -> int:
    return Media.objects.get(title=title).pk


@pytest.mark.django_db(transaction=True)
def test_preview_then_queued_search_reaches_sonarr(
    api: APIClient,
    sonarr_instance: Instance,
    sonarr: FakeArr,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks,
) -> None:
    scan_inline(sonarr_instance)
    half, dubbed = _pk("Anime Half"), _pk("Anime Dubbed")
    preview = api.post(URL, {"media": [half, dubbed], "preview": True}, format="json")
    assert preview.status_code == 200
    body = preview.json()
    assert body["queued"] is False
    assert body["searches"] == [
        {
            "media": half, "title": "Anime Half", "instance": "tv",
            "episodes": [[2, 1], [2, 2]], "count": 2, "missing": ["eng"], "note": "",
            "custom_formats": [],  # a plain target: the *arr searches for it as it is
        }
    ]  # fmt: skip
    assert body["skipped"][0]["reason"] == "no counted file of it lacks a target language"
    assert body["left_today"] == {"tv": 18}
    assert [c["name"] for c in sonarr.state.commands()] == []
    monkeypatch.setattr(tasks.ask_missing_searches, "delay", tasks.ask_missing_searches)
    with django_capture_on_commit_callbacks(execute=True):
        queued = api.post(URL, {"media": [half], "season": 2}, format="json")
    assert queued.status_code == 202
    assert queued.json()["queued"] is True
    (command,) = sonarr.state.commands()
    assert command["name"] == "EpisodeSearch" and len(command["body"]["episodeIds"]) == 2
    row = MissingSearch.objects.get()
    assert (row.trigger, row.season, row.searched) == ("api", 2, 2)
    again = api.post(URL, {"media": [half]}, format="json")
    assert again.status_code == 200  # nothing to ask for: searched within the interval
    assert again.json()["skipped"][0]["reason"].startswith("searched already")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "media"),
        ({"media": []}, "media"),
        ({"media": "1"}, "media"),
        ({"media": [0]}, "media"),
        ({"media": [2**63]}, "media"),
        ({"media": list(range(1, 202))}, "media"),
        ({"media": [1, 2], "season": 1}, "season"),
        ({"media": [1], "season": -1}, "season"),
        ({"media": [1], "preview": "maybe"}, "preview"),
    ],
)
def test_bad_input_is_400(api: APIClient, body: dict, field: str) -> None:
    response = api.post(URL, body, format="json")
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.django_db
def test_unknown_items_are_404_and_only_operators_may_search(
    api: APIClient, staff_user: User, client
) -> None:
    assert api.post(URL, {"media": [999_999]}, format="json").status_code == 404
    assert client.post(URL, {"media": [1]}, content_type="application/json").status_code in (
        401,
        403,
    )
    staff_user.user_permissions.remove(Permission.objects.get(codename="change_instance"))
    assert api.post(URL, {"media": [1]}, format="json").status_code == 403
