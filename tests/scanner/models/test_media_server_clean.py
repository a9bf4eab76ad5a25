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


@pytest.mark.parametrize("kind", [MediaServer.Kind.JELLYFIN, MediaServer.Kind.EMBY])
def test_each_persons_track_is_refused_on_jellyfin_and_emby_whatever_else_is_on(
    kind: str,
) -> None:
    """Jellyfin and Emby have no per-user selected stream another program sets: a
    user's own settings pick the track when playback starts (Jellyfin's
    Emby.Server.Implementations/Library/MediaSourceManager.cs SetDefaultAudioStreamIndex
    and MediaStreamSelector.cs read the user's AudioLanguagePreference and
    PlayDefaultAudioTrack; docs/media-servers.md, "What playback does with them"). The
    person's page says which to choose."""
    server = _server(kind, write_tags=True, refresh_after_nfo=True, set_person_tracks=True)
    with pytest.raises(ValidationError) as refused:
        server.clean()
    assert refused.value.message_dict == {
        "set_person_tracks": [
            "Only Plex lets Taggarr set each person's track: Jellyfin and Emby pick it by "
            "each user's own settings, and the person's page says which to choose."
        ]
    }
    for language in ("de", "fr", "es", "pt-br", "it", "nl", "pl"):
        with translation.override(language), pytest.raises(ValidationError) as said:
            server.clean()
        (message,) = said.value.message_dict["set_person_tracks"]
        assert message != refused.value.message_dict["set_person_tracks"][0], language
        assert "Plex" in message and "Jellyfin" in message, language
    _server(kind, write_tags=True, refresh_after_nfo=True).clean()


def test_plex_reads_no_nfo_said_in_german() -> None:
    server = _server(MediaServer.Kind.PLEX, write_tags=True, refresh_after_nfo=True)
    with translation.override("de"), pytest.raises(ValidationError) as refused:
        server.clean()
    assert refused.value.message_dict["refresh_after_nfo"] == [
        "Plex liest keine NFO-Dateien: Schreiben Sie stattdessen seine Labels."
    ]
