"""Whether a custom format matches a release, as Sonarr and Radarr decide it, for the
profile guard (scanner.arr.profile_guard): a format is recognized by what its
conditions match, never by its name ("Québec" with a release-title condition on VFQ
keeps a VFQ like TRaSH's "VFQ" does).

The rule, Sonarr/Sonarr and Radarr/Radarr
``src/NzbDrone.Core/CustomFormats/CustomFormatCalculationService.cs``: a format's
conditions are grouped by kind; a group matches when none of its required conditions
fails and at least one of them matches; the format matches when every group does. A
condition's ``negate`` turns its answer over (``CustomFormatSpecificationBase``). Only
the Language and Release Title groups are weighed here; a format with neither matches
nothing. A Release Title condition (``RegexSpecificationBase.cs``) is a .NET regular
expression matched with ``RegexOptions.IgnoreCase`` against the release title.

The patterns come from the *arr, so from outside: one is evaluated only when Python's
``re`` reads it and it cannot backtrack without bound on a release title (no repeat
inside a repeat, no alternation inside a repeat, no back-reference, at most a few
open-ended repeats); any other makes its format unknown, which matches nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from re import _parser  # type: ignore[attr-defined]
from typing import Any

from scanner.arr.profiles import MAX_PATTERN, CustomFormat, LanguageCondition, TitleCondition

ORIGINAL = -2  # Language.cs: Original, the item's original language
# Open-ended repeats (more than this many times) a pattern may hold in all.
MAX_OPEN_REPEATS = 3
# Groups nested deeper than this are refused unread (TRaSH's deepest nest three or four).
MAX_NESTING = 30
_OPEN = 16
_NET_NAMED_GROUP = re.compile(r"\(\?<(?![=!])")
_REPEATS = ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")


@dataclass(frozen=True, slots=True)
class Release:
    """A release as a format sees it: its title and the *arr languages its name gives
    (by name, as Language.cs spells them), the item's original language with them."""

    title: str
    languages: tuple[str, ...]
    original: str = "English"


def matches(cf: CustomFormat, release: Release, languages: dict[int, str]) -> bool:
    """Whether ``cf`` matches ``release``; ``languages``: the *arr's ids and names."""
    groups: list[list[tuple[bool, bool]]] = []  # per group: (required, matched)
    if cf.languages:
        found = {name.casefold() for name in release.languages}
        groups.append([_language(c, found, release, languages) for c in cf.languages])
    if cf.titles:
        answers = []
        for condition in cf.titles:
            matched = _title(condition, release.title)
            if matched is None:
                return False  # a pattern not evaluated: the format is unknown
            answers.append((condition.required, matched))
        groups.append(answers)
    return bool(groups) and all(_group_matches(group) for group in groups)


def _group_matches(group: list[tuple[bool, bool]]) -> bool:
    return not any(required and not matched for required, matched in group) and any(
        matched for _, matched in group
    )


def _language(
    condition: LanguageCondition, found: set[str], release: Release, languages: dict[int, str]
) -> tuple[bool, bool]:
    name = (
        release.original
        if condition.language_id == ORIGINAL
        else languages.get(condition.language_id, "")
    )
    if condition.except_language:
        matched = any(each != name.casefold() for each in found)
    else:
        matched = name.casefold() in found
    return condition.required, matched != condition.negate


def _title(condition: TitleCondition, title: str) -> bool | None:
    compiled = compiled_pattern(condition.pattern)
    if compiled is None:
        return None
    return (compiled.search(title) is not None) != condition.negate


@lru_cache(maxsize=512)
def compiled_pattern(pattern: str) -> re.Pattern[str] | None:
    """``pattern`` (.NET's syntax) as Python's, case-insensitive; None when it is too
    long, Python cannot read it, or it could backtrack without bound."""
    if len(pattern) > MAX_PATTERN or _nesting(pattern) > MAX_NESTING:
        return None
    pattern = _NET_NAMED_GROUP.sub("(?P<", pattern)
    try:
        tree = _parser.parse(pattern, re.IGNORECASE)
        if _risky(tree, in_repeat=False, open_repeats=[0]):
            return None
        return re.compile(pattern, re.IGNORECASE)
    except (re.error, RecursionError, OverflowError, ValueError, TypeError):
        return None


def _nesting(pattern: str) -> int:
    """How deep the pattern's groups nest, escapes aside: a deep one is refused before
    Python's parser recurses into it (a RecursionError there also fails the collection
    of objects it leaves behind, outside any ``except``)."""
    depth = deepest = 0
    escaped = False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif char == ")":
            depth = max(0, depth - 1)
    return deepest


def _risky(tree: Any, *, in_repeat: bool, open_repeats: list[int]) -> bool:
    """Whether a parsed pattern could backtrack without bound (``open_repeats``: a
    counter shared by the whole pattern)."""
    for op, value in tree:
        name = str(op)
        if name.startswith("GROUPREF"):
            return True
        inner_repeat = in_repeat
        children: list[Any] = []
        if name in _REPEATS:
            _low, high, inner = value
            if high > 1 and in_repeat:
                return True
            if high > _OPEN:
                open_repeats[0] += 1
                if open_repeats[0] > MAX_OPEN_REPEATS:
                    return True
            inner_repeat = in_repeat or high > 1
            children = [inner]
        elif name == "BRANCH":
            if in_repeat:
                return True
            children = list(value[1])
        elif name == "SUBPATTERN":
            children = [value[-1]]
        elif name in ("ASSERT", "ASSERT_NOT"):
            children = [value[1]]
        elif name == "ATOMIC_GROUP":
            children = [value]
        if any(_risky(c, in_repeat=inner_repeat, open_repeats=open_repeats) for c in children):
            return True
    return False
