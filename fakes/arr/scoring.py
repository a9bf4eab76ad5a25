"""How the fake Sonarr/Radarr scores a release and picks the one it grabs, from the
served shapes of its custom formats and quality profiles (profiles.py). Own code,
written from (Sonarr/Sonarr develop 97d24ac, Radarr/Radarr develop 1b9662d):

- ``src/NzbDrone.Core/CustomFormats/CustomFormatCalculationService.cs``
  ``ParseCustomFormat``: a format matches when, for each implementation (its
  specifications grouped by type), ``SpecificationMatchesGroup.DidMatch``: no required
  specification failed and at least one matched; the matches ordered by name.
- ``CustomFormatSpecificationBase.IsSatisfiedBy``: negate inverts the match.
- ``Specifications/LanguageSpecification.cs``: ``value`` a language id; -2 (Original)
  stands for the item's original language when it has one; ``exceptLanguage``: any
  language of the release other than that one.
- ``Specifications/ReleaseTitleSpecification.cs`` / ``RegexSpecificationBase.cs``: the
  pattern, case-insensitive, searched in the release title (.NET regular expressions;
  Python's ``re`` takes the patterns the fake's formats use, a variable-width lookbehind
  ``(?<!X[...]?)`` rewritten as two).
- ``Profiles/Qualities/QualityProfile.cs`` ``CalculateCustomFormatScore``: the sum of the
  profile's ``formatItems`` scores of the matched formats; ``GetIndex``: a quality's
  item index in the profile (a group's qualities share it; not listed: index 0).
- The rejections of ``DecisionEngine/Specifications/``: QualityAllowedByProfileSpecification
  ("{quality} is not wanted in profile"), Radarr's LanguageSpecification (the profile's
  ``language``: Any takes all; Original wants the movie's original language; another
  wants that one), CustomFormatAllowedByProfileSpecification (score below the profile's
  ``minFormatScore``).
- ``DecisionEngine/DownloadDecisionComparer.cs`` via
  ``DownloadDecisionPriorizationService.PrioritizeDecisions``: descending by quality
  index, then revision (PROPER/REPACK), then custom format score; the comparers after
  those (protocol, episode count, indexer priority, peers, age, size) are equal for
  the fake's releases, and LINQ's OrderByDescending is stable: the order given breaks a
  tie. ``ProcessDownloadDecisions`` grabs the first approved one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

ORIGINAL_ID = -2
UNKNOWN_ID = 0

_VARIABLE_LOOKBEHIND = re.compile(r"\(\?<([!=])([^()\[\]]+)(\[[^\]]+\])\?\)")


def python_pattern(pattern: str) -> str:
    """A .NET pattern as Python's ``re`` takes it: ``(?<!WEB[-_. ]?)`` (variable width)
    becomes ``(?<!WEB)(?<!WEB[-_. ])``; ``(?<=X[..]?)`` becomes ``(?:(?<=X)|(?<=X[..]))``."""

    def rewrite(match: re.Match[str]) -> str:
        kind, text, chars = match.groups()
        if kind == "!":
            return f"(?<!{text})(?<!{text}{chars})"
        return f"(?:(?<={text})|(?<={text}{chars}))"

    return _VARIABLE_LOOKBEHIND.sub(rewrite, pattern)


@dataclass(frozen=True)
class ReleaseInput:
    """CustomFormatInput: what the specifications look at."""

    title: str
    language_ids: tuple[int, ...]
    original_language_id: int  # UNKNOWN_ID when the item has none


def _field(spec: Mapping[str, Any], name: str) -> Any:
    for entry in spec.get("fields") or []:
        if entry.get("name") == name:
            return entry.get("value")
    return None


def _satisfied_without_negate(spec: Mapping[str, Any], release: ReleaseInput) -> bool:
    implementation = spec.get("implementation")
    if implementation == "LanguageSpecification":
        value = int(_field(spec, "value") or 0)
        compared = (
            release.original_language_id
            if value == ORIGINAL_ID and release.original_language_id != UNKNOWN_ID
            else value
        )
        if _field(spec, "exceptLanguage"):
            return any(language != compared for language in release.language_ids)
        return compared in release.language_ids
    if implementation == "ReleaseTitleSpecification":
        pattern = _field(spec, "value")
        if not isinstance(pattern, str) or not pattern.strip():
            return False
        return re.search(python_pattern(pattern), release.title, re.IGNORECASE) is not None
    return False  # a specification the fake does not play never matches


def specification_matches(spec: Mapping[str, Any], release: ReleaseInput) -> bool:
    """IsSatisfiedBy (LanguageSpecification's negate is the same inversion, written out)."""
    matched = _satisfied_without_negate(spec, release)
    return not matched if spec.get("negate") else matched


def format_matches(custom_format: Mapping[str, Any], release: ReleaseInput) -> bool:
    groups: dict[str, list[tuple[bool, bool]]] = {}
    for spec in custom_format.get("specifications") or []:
        groups.setdefault(str(spec.get("implementation")), []).append(
            (bool(spec.get("required")), specification_matches(spec, release))
        )
    return all(
        not any(required and not matched for required, matched in group)
        and any(matched for _, matched in group)
        for group in groups.values()
    )


def matched_formats(
    formats: Sequence[Mapping[str, Any]], release: ReleaseInput
) -> list[Mapping[str, Any]]:
    """ParseCustomFormat: the formats the release matches, ordered by name."""
    found = [cf for cf in formats if format_matches(cf, release)]
    return sorted(found, key=lambda cf: str(cf.get("name", "")).casefold())


def format_score(profile: Mapping[str, Any], formats: Sequence[Mapping[str, Any]]) -> int:
    """QualityProfile.CalculateCustomFormatScore."""
    ids = {cf.get("id") for cf in formats}
    return sum(
        int(item["score"]) for item in profile.get("formatItems") or [] if item["format"] in ids
    )


def quality_index(profile: Mapping[str, Any], quality_id: int) -> tuple[int, bool]:
    """QualityProfile.GetIndex (without the group order) and whether that item is allowed."""
    items = profile.get("items") or []
    for index, item in enumerate(items):
        quality = item.get("quality")
        if quality is not None and quality.get("id") == quality_id:
            return index, bool(item.get("allowed"))
        for member in item.get("items") or []:
            if member["quality"]["id"] == quality_id:
                return index, bool(item.get("allowed"))
    return 0, bool(items and items[0].get("allowed"))


@dataclass
class Decision:
    """One release judged for one item: a DownloadDecision with what the resource shows."""

    title: str
    position: int  # the order the releases were given in: the last tie-breaker
    quality: str
    quality_id: int
    revision: int
    languages: list[dict[str, Any]]  # [{"id", "name"}]
    formats: list[Mapping[str, Any]]
    score: int
    quality_index: int
    rejections: list[tuple[str, str]] = field(default_factory=list)  # (reason, message)

    @property
    def approved(self) -> bool:
        return not self.rejections


def rejections(
    profile: Mapping[str, Any],
    *,
    app: str,
    quality: str,
    allowed: bool,
    languages: Sequence[Mapping[str, Any]],
    original: Mapping[str, Any],
    formats: Sequence[Mapping[str, Any]],
    score: int,
) -> list[tuple[str, str]]:
    """The permanent rejections of the specifications the fake plays, in this order."""
    found: list[tuple[str, str]] = []
    if not allowed:
        found.append(("qualityNotWanted", f"{quality} is not wanted in profile"))
    wanted = profile.get("language") if app == "radarr" else None
    names = [str(language["name"]) for language in languages]
    if isinstance(wanted, Mapping) and wanted.get("id") != -1:
        found_text = ", ".join(names)
        if wanted.get("id") == ORIGINAL_ID:
            if original.get("id") not in [language["id"] for language in languages]:
                message = (
                    f"Original Language ({original.get('name')}) is wanted, but found {found_text}"
                )
                found.append(("wantedLanguage", message))
        elif wanted.get("id") not in [language["id"] for language in languages]:
            found.append(
                ("wantedLanguage", f"{wanted.get('name')} is wanted, but found {found_text}")
            )
    minimum = int(profile.get("minFormatScore") or 0)
    if score < minimum:
        whose = "Series" if app == "sonarr" else "Movie's"
        listed = ", ".join(str(cf.get("name")) for cf in formats)
        message = (
            f"Custom Formats {listed} have score {score} below {whose} profile minimum {minimum}"
        )
        found.append(("customFormatMinimumScore", message))
    return found


def prioritized(decisions: Sequence[Decision]) -> list[Decision]:
    """PrioritizeDecisions with the comparers that differ between the fake's releases."""
    return sorted(
        decisions,
        key=lambda d: (d.quality_index, d.revision, d.score, -d.position),
        reverse=True,
    )


def best(decisions: Sequence[Decision]) -> Decision | None:
    """The release a search grabs: the first approved of the prioritized decisions."""
    return next((d for d in prioritized(decisions) if d.approved), None)
