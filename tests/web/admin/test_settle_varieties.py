"""Settling an item's unknown variety in the admin (issue 60): the media page's buttons
where its unknown variety decided a regional target, the chips and the event that say
who settled it, the media list's action for the filtered items; a viewer sees no
button and is refused."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client

from scanner.models import Event, Media
from tests.factories import MediaFactory, unsure_quebec
from tests.helpers import has_nested_forms

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _page(client: Client, media: Media) -> str:
    response = client.get(f"/admin/scanner/media/{media.pk}/change/")
    assert response.status_code == 200
    return response.content.decode()


def test_settled_on_the_media_page_at_once_with_its_event_and_chips(admin_client: Client) -> None:
    media = unsure_quebec()
    assert (media.planned_tag, media.variety_unknown) == ("none", True)
    html = _page(admin_client, media)
    assert 'id="settle-fra"' in html and not has_nested_forms(html)
    text = _text(html)
    assert "French of unknown variety decided a regional target." in text
    assert "is Canadian French" in text and "is not Canadian French" in text

    response = admin_client.post(
        f"/admin/scanner/media/{media.pk}/varieties/", {"language": "fra", "variety": "fr-CA"}
    )
    assert response.status_code == 302
    media.refresh_from_db()
    # Decided again from the stored tracks (the files do not exist: nothing was read).
    assert (media.planned_tag, media.planned_labels) == ("dub", ["dub-fr-ca"])
    assert (media.variety_unknown, media.coverage) == (False, {"fr-CA": [2, 2]})
    assert (media.settled_varieties, media.varieties_settled_by) == (
        {"fra": "fr-CA"},
        {"fra": "admin"},
    )
    text = _text(_page(admin_client, media))
    assert "Canadian French — settled by admin" in text
    assert "French of unknown variety: Canadian French, settled by admin." in text
    event = Event.objects.get(media=media, kind=Event.Kind.CONFIG)
    assert "French of unknown variety settled as French (fr-CA) by admin" in event.message
    events = _text(admin_client.get("/admin/scanner/event/").content.decode())
    assert "Unsure Quebec: French of unknown variety settled as Canadian French by admin" in events

    admin_client.post(
        f"/admin/scanner/media/{media.pk}/varieties/", {"language": "fra", "variety": "not"}
    )
    media.refresh_from_db()
    assert (media.planned_tag, media.variety_unknown, media.coverage) == (
        "none", False, {"fr-CA": [0, 2]},
    )  # fmt: skip
    page = _text(_page(admin_client, media))
    assert "French — of another variety, settled by admin" in page
    # One whole sentence, chosen by the number of varieties (issue 71: not "none of X").
    assert "French of unknown variety is not Canadian French (settled by admin)." in page


@pytest.mark.parametrize(
    "given",
    [
        {"language": "deu", "variety": "fr-CA"},  # not a regional target's language
        {"language": "fra", "variety": "fr-FR"},  # not one of the instance's targets
        {"language": "fra", "variety": "x" * 5000},
        {},
    ],
)
def test_the_page_refuses_what_is_not_a_target(admin_client: Client, given: dict[str, str]) -> None:
    media = unsure_quebec()
    response = admin_client.post(f"/admin/scanner/media/{media.pk}/varieties/", given)
    assert response.status_code == 302
    media.refresh_from_db()
    assert (media.settled_varieties, media.planned_tag) == ({}, "none")
    assert not Event.objects.filter(media=media).exists()


def test_the_list_action_settles_the_filtered_items(admin_client: Client) -> None:
    media = unsure_quebec()
    MediaFactory(instance=media.instance, title="Sure")
    listed = admin_client.get("/admin/scanner/media/?variety_unknown=yes").content.decode()
    assert "Settle: French of unknown variety is Canadian French" in listed
    action = "settle_variety:fra:fr-CA"
    response = admin_client.post(
        "/admin/scanner/media/?variety_unknown=yes",
        {"action": action, "_selected_action": [m.pk for m in Media.objects.all()]},
    )
    assert response.status_code == 302
    media.refresh_from_db()
    assert (media.planned_tag, media.settled_varieties) == ("dub", {"fra": "fr-CA"})
    assert Media.objects.get(title="Sure").settled_varieties == {}  # nothing decided by it


def test_a_viewer_sees_no_buttons_and_is_refused(client: Client) -> None:
    media = unsure_quebec()
    viewer = User.objects.create_user("viewer", password="pw-viewer-12345", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_media"))
    client.force_login(viewer)
    html = _page(client, media)
    assert 'id="settle-varieties"' not in html
    listed = client.get("/admin/scanner/media/").content.decode()
    assert "settle_variety:" not in listed
    response = client.post(
        f"/admin/scanner/media/{media.pk}/varieties/", {"language": "fra", "variety": "fr-CA"}
    )
    assert response.status_code == 403
    media.refresh_from_db()
    assert (media.settled_varieties, media.planned_tag) == ({}, "none")
