"""The review list in the API: the filter, the reasons on each item, the decisions."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission, User
from rest_framework.test import APIClient

from scanner.models import Event
from tests.factories import MediaFactory

pytestmark = pytest.mark.django_db

GUESS = [{"code": "unknown_first_track", "reason": "1 of 1 files: ...", "files": [], "count": 1}]


@pytest.fixture
def guessed() -> int:
    MediaFactory(title="Clear")
    return MediaFactory(
        title="Guessed", review_reasons=GUESS, needs_review=True, original_language="jpn"
    ).pk


def test_the_list_and_the_decisions(api: APIClient, guessed: int) -> None:
    listed = api.get("/api/media/?needs_review=true").json()["results"]
    assert [(row["title"], row["review_reasons"]) for row in listed] == [("Guessed", GUESS)]
    url = f"/api/media/{guessed}/review/"
    confirmed = api.post(url, {"decision": "confirm"}, format="json")
    assert confirmed.status_code == 200
    assert confirmed.json()["needs_review"] is False
    assert confirmed.json()["review_confirmed"] == ["unknown_first_track"]
    assert api.get("/api/media/?needs_review=true").json()["results"] == []
    unknown = api.post(url, {"decision": "unknown_language", "language": "German"}, format="json")
    assert unknown.json()["unknown_language"] == "deu"
    original = api.post(url, {"decision": "original", "language": "ja"}, format="json")
    assert original.json()["original_override"] == "jpn"
    assert Event.objects.filter(kind="review").count() == 2  # confirm, unknown tracks


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "decision"),
        ({"decision": "guess"}, "decision"),
        ({"decision": "original"}, "language"),
        ({"decision": "unknown_language", "language": "Klingonish"}, "language"),
        ({"decision": "original", "language": "x" * 51}, "language"),
    ],
)
def test_bad_decisions_are_400(api: APIClient, guessed: int, body: dict, field: str) -> None:
    response = api.post(f"/api/media/{guessed}/review/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_unknown_items_and_permissions(api: APIClient, staff_user: User, guessed: int) -> None:
    assert api.post("/api/media/999999/review/", {"decision": "confirm"}).status_code == 404
    huge = api.post(f"/api/media/{2**70}/review/", {"decision": "confirm"})
    assert huge.status_code == 404
    staff_user.user_permissions.remove(Permission.objects.get(codename="change_media"))
    refused = api.post(f"/api/media/{guessed}/review/", {"decision": "confirm"}, format="json")
    assert refused.status_code == 403
