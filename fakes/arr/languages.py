"""Language ids of Sonarr and Radarr, as data: name -> id of every real language in
``src/NzbDrone.Core/Languages/Language.cs`` (the pseudo-languages Unknown, Any and
Original are left out: an original language is never one of them).

The ids differ between the apps (Arabic is 26 in Sonarr, 31 in Radarr), which is
why clients map by name. Both apps report English for a TVDB/TMDb language they
do not map (``SkyHookProxy``: ``IsoLanguages.Find(...)?.Language ?? Language.English``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

ENGLISH = {"id": 1, "name": "English"}

# Sonarr main (v4.0.19.2979); the same since v4.0.0.741.
SONARR_V4: Mapping[str, int] = {
    "English": 1,
    "French": 2,
    "Spanish": 3,
    "German": 4,
    "Italian": 5,
    "Danish": 6,
    "Dutch": 7,
    "Japanese": 8,
    "Icelandic": 9,
    "Chinese": 10,
    "Russian": 11,
    "Polish": 12,
    "Vietnamese": 13,
    "Swedish": 14,
    "Norwegian": 15,
    "Finnish": 16,
    "Turkish": 17,
    "Portuguese": 18,
    "Flemish": 19,
    "Greek": 20,
    "Korean": 21,
    "Hungarian": 22,
    "Hebrew": 23,
    "Lithuanian": 24,
    "Czech": 25,
    "Arabic": 26,
    "Hindi": 27,
    "Bulgarian": 28,
    "Malayalam": 29,
    "Ukrainian": 30,
    "Slovak": 31,
    "Thai": 32,
    "Portuguese (Brazil)": 33,
    "Spanish (Latino)": 34,
    "Romanian": 35,
    "Latvian": 36,
    "Persian": 37,
    "Catalan": 38,
    "Croatian": 39,
    "Serbian": 40,
    "Bosnian": 41,
    "Estonian": 42,
    "Tamil": 43,
    "Indonesian": 44,
    "Macedonian": 45,
    "Slovenian": 46,
}

# Sonarr v5 (v5-develop, 49df353): v4's table and six more.
SONARR_V5: Mapping[str, int] = {
    **SONARR_V4,
    "Azerbaijani": 47,
    "Uzbek": 48,
    "Malay": 49,
    "Urdu": 50,
    "Romansh": 51,
    "Georgian": 52,
}

# Radarr v5.9.1.9070.
RADARR_V5: Mapping[str, int] = {
    "English": 1,
    "French": 2,
    "Spanish": 3,
    "German": 4,
    "Italian": 5,
    "Danish": 6,
    "Dutch": 7,
    "Japanese": 8,
    "Icelandic": 9,
    "Chinese": 10,
    "Russian": 11,
    "Polish": 12,
    "Vietnamese": 13,
    "Swedish": 14,
    "Norwegian": 15,
    "Finnish": 16,
    "Turkish": 17,
    "Portuguese": 18,
    "Flemish": 19,
    "Greek": 20,
    "Korean": 21,
    "Hungarian": 22,
    "Hebrew": 23,
    "Lithuanian": 24,
    "Czech": 25,
    "Hindi": 26,
    "Romanian": 27,
    "Thai": 28,
    "Bulgarian": 29,
    "Portuguese (Brazil)": 30,
    "Arabic": 31,
    "Ukrainian": 32,
    "Persian": 33,
    "Bengali": 34,
    "Slovak": 35,
    "Latvian": 36,
    "Spanish (Latino)": 37,
    "Catalan": 38,
    "Croatian": 39,
    "Serbian": 40,
    "Bosnian": 41,
    "Estonian": 42,
    "Tamil": 43,
    "Indonesian": 44,
    "Telugu": 45,
}

# Radarr v6.0.3.10276. Every earlier release's table is a subset with the same ids.
RADARR_V6: Mapping[str, int] = {
    "English": 1,
    "French": 2,
    "Spanish": 3,
    "German": 4,
    "Italian": 5,
    "Danish": 6,
    "Dutch": 7,
    "Japanese": 8,
    "Icelandic": 9,
    "Chinese": 10,
    "Russian": 11,
    "Polish": 12,
    "Vietnamese": 13,
    "Swedish": 14,
    "Norwegian": 15,
    "Finnish": 16,
    "Turkish": 17,
    "Portuguese": 18,
    "Flemish": 19,
    "Greek": 20,
    "Korean": 21,
    "Hungarian": 22,
    "Hebrew": 23,
    "Lithuanian": 24,
    "Czech": 25,
    "Hindi": 26,
    "Romanian": 27,
    "Thai": 28,
    "Bulgarian": 29,
    "Portuguese (Brazil)": 30,
    "Arabic": 31,
    "Ukrainian": 32,
    "Persian": 33,
    "Bengali": 34,
    "Slovak": 35,
    "Latvian": 36,
    "Spanish (Latino)": 37,
    "Catalan": 38,
    "Croatian": 39,
    "Serbian": 40,
    "Bosnian": 41,
    "Estonian": 42,
    "Tamil": 43,
    "Indonesian": 44,
    "Telugu": 45,
    "Macedonian": 46,
    "Slovenian": 47,
    "Malayalam": 48,
    "Kannada": 49,
    "Albanian": 50,
    "Afrikaans": 51,
    "Marathi": 52,
    "Tagalog": 53,
    "Urdu": 54,
    "Romansh": 55,
    "Mongolian": 56,
    "Georgian": 57,
}

# The first Radarr v5 release (tag) whose table has the languages v5.9.1 lacks.
RADARR_ADDED_IN: Mapping[str, tuple[int, ...]] = {
    "Macedonian": (5, 10, 1, 9125),
    "Slovenian": (5, 10, 1, 9125),
    "Malayalam": (5, 10, 1, 9125),
    "Kannada": (5, 10, 1, 9125),
    "Albanian": (5, 16, 0, 9485),
    "Afrikaans": (5, 16, 0, 9485),
    "Marathi": (5, 17, 2, 9580),
    "Tagalog": (5, 17, 2, 9580),
    "Urdu": (5, 22, 1, 9832),
    "Romansh": (5, 23, 3, 9987),
    "Mongolian": (5, 24, 0, 10006),
    "Georgian": (5, 27, 5, 10184),
}


def language_ids(app: str, version: tuple[int, ...]) -> Mapping[str, int]:
    """The languages a release knows. Radarr v4 and v5 before 5.9.1 get the 5.9.1 table
    (they knew a few languages less, with the same ids)."""
    if app == "sonarr":
        return SONARR_V5 if version >= (5,) else SONARR_V4
    if version >= (6,):
        return RADARR_V6
    added = {name: RADARR_V6[name] for name, since in RADARR_ADDED_IN.items() if version >= since}
    return {**RADARR_V5, **added}


def file_languages(
    app: str, version: tuple[int, ...], names: Iterable[str]
) -> list[dict[str, Any]]:
    """An episode or movie file's ``languages`` as the release serves them (Sonarr's
    EpisodeFileResource, Radarr's MovieFileResource: ``List<Language>``, each its id and
    name): what the *arr parsed from the release name, such as "Portuguese (Brazil)"
    for ``DUBLADO`` (Sonarr's LanguageParser) or "Spanish (Latino)" for ``Latino``.
    A name the release does not know is a mistake of the test: KeyError."""
    known = language_ids(app, version)
    return [{"id": known[name], "name": name} for name in names]


def original_language(app: str, version: tuple[int, ...], name: Any) -> dict[str, Any]:
    """``originalLanguage`` as the release serves it: the app's id for a name it knows
    (case-insensitively, as ``(Language)string`` does), English for any other."""
    if isinstance(name, str):
        wanted = name.casefold()
        for known, language_id in language_ids(app, version).items():
            if known.casefold() == wanted:
                return {"id": language_id, "name": known}
    return dict(ENGLISH)
