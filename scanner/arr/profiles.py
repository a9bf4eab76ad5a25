"""An *arr's quality profiles and custom formats, read for the profile guard
(scanner.arr.profile_guard): plain values, nothing written. Three requests, whatever
the library size:

- ``GET /api/v3/qualityprofile``: Sonarr/Sonarr and Radarr/Radarr
  ``src/*.Api.V3/Profiles/Quality/QualityProfileResource.cs``: ``id``, ``name``,
  ``upgradeAllowed``, ``minFormatScore``, ``cutoffFormatScore``, ``formatItems`` (each
  ``format``: the custom format's id, ``name``, ``score``).
- ``GET /api/v3/customformat``: ``src/*.Api.V3/CustomFormats/CustomFormatResource.cs``:
  ``id``, ``name``, ``specifications``
  (``CustomFormatSpecificationSchema.cs``: ``implementation``, ``negate``,
  ``required``, ``fields``: a list of ``{"name", "value"}``, SchemaBuilder's fields).
  A ``LanguageSpecification`` (``src/NzbDrone.Core/CustomFormats/Specifications/
  LanguageSpecification.cs``) has the fields ``value`` (a language id) and
  ``exceptLanguage`` (any language but that one).
- ``GET /api/v3/language``: the ids of the *arr's languages with their names
  (``src/NzbDrone.Core/Languages/Language.cs``). The ids differ between Sonarr and
  Radarr (Hindi is 27 in Sonarr, 26 in Radarr): the guard maps by the names the *arr
  itself answers, never by a table of ids of ours.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scanner import outside_text
from scanner.arr.base import BaseArrClient
from scanner.errors import ArrPermanentError
from scanner.http.json_kind import json_kind

PROFILES_PATH = "/api/v3/qualityprofile"
FORMATS_PATH = "/api/v3/customformat"
LANGUAGES_PATH = "/api/v3/language"
LANGUAGE_SPECIFICATION = "LanguageSpecification"


@dataclass(frozen=True, slots=True)
class LanguageCondition:
    """One Language condition of a custom format."""

    language_id: int
    negate: bool = False
    required: bool = False
    except_language: bool = False  # "any language but this one"


@dataclass(frozen=True, slots=True)
class CustomFormat:
    id: int
    name: str
    languages: tuple[LanguageCondition, ...] = ()


@dataclass(frozen=True, slots=True)
class QualityProfile:
    id: int
    name: str
    upgrade_allowed: bool
    scores: dict[int, int]  # custom format id -> score
    min_format_score: int = 0
    cutoff_format_score: int = 0


@dataclass(frozen=True, slots=True)
class ProfileSettings:
    profiles: tuple[QualityProfile, ...]
    formats: tuple[CustomFormat, ...]
    languages: dict[int, str]  # language id -> name, as the *arr spells it


def fetch_profile_settings(client: BaseArrClient) -> ProfileSettings:
    """Raises the client's ArrError when the *arr cannot be asked, and ArrPermanentError
    when an answer is not the list its source defines."""
    return ProfileSettings(
        profiles=tuple(
            parse_profile(row) for row in _objects(client.get(PROFILES_PATH), PROFILES_PATH)
        ),
        formats=tuple(
            parse_format(row) for row in _objects(client.get(FORMATS_PATH), FORMATS_PATH)
        ),
        languages={
            row["id"]: outside_text.line(row["name"])
            for row in _objects(client.get(LANGUAGES_PATH), LANGUAGES_PATH)
            if _is_int(row.get("id")) and isinstance(row.get("name"), str)
        },
    )


def parse_profile(row: dict[str, Any]) -> QualityProfile:
    items = row.get("formatItems")
    scores = {
        item["format"]: item["score"]
        for item in (items if isinstance(items, list) else [])
        if isinstance(item, dict) and _is_int(item.get("format")) and _is_int(item.get("score"))
    }
    name = row.get("name")
    return QualityProfile(
        id=row["id"] if _is_int(row.get("id")) else 0,
        name=outside_text.line(name) if isinstance(name, str) else "",
        upgrade_allowed=row.get("upgradeAllowed") is not False,
        scores=scores,
        min_format_score=_int(row.get("minFormatScore")),
        cutoff_format_score=_int(row.get("cutoffFormatScore")),
    )


def parse_format(row: dict[str, Any]) -> CustomFormat:
    specifications = row.get("specifications")
    name = row.get("name")
    return CustomFormat(
        id=row["id"] if _is_int(row.get("id")) else 0,
        name=outside_text.line(name) if isinstance(name, str) else "",
        languages=tuple(
            condition
            for spec in (specifications if isinstance(specifications, list) else [])
            if (condition := _language_condition(spec)) is not None
        ),
    )


def _language_condition(spec: Any) -> LanguageCondition | None:
    if not isinstance(spec, dict) or spec.get("implementation") != LANGUAGE_SPECIFICATION:
        return None
    fields = spec.get("fields")
    values = {
        field["name"]: field.get("value")
        for field in (fields if isinstance(fields, list) else [])
        if isinstance(field, dict) and isinstance(field.get("name"), str)
    }
    language_id = values.get("value")
    if not isinstance(language_id, int) or isinstance(language_id, bool):
        return None
    return LanguageCondition(
        language_id=language_id,
        negate=spec.get("negate") is True,
        required=spec.get("required") is True,
        except_language=values.get("exceptLanguage") is True,
    )


def _objects(answer: Any, path: str) -> list[dict[str, Any]]:
    if not isinstance(answer, list):
        raise ArrPermanentError(f"GET {path}: not a list (got {json_kind(answer)})")
    return [row for row in answer if isinstance(row, dict)]


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _int(value: Any) -> int:
    return value if _is_int(value) else 0
