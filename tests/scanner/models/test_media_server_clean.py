"""What a media server connection must do: at least one of writing tags, refreshing
after NFO writes and (Plex only) setting each person's track; the refusal in the
reader's language."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from scanner.models import MediaServer


def _server(kind: str, **options: bool) -> MediaServer:
    fields = {"write_tags": False, "refresh_after_nfo": False, "set_person_tracks": False}
    fields.update(options)
    return MediaServer(name="home", kind=kind, url="http://plex:32400", **fields)


def test_a_plex_server_may_only_set_each_persons_track() -> None:
    _server(MediaServer.Kind.PLEX, set_person_tracks=True).clean()


def test_a_jellyfin_server_that_would_only_set_tracks_is_refused_in_the_readers_language() -> None:
    # Jellyfin and Emby pick a track themselves at playback (docs/media-servers.md): the
    # option does nothing there, so it alone is no work for the connection.
    server = _server(MediaServer.Kind.JELLYFIN, set_person_tracks=True)
    with translation.override("fr"), pytest.raises(ValidationError) as refused:
        server.clean()
    assert "write_tags" in refused.value.message_dict
    assert "régler la piste de chaque personne" in refused.value.message_dict["write_tags"][0]


def test_plex_reads_no_nfo_said_in_german() -> None:
    server = _server(MediaServer.Kind.PLEX, write_tags=True, refresh_after_nfo=True)
    with translation.override("de"), pytest.raises(ValidationError) as refused:
        server.clean()
    assert refused.value.message_dict["refresh_after_nfo"] == [
        "Plex liest keine NFO-Dateien: schreibe stattdessen seine Labels."
    ]
