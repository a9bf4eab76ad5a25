"""Jellyfin's and Emby's users as Taggarr reads them: the accounts a person of the
household can be linked to, and a user's playback settings (issue 70).

``GET /Users`` (UserController ``GetUsers``; an API key reads every user) lists each
user as a UserDto: ``Id``, ``Name``, ``Policy`` (``IsDisabled``, ``IsHidden``) and
``Configuration``, whose playback members are UserConfiguration's
(``MediaBrowser.Model/Configuration/UserConfiguration.cs``): AudioLanguagePreference,
PlayDefaultAudioTrack, SubtitleLanguagePreference, SubtitleMode (the
``SubtitlePlaybackMode`` name), RememberAudioSelections, RememberSubtitleSelections.
``GET /Users/{userId}`` (``GetUserById``) gives one. Emby's UserDto has the same
members (dev.emby.media: ``MediaBrowser.Model.Configuration.UserConfiguration``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from scanner import outside_text
from scanner.media_servers.clients.base import ServerAccount

SubtitleMode = Literal["Default", "Always", "OnlyForced", "None", "Smart"]
SUBTITLE_MODES: tuple[SubtitleMode, ...] = ("Default", "Always", "OnlyForced", "None", "Smart")
# What *Preferred audio language* stores for "Original language" (Jellyfin 12:
# MediaSourceManager.SetDefaultAudioStreamIndex; jellyfin-web playbackSettings.js).
ORIGINAL_LANGUAGE = "OriginalLanguage"
# A user's id (32 hex digits) and a stored language (a culture's code) are short;
# longer is not Jellyfin's.
MAX_VALUE = 64


@dataclass(frozen=True)
class UserPlayback:
    """A user's playback settings, as the server keeps them (its defaults where the
    answer lacks a member: UserConfiguration's constructor)."""

    audio_language: str | None  # "fra", "frc", "OriginalLanguage"; None: any language
    play_default_audio: bool  # "Play default audio track regardless of language"
    subtitle_language: str | None
    subtitle_mode: SubtitleMode
    remember_audio: bool  # "Set audio track based on previous item"
    remember_subtitles: bool


def parse_account(row: Any, kind: Literal["jellyfin", "emby"]) -> ServerAccount | None:
    """A user of ``GET /Users``; None for a row that is not one, or a disabled user
    (he cannot sign in to play anything)."""
    if not isinstance(row, Mapping) or not isinstance(row.get("Id"), str):
        return None
    user_id = outside_text.line(row["Id"]).strip()
    if not user_id or len(user_id) > MAX_VALUE:
        return None
    policy = row.get("Policy")
    if isinstance(policy, Mapping) and policy.get("IsDisabled") is True:
        return None
    return ServerAccount(
        id=user_id,
        name=outside_text.line(str(row.get("Name") or "")),
        kind=kind,
    )


def parse_playback(row: Mapping[str, Any]) -> UserPlayback:
    """The playback settings of a UserDto (``GET /Users/{userId}``)."""
    config = row.get("Configuration")
    values: Mapping[str, Any] = config if isinstance(config, Mapping) else {}
    mode = values.get("SubtitleMode")
    return UserPlayback(
        audio_language=_language(values.get("AudioLanguagePreference")),
        play_default_audio=_flag(values.get("PlayDefaultAudioTrack"), default=True),
        subtitle_language=_language(values.get("SubtitleLanguagePreference")),
        subtitle_mode=next((known for known in SUBTITLE_MODES if known == mode), "Default"),
        remember_audio=_flag(values.get("RememberAudioSelections"), default=True),
        remember_subtitles=_flag(values.get("RememberSubtitleSelections"), default=True),
    )


def _language(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    cleaned = outside_text.line(value).strip()[:MAX_VALUE]
    return cleaned or None


def _flag(value: Any, *, default: bool) -> bool:
    return value if isinstance(value, bool) else default
