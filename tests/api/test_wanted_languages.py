"""``PATCH /api/media/{id}/`` with ``wanted_languages`` (issue 62): null (as the
instance), "original" (original only) or a list of language codes (its own targets,
regional ones included); the verdict follows at once from the stored tracks; anything
else is a 400 that changes nothing; a viewer is refused."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Permission, User
from rest_framework.test import APIClient

from scanner.models import Event, Media
from tests.factories import unsure_quebec

pytestmark = pytest.mark.django_db


def _patch(api: APIClient, media: Media, value: Any) -> Any:
    return api.patch(f"/api/media/{media.pk}/", {"wanted_languages": value}, format="json")


def test_original_only_own_list_and_back(api: APIClient, staff_user: User) -> None:
    # English films with French of unknown variety; targets fr-CA and German.
    media = unsure_quebec(target_languages=["fr-CA", "deu"])
    assert api.get(f"/api/media/{media.pk}/").json()["wanted_languages"] is None

    response = _patch(api, media, "original")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["wanted_languages"], body["planned_tag"], body["planned_labels"]) == (
        "original", "none", [],
    )  # fmt: skip
    assert body["wanted_by"] == staff_user.get_username() and body["wanted_at"]
    event = Event.objects.get(media=media)
    assert event.data["wanted_languages"] == "original" and event.data["via"] == "api"

    # Its own list: French (any), stored as a plain target: the French is met.
    own = _patch(api, media, ["fr", "es-mx"])
    assert own.status_code == 200, own.content
    body = own.json()
    assert body["wanted_languages"] == ["fra", "es-MX"]
    assert body["planned_tag"] == "semi-dub"
    assert body["language_verdicts"] == {"es-MX": "none", "fra": "dub"}
    assert body["coverage"] == {"es-MX": [0, 2], "fra": [2, 2]}

    back = _patch(api, media, None)
    assert back.status_code == 200
    assert (back.json()["wanted_languages"], back.json()["wanted_by"]) == (None, "")
    assert back.json()["language_verdicts"] == {"deu": "none", "fr-CA": "none"}
    assert Event.objects.filter(media=media).count() == 3


@pytest.mark.parametrize(
    "value",
    [
        "garbage",
        "Original",
        "",
        5,
        True,
        {"original": True},
        ["xx-not-a-language"],
        ["fr-XX"],
        ["und"],
        [5],
        [None],
        [["fr"]],
        ["fr" * 100],
        [f"l{n}" for n in range(1000)],
    ],
)
def test_bad_values_are_a_400_that_changes_nothing(api: APIClient, value: Any) -> None:
    media = unsure_quebec()
    response = _patch(api, media, value)
    assert response.status_code == 400, response.content
    assert "wanted_languages" in response.json()
    media.refresh_from_db()
    assert (media.wanted, media.wanted_targets, media.planned_tag) == ("", [], "none")
    assert not Event.objects.filter(media=media).exists()


def test_an_empty_list_is_original_only(api: APIClient) -> None:
    media = unsure_quebec()
    assert _patch(api, media, []).json()["wanted_languages"] == "original"


def test_a_viewer_cannot_choose() -> None:
    media = unsure_quebec()
    viewer = User.objects.create_user("viewer", password="pw-viewer-12345", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_media"))
    client = APIClient()
    client.force_login(viewer)
    assert _patch(client, media, "original").status_code == 403
    media.refresh_from_db()
    assert media.wanted == ""
    media.pk += 999  # an item that is not there: the same answer
    assert _patch(client, media, "original").status_code == 403


def test_an_own_regional_target_can_be_settled(api: APIClient) -> None:
    """French of unknown variety decides the item's own fr-CA (the instance has none):
    a person settles it as for one of the instance's regional targets."""
    media = unsure_quebec(target_languages=["deu"])
    body = _patch(api, media, ["fr-CA"]).json()
    assert (body["planned_tag"], body["variety_unknown"]) == ("none", True)
    settled = api.patch(
        f"/api/media/{media.pk}/", {"settled_varieties": {"fra": "fr-CA"}}, format="json"
    )
    assert settled.status_code == 200, settled.content
    assert (settled.json()["planned_tag"], settled.json()["variety_unknown"]) == ("dub", False)
