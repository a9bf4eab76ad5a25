"""A user's ``Configuration`` as ``GET /Users`` and ``GET /Users/{userId}`` give it
(UserController, its UserDto built by ``UserManager.GetUserDto``), read from
jellyfin/jellyfin at v10.11.11 and v12.0-rc5:

- the members and their defaults: ``MediaBrowser.Model/Configuration/UserConfiguration.cs``
  (PlayDefaultAudioTrack, RememberAudioSelections, RememberSubtitleSelections,
  EnableNextEpisodeAutoPlay and HidePlayedInLatest on; the languages null);
- ``SubtitleMode``: the ``SubtitlePlaybackMode`` enum as its name (Jellyfin's JSON
  writes enums as strings): Default, Always, OnlyForced, None, Smart
  (``Jellyfin.Database.Implementations/Enums/SubtitlePlaybackMode.cs``);
- ``AudioLanguagePreference``: what jellyfin-web's *Preferred audio language* stores,
  a culture's ThreeLetterISOLanguageName (``fra``, ``frc`` for "French (Canada)"),
  empty for "Any language", and from 12 ``OriginalLanguage``
  (jellyfin-web ``src/components/playbackSettings/playbackSettings.js``).

Emby (*inferred*: closed source) has the same members (dev.emby.media's reference,
``MediaBrowser.Model.Configuration.UserConfiguration``), with no ``OriginalLanguage``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

SUBTITLE_MODES = ("Default", "Always", "OnlyForced", "None", "Smart")
PLAYBACK_MEMBERS = (
    "AudioLanguagePreference", "PlayDefaultAudioTrack", "SubtitleLanguagePreference",
    "SubtitleMode", "RememberAudioSelections", "RememberSubtitleSelections",
)  # fmt: skip


def configuration(changes: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """A new user's Configuration with ``changes`` (PascalCase members, as a user sets
    them in the web client); ValueError for a member or SubtitleMode Jellyfin has not."""
    config: dict[str, Any] = {
        "AudioLanguagePreference": None,
        "PlayDefaultAudioTrack": True,
        "SubtitleLanguagePreference": None,
        "DisplayMissingEpisodes": False,
        "GroupedFolders": [],
        "SubtitleMode": "Default",
        "DisplayCollectionsView": False,
        "EnableLocalPassword": False,
        "OrderedViews": [],
        "LatestItemsExcludes": [],
        "MyMediaExcludes": [],
        "HidePlayedInLatest": True,
        "RememberAudioSelections": True,
        "RememberSubtitleSelections": True,
        "EnableNextEpisodeAutoPlay": True,
    }
    for name, value in (changes or {}).items():
        if name not in config:
            raise ValueError(f"UserConfiguration has no {name!r}")
        if name == "SubtitleMode" and value not in SUBTITLE_MODES:
            raise ValueError(f"SubtitlePlaybackMode has no {value!r}")
        config[name] = value
    return config
