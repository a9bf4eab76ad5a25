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
  ``exceptLanguage`` (any language but that one); a ``ReleaseTitleSpecification``
  (``ReleaseTitleSpecification.cs``, a ``RegexSpecificationBase``) the field ``value``, a
  .NET regular expression matched case-insensitively against the release title.
  Radarr's profile has ``language`` too (``QualityProfileResource.cs``: a ``Language``,
  ``{"id", "name"}``): the language a release must have (``DecisionEngine/
  Specifications/LanguageSpecification.cs``), ``Any`` (-1) or ``Original`` (-2) included;
  Radarr v6 makes new profiles with ``Original`` (QualityProfileService.cs, commit
  80a9fa68d "Default wanted language for quality profiles changed to Original").
- ``GET /api/v3/language``: the ids of the *arr's languages with their names
  (``src/NzbDrone.Core/Languages/Language.cs``). The ids differ between Sonarr and
  Radarr (Hindi is 27 in Sonarr, 26 in Radarr): the guard maps by the names the *arr
  itself answers, never by a table of ids of ours.

Each list is read as it arrives (``get_array``) and kept up to a bound well above what
a real *arr holds; the rest is counted (``ProfileSettings.unread``), never kept, and the
guard says that it was not checked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scanner import outside_text
from scanner.arr.base import BaseArrClient
from scanner.engine.languages import MAX_LANGUAGE

PROFILES_PATH = "/api/v3/qualityprofile"
FORMATS_PATH = "/api/v3/customformat"
LANGUAGES_PATH = "/api/v3/language"
LANGUAGE_SPECIFICATION = "LanguageSpecification"
TITLE_SPECIFICATION = "ReleaseTitleSpecification"

# The bounds, each far above real use. A Sonarr or Radarr has a few to a few tens of
# quality profiles (TRaSH's guides set up fewer than 20); its custom formats are a few
# hundred at most (TRaSH's whole collection, docs/json/sonarr/cf/, is about 300 per
# app); Language.cs lists about 50 languages (Sonarr) or 60 (Radarr). A profile's
# formatItems list every custom format once; a custom format has a handful of
# conditions, each a few fields.
MAX_PROFILES = 200
MAX_FORMATS = 1000
MAX_LANGUAGES = 200
MAX_CONDITIONS = 100
MAX_FIELDS = 20
# A profile's or a format's name as kept and shown (a real one is a few words).
MAX_NAME = 100
# A release-title condition's pattern (TRaSH's longest are a few hundred characters):
# a longer one is not kept, so not evaluated (scanner.arr.format_match).
MAX_PATTERN = 2000


@dataclass(frozen=True, slots=True)
class LanguageCondition:
    """One Language condition of a custom format."""

    language_id: int
    negate: bool = False
    required: bool = False
    except_language: bool = False  # "any language but this one"


@dataclass(frozen=True, slots=True)
class TitleCondition:
    """One Release Title condition of a custom format: a .NET regular expression."""

    pattern: str
    negate: bool = False
    required: bool = False


@dataclass(frozen=True, slots=True)
class CustomFormat:
    id: int
    name: str
    languages: tuple[LanguageCondition, ...] = ()
    titles: tuple[TitleCondition, ...] = ()


@dataclass(frozen=True, slots=True)
class QualityProfile:
    id: int
    name: str
    upgrade_allowed: bool
    scores: dict[int, int]  # custom format id -> score
    min_format_score: int = 0
    cutoff_format_score: int = 0
    # Radarr's wanted language (its id: -1 Any, -2 Original); None where the profile has
    # none (Sonarr).
    language_id: int | None = None


@dataclass(frozen=True, slots=True)
class ProfileSettings:
    profiles: tuple[QualityProfile, ...]
    formats: tuple[CustomFormat, ...]
    languages: dict[int, str]  # language id -> name, as the *arr spells it
    # Past the bounds, not read: "profiles", "formats", "languages" -> how many.
    unread: dict[str, int] = field(default_factory=dict)


