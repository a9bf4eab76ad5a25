"""The media-server admin: the token is write-only (only its hint is shown, never in a
page), the URL is checked, and "Test connection" (button and action) reports."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from fakes.jellyfin import FakeJellyfin
from scanner.models import MediaServer
from tests.factories import InstanceFactory
from tests.helpers import SERVER_TOKEN

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/scanner/mediaserver/add/"


def _form(**changes: Any) -> dict[str, Any]:
    return {
        "name": "jf",
        "kind": "jellyfin",
        "url": "http://jellyfin:8096",
        "token": "",
        "enabled": "on",
        "write_tags": "on",
        "path_mappings": "/media/tv => /mnt/tv",
        "libraries": "",
        **changes,
    }


def test_add_and_the_token_is_never_shown(admin_client: Client) -> None:
    tv = InstanceFactory(name="tv")
    response = admin_client.post(ADD_URL, _form(token=SERVER_TOKEN, instances=[tv.pk]))
    assert response.status_code == 302, response.context["adminform"].form.errors
    server = MediaServer.objects.get()
    assert server.get_token() == SERVER_TOKEN and SERVER_TOKEN not in server.token_encrypted
    assert server.path_mappings == [{"remote": "/media/tv", "local": "/mnt/tv"}]
    assert list(server.instances.all()) == [tv]
    change = admin_client.get(f"/admin/scanner/mediaserver/{server.pk}/change/")
    listing = admin_client.get("/admin/scanner/mediaserver/")
    for page in (change, listing):
        assert page.status_code == 200
        assert SERVER_TOKEN.encode() not in page.content
    assert f"Saved: ****{SERVER_TOKEN[-4:]}" in change.content.decode()
    assert 'id="test-connection"' in change.content.decode()
    # Saved again without a token: the saved one is kept.
    kept = admin_client.post(f"/admin/scanner/mediaserver/{server.pk}/change/", _form())
    assert kept.status_code == 302
    assert MediaServer.objects.get().get_token() == SERVER_TOKEN


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({}, "token"),
        ({"token": 'ab"cd'}, "token"),
        ({"token": "t" * 19}, "token"),
        ({"token": "t" * 20, "url": "jellyfin:8096"}, "url"),
        ({"token": "t" * 20, "url": "http://jf/?x=1"}, "url"),
        ({"token": "t" * 20, "path_mappings": "/media/tv"}, "path_mappings"),
        ({"token": "t" * 20, "path_mappings": "/media/tv => relative"}, "path_mappings"),
        ({"token": "t" * 20, "write_tags": ""}, "write_tags"),  # neither tags nor refresh
        ({"token": "t" * 20, "kind": "plex", "refresh_after_nfo": "on"}, "refresh_after_nfo"),
        ({"token": "t" * 20, "set_person_tracks": "on"}, "set_person_tracks"),  # Plex only
        ({"token": "t" * 20, "kind": "emby", "set_person_tracks": "on"}, "set_person_tracks"),
    ],
)
def test_bad_input_is_a_form_error(
    admin_client: Client, changes: dict[str, str], field: str
) -> None:
    response = admin_client.post(ADD_URL, _form(**changes))
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert not MediaServer.objects.exists()


def test_the_test_button_and_action_report(admin_client: Client) -> None:
    with FakeJellyfin(token=SERVER_TOKEN) as fake:
        server = MediaServer(name="jf", url=fake.url)
        server.set_token(SERVER_TOKEN)
        server.save()
        button = admin_client.post(
            f"/admin/scanner/mediaserver/{server.pk}/test-connection/", follow=True
        )
        text = button.content.decode()
        assert "Connection OK. jf: <ul><li>Jellyfin Server 12.0.0 (fake-jellyfin)</li>" in text
        assert "<li>no instance feeds it yet: choose the instances whose tags it gets</li>" in text
        server.set_token("wrong-token-99999")
        server.save()
        action = admin_client.post(
            "/admin/scanner/mediaserver/",
            {"action": "test_connection", "_selected_action": [server.pk]},
            follow=True,
        )
        problem = "Connection problem. jf: <ul><li>jf refused the token (401)</li></ul>"
        assert problem in action.content.decode()
    assert (
        admin_client.get(f"/admin/scanner/mediaserver/{server.pk}/test-connection/").status_code
        == 405
    )
