"""An item's original language on Jellyfin (issue 70; Jellyfin#12579).

Jellyfin 12 (v12.0-rc1 to rc5; in no 10.x release) has ``OriginalLanguage`` on
BaseItemDto and applies it in ``ItemUpdateController.UpdateItem`` (blank clears it);
``BaseItem.OriginalLanguage`` stores the culture's TwoLetterISOLanguageName
(``FindLanguageInfo``), and an episode without one takes its series'
(``Episode.GetInheritedOriginalLanguage``). Playback reads it when a user's *Preferred
audio language* is "Original language" (``MediaSourceManager.SetDefaultAudioStreamIndex``).
DtoService sends it with every item, null (left out) when unset, so the item's answer
cannot tell a release without it: the server's version does. Emby's published API has
no such member; it is not written there.
"""

from __future__ import annotations

from scanner.engine.languages import canonical, short_code
from scanner.media_servers.clients.base import ServerInfo

FIRST_RELEASE = 12  # the major version that has it


def original_language_settable(info: ServerInfo) -> bool:
    """Whether the server takes an item's original language: Jellyfin 12 or later."""
    if "emby" in info.product.casefold():
        return False
    major = info.version.split(".", 1)[0]
    return major.isdigit() and int(major) >= FIRST_RELEASE


def original_language_value(language: str) -> str:
    """``language`` (any ISO 639 form Taggarr reads, a variety too: ``fr-CA``) as the
    two letters Jellyfin stores ("fr"); ValueError for a code Taggarr does not know."""
    found = canonical(language)
    if found is None:
        raise ValueError(f"{language!r} is not a language Taggarr knows")
    return short_code(found)
