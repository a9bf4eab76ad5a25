"""Quality profiles and custom formats of the fake Sonarr/Radarr, as their sources
define them (read in Sonarr/Sonarr 49df353 and Radarr/Radarr 1b9662d):

- ``GET /api/v3/qualityprofile``: ``src/*.Api.V3/Profiles/Quality/
  QualityProfileResource.cs``: ``id``, ``name``, ``upgradeAllowed``, ``cutoff``,
  ``items``, ``minFormatScore``, ``cutoffFormatScore``, ``minUpgradeFormatScore``,
  ``formatItems`` (``ProfileFormatItemResource``: ``format``, the custom format's id,
  ``name``, ``score``); Radarr's also ``language``, a ``Language`` (``{"id", "name"}``,
  Language.cs: Any -1, Original -2). A profile set without one is served with the
  language Radarr gives a new profile (``src/NzbDrone.Core/Profiles/Qualities/
  QualityProfileService.cs``): English before v6, Original from v6 (Radarr 80a9fa68d,
  "Default wanted language for quality profiles changed to Original"). Sonarr v3 has no
  custom formats: its profiles carry none of the format fields.
- ``GET /api/v3/customformat``: ``src/*.Api.V3/CustomFormats/CustomFormatResource.cs``
  (``id``, ``name``, ``includeCustomFormatWhenRenaming``, ``specifications``) and
  ``CustomFormatSpecificationSchema.cs`` (``name``, ``implementation``,
  ``implementationName``, ``infoLink``, ``negate``, ``required``, ``fields``: the
  list SchemaBuilder makes of the specification's ``[FieldDefinition]`` properties,
  each ``{"order", "name", "label", "value", "type", "advanced", ...}``). A
  ``LanguageSpecification`` (``src/NzbDrone.Core/CustomFormats/Specifications/
  LanguageSpecification.cs``) has the fields ``value`` (a language id, a select) and
  ``exceptLanguage`` (a checkbox); a ``ReleaseTitleSpecification``
  (``ReleaseTitleSpecification.cs``, ``RegexSpecificationBase.cs``) the field ``value``
  (a regular expression, a textbox). Sonarr v3 answers 404 (no such controller).

A Language condition is stored by language name, and served with the id the played
release gives that name (languages.py): Hindi is 27 in Sonarr, 26 in Radarr.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from fakes.arr.languages import language_ids

# The qualities both apps share (src/NzbDrone.Core/Qualities/Quality.cs: the same id and
# name in Sonarr and Radarr; Sonarr's source words): (id, name, source, resolution).
QUALITIES: dict[str, tuple[int, str, int]] = {
    "Unknown": (0, "unknown", 0),
    "SDTV": (1, "television", 480),
    "HDTV-720p": (4, "television", 720),
    "HDTV-1080p": (9, "television", 1080),
    "WEBRip-720p": (14, "webRip", 720),
    "WEBDL-720p": (5, "web", 720),
    "Bluray-720p": (6, "bluray", 720),
    "WEBRip-1080p": (15, "webRip", 1080),
    "WEBDL-1080p": (3, "web", 1080),
    "Bluray-1080p": (7, "bluray", 1080),
}
# A profile's items, worst first, as a new Sonarr/Radarr orders them (the weights of
# Quality.DefaultQualityDefinitions), WEB-DL and WEBRip of one resolution in one group
# ("WEB 720p", "WEB 1080p"; group ids from 1000 as QualityProfileService gives them).
# A group's qualities share its index: QualityProfile.GetIndex, compared without the
# group order by DownloadDecisionComparer.CompareQuality.
PROFILE_ITEMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Unknown", ()),
    ("SDTV", ()),
    ("HDTV-720p", ()),
    ("HDTV-1080p", ()),
    ("WEB 720p", ("WEBRip-720p", "WEBDL-720p")),
    ("Bluray-720p", ()),
    ("WEB 1080p", ("WEBRip-1080p", "WEBDL-1080p")),
    ("Bluray-1080p", ()),
)
# What Sonarr's and Radarr's default "HD-1080p" allows, and "HD - 720p/1080p".
HD_1080P = ("HDTV-1080p", "WEB 1080p", "Bluray-1080p")
HD_720P_1080P = ("HDTV-720p", "HDTV-1080p", "WEB 720p", "Bluray-720p", "WEB 1080p", "Bluray-1080p")


# Radarr's QualitySource words for Sonarr's (src/NzbDrone.Core/Qualities/QualitySource.cs,
# camelCase as both apps serialise enums).
_RADARR_SOURCES = {"television": "tv", "web": "webdl", "webRip": "webrip"}


def quality_resource(name: str, app: str = "sonarr") -> dict[str, Any]:
    """A Quality as the API shows it: ``{"id", "name", "source", "resolution"}``."""
    quality_id, source, resolution = QUALITIES[name]
    if app == "radarr":
        source = _RADARR_SOURCES.get(source, source)
    return {"id": quality_id, "name": name, "source": source, "resolution": resolution}


def _with_sources(items: list[dict[str, Any]], app: str) -> list[dict[str, Any]]:
    """A stored profile's items with the app's source words."""
    served = []
    for item in items:
        copy = dict(item)
        if copy.get("quality"):
            copy["quality"] = quality_resource(str(copy["quality"]["name"]), app)
        copy["items"] = _with_sources(list(copy.get("items") or []), app)
        served.append(copy)
    return served


def _profile_items(allowed: Iterable[str]) -> list[dict[str, Any]]:
    wanted = set(allowed)
    items: list[dict[str, Any]] = []
    group_id = 999  # the first group is 1000 (QualityProfileService: groupId = 1000, ++)
    for name, members in PROFILE_ITEMS:
        if not members:
            items.append(
                {"quality": quality_resource(name), "items": [], "allowed": name in wanted}
            )
            continue
        group_id += 1
        items.append(
            {
                "id": group_id,
                "name": name,
                "items": [
                    {"quality": quality_resource(member), "items": [], "allowed": name in wanted}
                    for member in members
                ],
                "allowed": name in wanted,
            }
        )
    return items


def quality_profile(
    profile_id: int,
    name: str,
    *,
    upgrade_allowed: bool = True,
    scores: Mapping[int, int] | None = None,
    min_format_score: int = 0,
    cutoff_format_score: int = 0,
    language: str | None = None,
    allowed: Iterable[str] = HD_1080P,
) -> dict[str, Any]:
    """A profile as stored: ``scores`` is custom format id -> score (every other format
    is served with 0, as the real profile lists every format); ``language``: Radarr's,
    by name ("Original", "Any", "French"), None for the release's default;
    ``allowed``: the qualities and groups it takes (PROFILE_ITEMS names)."""
    return {
        "id": profile_id,
        "name": name,
        "upgradeAllowed": upgrade_allowed,
        "cutoff": 7,
        "items": _profile_items(allowed),
        "minFormatScore": min_format_score,
        "cutoffFormatScore": cutoff_format_score,
        "minUpgradeFormatScore": 1,
        "scores": dict(scores or {}),
        "language": language,
    }


def language_format(
    format_id: int, name: str, conditions: Iterable[tuple[str, bool, bool]]
) -> dict[str, Any]:
    """A custom format of Language conditions, each (language name, negate, required)
    as TRaSH's JSON writes them ("German DL": ("German", False, True), ("Original",
    False, True))."""
    return custom_format(format_id, name, languages=conditions)


def custom_format(
    format_id: int,
    name: str,
    *,
    languages: Iterable[tuple[str, bool, bool]] = (),
    titles: Iterable[tuple[str, bool, bool]] = (),
    except_languages: Iterable[tuple[str, bool, bool]] = (),
) -> dict[str, Any]:
    """A custom format of Language conditions, each (language name, negate, required),
    and Release Title ones, each (regular expression, negate, required), as TRaSH's
    JSON writes them (french-vfq.json "VFQ": two Release Title conditions);
    ``except_languages``: Language conditions with "Except Language" ticked (any
    language of the release other than this one)."""
    return {
        "id": format_id,
        "name": name,
        "includeCustomFormatWhenRenaming": False,
        "conditions": [
            *(
                {"language": language, "negate": negate, "required": required}
                for language, negate, required in languages
            ),
            *(
                {"language": language, "negate": negate, "required": required, "except": True}
                for language, negate, required in except_languages
            ),
        ],
        "titles": [
            {"pattern": pattern, "negate": negate, "required": required}
            for pattern, negate, required in titles
        ],
    }


def serve_profiles(
    profiles: list[dict[str, Any]],
    formats: list[dict[str, Any]],
    app: str,
    version: tuple[int, ...],
) -> list[dict[str, Any]]:
    served = []
    for stored in profiles:
        profile = {key: value for key, value in stored.items() if key != "scores"}
        profile["items"] = _with_sources(list(stored.get("items") or []), app)
        if app == "sonarr" and version < (4,):
            for key in ("minFormatScore", "cutoffFormatScore", "minUpgradeFormatScore"):
                profile.pop(key)
        else:
            # Stored as JSON: the format ids are keys as text.
            scores = {int(key): score for key, score in stored["scores"].items()}
            profile["formatItems"] = [
                {"format": cf["id"], "name": cf["name"], "score": scores.get(cf["id"], 0)}
                for cf in formats
            ]
        language = profile.pop("language", None)
        if app == "radarr":
            if language is None:
                language = "Original" if version >= (6,) else "English"
            ids = {"Original": -2, "Any": -1, "Unknown": 0, **language_ids(app, version)}
            profile["language"] = {"id": ids[language], "name": language}
        served.append(profile)
    return served


def serve_formats(
    formats: list[dict[str, Any]], app: str, version: tuple[int, ...]
) -> list[dict[str, Any]]:
    ids = {"Original": -2, "Any": -1, "Unknown": 0, **language_ids(app, version)}
    return [
        {
            "id": cf["id"],
            "name": cf["name"],
            "includeCustomFormatWhenRenaming": cf["includeCustomFormatWhenRenaming"],
            "specifications": [
                *(_title_spec(c) for c in cf.get("titles", [])),
                *(_language_spec(c, ids) for c in cf["conditions"]),
            ],
        }
        for cf in formats
    ]


def _language_spec(condition: dict[str, Any], ids: Mapping[str, int]) -> dict[str, Any]:
    return {
        "name": condition["language"],
        "implementation": "LanguageSpecification",
        "implementationName": "Language",
        "infoLink": "https://wiki.servarr.com/sonarr/settings#custom-formats-2",
        "negate": condition["negate"],
        "required": condition["required"],
        "fields": [
            {
                "order": 1,
                "name": "value",
                "label": "Language",
                "value": ids[condition["language"]],
                "type": "select",
                "advanced": False,
                "selectOptions": [
                    {"value": value, "name": name, "order": value} for name, value in ids.items()
                ],
                "privacy": "normal",
                "isFloat": False,
            },
            {
                "order": 1,
                "name": "exceptLanguage",
                "label": "Except Language",
                "helpText": "Matches if any language other than the selected language is present",
                "value": bool(condition.get("except", False)),
                "type": "checkbox",
                "advanced": False,
                "privacy": "normal",
                "isFloat": False,
            },
        ],
    }


def _title_spec(condition: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": condition["pattern"],
        "implementation": "ReleaseTitleSpecification",
        "implementationName": "Release Title",
        "infoLink": "https://wiki.servarr.com/sonarr/settings#custom-formats-2",
        "negate": condition["negate"],
        "required": condition["required"],
        "fields": [
            {
                "order": 1,
                "name": "value",
                "label": "Regular Expression",
                "helpText": "Custom Format RegEx is Case Insensitive",
                "value": condition["pattern"],
                "type": "textbox",
                "advanced": False,
                "privacy": "normal",
                "isFloat": False,
            }
        ],
    }
