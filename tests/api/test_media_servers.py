"""/api/media-servers/: the token is write-only (reads show token_hint), the URL and
the mappings are checked (400, never 5xx), and /test/ reaches the fake Jellyfin."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from rest_framework.test import APIClient

from fakes.jellyfin import FakeJellyfin, build_series
from scanner.models import MediaServer
from tests.factories import InstanceFactory, MediaFactory
from tests.helpers import SERVER_TOKEN

pytestmark = pytest.mark.django_db


@pytest.fixture
def jellyfin() -> Iterator[FakeJellyfin]:
    items = [
        build_series("a", "Matched", "/media/tv/Elsewhere", ProviderIds={"Tvdb": "7"}),
        build_series("b", "By Path", "/media/tv/By Path"),
    ]
    with FakeJellyfin(token=SERVER_TOKEN, items=items) as fake:
        yield fake


def test_create_read_update_never_show_the_token(api: APIClient) -> None:
    tv = InstanceFactory(name="tv")
    body = {
        "name": "living room",
        "url": "http://jellyfin:8096/",
        "token": SERVER_TOKEN,
        "instances": [tv.pk],
        "path_mappings": [{"remote": "/media/tv", "local": "/mnt/tv/"}],
        "libraries": ["TV Shows"],
    }
    created = api.post("/api/media-servers/", body, format="json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert "token" not in data and data["token_hint"] == f"****{SERVER_TOKEN[-4:]}"
    assert data["url"] == "http://jellyfin:8096" and data["kind"] == "jellyfin"
    assert data["path_mappings"] == [{"remote": "/media/tv", "local": "/mnt/tv"}]
    pk = data["id"]
    for response in (api.get("/api/media-servers/"), api.get(f"/api/media-servers/{pk}/")):
        assert response.status_code == 200
        assert SERVER_TOKEN.encode() not in response.content
    server = MediaServer.objects.get()
    assert SERVER_TOKEN not in server.token_encrypted and server.get_token() == SERVER_TOKEN
    patched = api.patch(f"/api/media-servers/{pk}/", {"enabled": False}, format="json")
    assert patched.status_code == 200
    assert MediaServer.objects.get().get_token() == SERVER_TOKEN  # kept: none given
    assert (data["write_tags"], data["refresh_after_nfo"]) == (True, False)
    refresh_only = {"write_tags": False, "refresh_after_nfo": True}
    patched = api.patch(f"/api/media-servers/{pk}/", refresh_only, format="json")
    assert patched.status_code == 200, patched.content
    server = MediaServer.objects.get()
    assert (server.write_tags, server.refresh_after_nfo) == (False, True)
    neither = api.patch(f"/api/media-servers/{pk}/", {"refresh_after_nfo": False}, format="json")
    assert neither.status_code == 400 and "write_tags" in neither.json()  # PATCH: saved ones count
    assert data["set_person_tracks"] is False  # each person's track: a dry run by default
    # Jellyfin picks a track by each user's own settings: the option is Plex's only.
    tracks = api.patch(f"/api/media-servers/{pk}/", {"set_person_tracks": True}, format="json")
    assert tracks.status_code == 400 and "set_person_tracks" in tracks.json()
    assert not MediaServer.objects.get().set_person_tracks
    to_plex = {"kind": "plex", "refresh_after_nfo": False, "set_person_tracks": True}
    tracks = api.patch(f"/api/media-servers/{pk}/", to_plex, format="json")
    assert tracks.status_code == 200, tracks.content
    assert MediaServer.objects.get().set_person_tracks


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "x", "url": "http://jf"}, "token"),
        ({"name": "x", "url": "ftp://jf", "token": "t" * 20}, "url"),
        ({"name": "x", "url": "http://u:p@jf", "token": "t" * 20}, "url"),
        ({"name": "x", "url": "http://jf", "token": "a b"}, "token"),
        ({"name": "x", "url": "http://jf", "token": 'a"b'}, "token"),
        ({"name": "x", "url": "http://jf", "token": "t" * 19}, "token"),  # Plex's have 20
        ({"name": "x", "url": "http://jf", "token": "t" * 20, "kind": "nosuch"}, "kind"),
        ({"name": "x", "url": "http://jf", "token": "t" * 20, "path_mappings": [{"remote": "/a"}]},
         "path_mappings"),
        ({"name": "x", "url": "http://jf", "token": "t" * 20,
          "path_mappings": [{"remote": "/a", "local": "rel"}]}, "path_mappings"),
        ({"name": "x", "url": "http://jf", "token": "t" * 20, "libraries": "TV"}, "libraries"),
        ({"name": "x", "url": "http://jf", "token": "t" * 20, "instances": [999999]}, "instances"),
        ({"name": "x", "url": "http://plex", "token": "t" * 20, "kind": "plex",
          "refresh_after_nfo": True}, "refresh_after_nfo"),
        ({"name": "x", "url": "http://jf", "token": "t" * 20, "write_tags": False}, "write_tags"),
        ({"name": "x", "url": "http://jf", "token": "t" * 20, "write_tags": "maybe"}, "write_tags"),
    ],
)  # fmt: skip
def test_bad_input_is_a_400_naming_the_field(
    api: APIClient, body: dict[str, object], field: str
) -> None:
    response = api.post("/api/media-servers/", body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()


def test_the_connection_test_reports_version_libraries_and_matches(
    api: APIClient, jellyfin: FakeJellyfin
) -> None:
    tv = InstanceFactory(name="tv")
    MediaFactory(instance=tv, title="Matched", tvdb_id=7, path="/mnt/tv/Matched")
    MediaFactory(instance=tv, title="By Path", path="/mnt/tv/By Path")
    MediaFactory(instance=tv, title="Missing", path="/mnt/tv/Missing")
    server = MediaServer(
        name="jf", url=jellyfin.url, path_mappings=[{"remote": "/media/tv", "local": "/mnt/tv"}]
    )
    server.set_token(SERVER_TOKEN)
    server.save()
    server.instances.set([tv])
    response = api.post(f"/api/media-servers/{server.pk}/test/")
    assert response.status_code == 200
    report = response.json()
    assert report["ok"] is True and report["version"] == "12.0.0"
    assert report["lines"][:6] == [
        "Jellyfin Server 12.0.0 (fake-jellyfin)",
        "key sent in the Authorization header (MediaBrowser token), which every Jellyfin "
        "reads; the server's legacy token headers are off (Taggarr needs none)",
        "libraries: TV Shows (series), Movies (movie)",
        "a series' tag change saves each of its seasons and episodes too: a long show's "
        "write takes long (Taggarr waits up to 600 s for it)",
        "with the tags, each item gets its original language, for the “Original language” "
        "audio preference, where it has none or still has the one Taggarr set",
        "2 series and movies seen",
    ]
    assert report["lines"][6] == (
        "tv: 2 items are matched on the server. Taggarr knows 3 items of this *arr. "
        "1 is matched by id. 1 is matched by folder."
    )
    assert report["lines"][7].startswith("tv: e.g. ")
    assert report["lines"][8].startswith("tv: not found: 'Missing': no provider ids")
    assert SERVER_TOKEN.encode() not in response.content


def test_the_connection_test_says_the_token_was_refused(
    api: APIClient, jellyfin: FakeJellyfin
) -> None:
    server = MediaServer(name="jf", url=jellyfin.url)
    server.set_token("not-the-token-0000")
    server.save()
    report = api.post(f"/api/media-servers/{server.pk}/test/").json()
    assert report == {
        "ok": False,
        "version": None,
        "has_original_language": None,
        "lines": ["jf refused the token (401)"],
    }