def fetch_profile_settings(client: BaseArrClient) -> ProfileSettings:
    """Raises the client's ArrError when the *arr cannot be asked, and ArrPermanentError
    when an answer is not the list its source defines."""
    profiles, more_profiles = _rows(client, PROFILES_PATH, MAX_PROFILES)
    formats, more_formats = _rows(client, FORMATS_PATH, MAX_FORMATS)
    languages, more_languages = _rows(client, LANGUAGES_PATH, MAX_LANGUAGES)
    unread = {"profiles": more_profiles, "formats": more_formats, "languages": more_languages}
    return ProfileSettings(
        profiles=tuple(map(parse_profile, profiles)),
        formats=tuple(map(parse_format, formats)),
        languages={
            row["id"]: name
            for row in languages
            if _is_int(row.get("id")) and (name := _language_name(row.get("name")))
        },
        unread={key: count for key, count in unread.items() if count},
    )


def parse_profile(row: dict[str, Any]) -> QualityProfile:
    items = row.get("formatItems")
    scores = {
        item["format"]: item["score"]
        for item in (items[:MAX_FORMATS] if isinstance(items, list) else [])
        if isinstance(item, dict) and _is_int(item.get("format")) and _is_int(item.get("score"))
    }
    return QualityProfile(
        id=row["id"] if _is_int(row.get("id")) else 0,
        name=_name(row.get("name")),
        upgrade_allowed=row.get("upgradeAllowed") is not False,
        scores=scores,
        min_format_score=_int(row.get("minFormatScore")),
        cutoff_format_score=_int(row.get("cutoffFormatScore")),
        language_id=_language_id(row.get("language")),
    )


def parse_format(row: dict[str, Any]) -> CustomFormat:
    specifications = row.get("specifications")
    specs = specifications[:MAX_CONDITIONS] if isinstance(specifications, list) else []
    return CustomFormat(
        id=row["id"] if _is_int(row.get("id")) else 0,
        name=_name(row.get("name")),
        languages=tuple(
            condition for spec in specs if (condition := _language_condition(spec)) is not None
        ),
        titles=tuple(title for spec in specs if (title := _title_condition(spec)) is not None),
    )


def _fields(spec: dict[str, Any]) -> dict[str, Any]:
    fields = spec.get("fields")
    return {
        field["name"]: field.get("value")
        for field in (fields[:MAX_FIELDS] if isinstance(fields, list) else [])
        if isinstance(field, dict) and isinstance(field.get("name"), str)
    }


def _title_condition(spec: Any) -> TitleCondition | None:
    if not isinstance(spec, dict) or spec.get("implementation") != TITLE_SPECIFICATION:
        return None
    pattern = _fields(spec).get("value")
    if not isinstance(pattern, str) or not pattern or len(pattern) > MAX_PATTERN:
        return None
    return TitleCondition(
        pattern=pattern, negate=spec.get("negate") is True, required=spec.get("required") is True
    )


def _language_id(value: Any) -> int | None:
    """Radarr's profile language: a Language object, ``{"id", "name"}``."""
    found = value.get("id") if isinstance(value, dict) else None
    return found if _is_int(found) else None


def _language_condition(spec: Any) -> LanguageCondition | None:
    if not isinstance(spec, dict) or spec.get("implementation") != LANGUAGE_SPECIFICATION:
        return None
    values = _fields(spec)
    language_id = values.get("value")
    if not isinstance(language_id, int) or isinstance(language_id, bool):
        return None
    return LanguageCondition(
        language_id=language_id,
        negate=spec.get("negate") is True,
        required=spec.get("required") is True,
        except_language=values.get("exceptLanguage") is True,
    )


def _rows(client: BaseArrClient, path: str, limit: int) -> tuple[list[dict[str, Any]], int]:
    """The first ``limit`` objects of the list at ``path``, and how many more it has.
    An answer that is no list raises (``get_array``: told by its JSON type)."""
    rows: list[dict[str, Any]] = []
    more = 0
    for row in client.get_array(path):
        if not isinstance(row, dict):
            continue
        if len(rows) < limit:
            rows.append(row)
        else:
            more += 1
    return rows, more


def _name(value: Any) -> str:
    return outside_text.name(value, MAX_NAME) if isinstance(value, str) else ""


def _language_name(value: Any) -> str:
    """A language's name; none for one longer than a language's (it names none)."""
    if not isinstance(value, str) or len(value) > MAX_LANGUAGE:
        return ""
    return outside_text.name(value, MAX_LANGUAGE)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _int(value: Any) -> int:
    return value if _is_int(value) else 0
