"""import_config's media_servers section (Taggarr's own): connections created once,
updated when edited, and every bad value named by file, line and key with nothing
saved."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from scanner.models import Instance, MediaServer

pytestmark = pytest.mark.django_db

CONFIG = """\
instances:
  shows:
    type: sonarr
    url: http://sonarr:8989
    api_key: ${SONARR_API_KEY}
    root_path: /tv
  films:
    type: radarr
    url: http://radarr:7878
    api_key: ${SONARR_API_KEY}
    root_path: /movies

media_servers:
  living-room:
    type: jellyfin
    url: http://jellyfin:8096
    token: ${JELLYFIN_TOKEN}
    path_mappings:
      - {remote: /media/tv, local: /tv}
    libraries: [TV Shows]
    refresh_after_nfo: true
  bedroom:
    type: Plex
    url: http://plex:32400
    token: plex-token-abcdefghij
    instances: [films]
    enabled: false
"""


@pytest.fixture(autouse=True)
def env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SONARR_API_KEY", "original-key-0123456789")
    monkeypatch.setenv("JELLYFIN_TOKEN", "0123456789abcdef0123456789abcdef")


def _import(tmp_path: Path, text: str = CONFIG) -> str:
    path = tmp_path / "taggarr.yaml"
    path.write_text(text, encoding="utf-8")
    out = StringIO()
    call_command("import_config", str(path), stdout=out)
    return out.getvalue()


def _fed_by(name: str) -> set[str]:
    return set(MediaServer.objects.get(name=name).instances.values_list("name", flat=True))


def test_servers_are_created_then_unchanged_then_updated(tmp_path: Path) -> None:
    output = _import(tmp_path)
    assert "created: media server 'living-room'" in output
    assert "created: media server 'bedroom'" in output
    jellyfin = MediaServer.objects.get(name="living-room")
    assert (jellyfin.kind, jellyfin.url, jellyfin.enabled) == (
        "jellyfin", "http://jellyfin:8096", True
    )  # fmt: skip
    assert jellyfin.get_token() == "0123456789abcdef0123456789abcdef"
    assert "0123456789abcdef" not in jellyfin.token_encrypted
    assert jellyfin.path_mappings == [{"remote": "/media/tv", "local": "/tv"}]
    assert jellyfin.libraries == ["TV Shows"]
    assert (jellyfin.write_tags, jellyfin.refresh_after_nfo) == (True, True)
    assert _fed_by("living-room") == {"shows", "films"}  # no list: every instance of the file
    plex = MediaServer.objects.get(name="bedroom")
    assert (plex.kind, plex.enabled) == ("plex", False)
    assert _fed_by("bedroom") == {"films"}
    encrypted = jellyfin.token_encrypted

    output = _import(tmp_path)
    assert "unchanged: media server 'living-room'" in output
    assert "unchanged: media server 'bedroom'" in output
    jellyfin.refresh_from_db()
    assert jellyfin.token_encrypted == encrypted  # not even re-encrypted

    edited = CONFIG.replace("instances: [films]", "instances: [films, shows]")
    edited = edited.replace("plex-token-abcdefghij", "plex-token-NEW-abcdefghij")
    output = _import(tmp_path, edited)
    assert "unchanged: media server 'living-room'" in output
    assert "updated: media server 'bedroom'" in output
    assert _fed_by("bedroom") == {"films", "shows"}
    assert MediaServer.objects.get(name="bedroom").get_token() == "plex-token-NEW-abcdefghij"


def test_an_instance_already_in_taggarr_can_feed_a_server(tmp_path: Path) -> None:
    existing = Instance(name="older", kind="sonarr", url="http://old:8989", root_folders=["/x"])
    existing.set_api_key("older-key-0123456789")
    existing.save()
    _import(tmp_path, CONFIG.replace("instances: [films]", "instances: [older]"))
    assert _fed_by("bedroom") == {"older"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ("type: Plex", "type: kodi"),
            r"taggarr.yaml:23: media_servers.bedroom.type: must be jellyfin, emby or plex",
        ),
        (
            ("instances: [films]", "instances: [films, nowhere]"),
            r"taggarr.yaml:26: media_servers.bedroom.instances: no instance named 'nowhere'",
        ),
        (
            ("url: http://plex:32400", "url: plex"),
            r"taggarr.yaml:24: media_servers.bedroom.url: 'plex' must start with http",
        ),
        (
            ("token: plex-token-abcdefghij", 'token: plex"token"abcdefghij'),
            r"taggarr.yaml:25: media_servers.bedroom.token: an API key has no double quote",
        ),
        (
            ("token: ${JELLYFIN_TOKEN}", "token: ${NOT_SET_ANYWHERE}"),
            r"taggarr.yaml:17: media_servers.living-room.token: environment variable "
            "NOT_SET_ANYWHERE",
        ),
        (
            ("- {remote: /media/tv, local: /tv}", "- /media/tv"),
            r"taggarr.yaml:19: media_servers.living-room.path_mappings.0: must be \{remote",
        ),
        (
            ("- {remote: /media/tv, local: /tv}", "- {remote: /media/tv, local: tv}"),
            r"taggarr.yaml:18: media_servers.living-room.path_mappings: .*absolute",
        ),
        (
            ("    enabled: false\n", "    enabled: sometimes\n"),
            r"taggarr.yaml:27: media_servers.bedroom.enabled: must be true or false",
        ),
        (
            ("    token: plex-token-abcdefghij\n", ""),
            r"taggarr.yaml:22: media_servers.bedroom: 'token' is missing",
        ),
        (("media_servers:\n", "media_servers: [a]\nnothing:\n"), r"media_servers: must be a map"),
        (
            ("    enabled: false\n", "    refresh_after_nfo: true\n"),
            r"taggarr.yaml:27: media_servers.bedroom.refresh_after_nfo: Plex reads no NFO",
        ),
    ],
    ids=[
        "bad-type", "unknown-instance", "bad-url", "quoted-token", "missing-env",
        "mapping-not-a-pair", "relative-mapping", "bad-flag", "missing-token", "not-a-mapping",
        "plex-refresh",
    ],
)  # fmt: skip
def test_a_bad_server_names_line_and_key_and_saves_nothing(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    assert change[0] in CONFIG
    with pytest.raises(CommandError, match=message):
        _import(tmp_path, CONFIG.replace(change[0], change[1], 1))
    assert MediaServer.objects.count() == 0
    assert Instance.objects.count() == 0  # the instances of a bad file are not saved either


def test_the_token_is_never_printed(tmp_path: Path) -> None:
    output = _import(tmp_path)
    assert "0123456789abcdef" not in output and "plex-token" not in output
