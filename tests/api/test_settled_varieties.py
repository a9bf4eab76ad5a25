"""``PATCH /api/media/{id}/`` with ``settled_varieties`` (issue 60): the verdict is
decided again at once from the stored tracks; only the instance's regional targets are
taken, anything else is a 400 that changes nothing; a viewer is refused."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Permission, User
from rest_framework.test import APIClient

from scanner.models import Event
from tests.factories import unsure_quebec

pytestmark = pytest.mark.django_db


def test_settled_through_the_api_at_once(api: APIClient, staff_user: User) -> None:
    media = unsure_quebec(target_languages=["fr-CA", "fr-FR"])
    assert api.get("/api/media/?variety_unknown=true").json()["count"] == 1
    response = api.patch(
        f"/api/media/{media.pk}/", {"settled_varieties": {"French": "FR-ca"}}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["settled_varieties"], body["planned_tag"], body["variety_unknown"]) == (
        {"fra": "fr-CA"}, "semi-dub", False,
    )  # fmt: skip
    assert body["language_verdicts"] == {"fr-CA": "dub", "fr-FR": "none"}
    assert body["varieties_settled_by"] == {"fra": staff_user.get_username()}
    assert body["files"][0]["varieties"] == [
        {"kind": "audio", "position": 2, "language": "fra", "variety": "fr-CA",
         "source": "settled", "note": ""},
    ]  # fmt: skip
    assert api.get("/api/media/?variety_unknown=true").json()["count"] == 0
    event = Event.objects.get(media=media)
    assert event.data["settled_variety"] == {"language": "fra", "as": "fr-CA"}
    assert event.data["via"] == "api"

    # null forgets it: the item is listed again.
    cleared = api.patch(
        f"/api/media/{media.pk}/", {"settled_varieties": {"fr": None}}, format="json"
    )
    assert cleared.status_code == 200
    assert (cleared.json()["settled_varieties"], cleared.json()["variety_unknown"]) == ({}, True)


@pytest.mark.parametrize(
    "value",
    [
        {"fra": "fr-FR"},  # not a target of the instance
        {"deu": "de-CH"},  # nor its language
        {"fra": "fra"},  # a plain language is no variety
        {"fra": "es-419"},  # another language's variety
        {"und": "not"},
        {"fra": 5},
        {"fra": True},
        {"fra": ["fr-CA"]},
        {"fra": {"as": "fr-CA"}},
        {"fra": "fr-CA" * 100},
        {"x" * 10_000: "fr-CA"},
        {f"l{n}": "not" for n in range(1000)},
        ["fra", "fr-CA"],
        "fra=fr-CA",
        None,
    ],
)
def test_hostile_values_are_a_400_that_changes_nothing(api: APIClient, value: Any) -> None:
    media = unsure_quebec()
    response = api.patch(f"/api/media/{media.pk}/", {"settled_varieties": value}, format="json")
    assert response.status_code == 400, response.content
    assert "settled_varieties" in response.json()
    media.refresh_from_db()
    assert (media.settled_varieties, media.planned_tag, media.variety_unknown) == ({}, "none", True)
    assert not Event.objects.filter(media=media).exists()


def test_a_viewer_cannot_settle() -> None:
    media = unsure_quebec()
    viewer = User.objects.create_user("viewer", password="pw-viewer-12345", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_media"))
    client = APIClient()
    client.force_login(viewer)
    assert client.get(f"/api/media/{media.pk}/").status_code == 200
    response = client.patch(
        f"/api/media/{media.pk}/", {"settled_varieties": {"fra": "fr-CA"}}, format="json"
    )
    assert response.status_code == 403
    media.refresh_from_db()
    assert (media.settled_varieties, media.planned_tag) == ({}, "none")
