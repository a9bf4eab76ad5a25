"""tagging-rules.md, "Per-language tags and subtitles": each target language on its
own, subtitles, and per-season coverage, over an item's judged files.

The summary verdict (verdict.py) stays as it is; these add, per target language L,
whether every counted file has L (``dub``), some do (``semi-dub``) or none; the
same for full subtitle tracks (``sub``, ``semi-sub``); and how many counted files
of each season have L. A file's audio verdict never depends on its subtitles.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import StrEnum

from scanner.engine.targets import label_code, meets
from scanner.engine.verdict import FileResult, Tag


class SubtitleTag(StrEnum):
    SUB = "sub"
    SEMI_SUB = "semi-sub"
    NONE = "none"


Coverage = dict[str, tuple[int, int]]  # language -> (counted files with it, counted files)


def _readable(results: Iterable[FileResult]) -> list[FileResult]:
    return [result for result in results if result.error is None]


def _tally(
    readable: Sequence[FileResult], language: str, subtitles: bool, unknown_counts: bool = False
) -> int:
    """Files with ``language``: in their audio as the verdict judged it (``language`` is
    one of the item's targets, engine.targets), or in their full subtitles (as
    engine.targets judges a regional target: ``unknown_counts``, the instance's option)."""
    if subtitles:
        return sum(meets(language, result.subtitle_voices, unknown_counts) for result in readable)
    return sum(language not in result.missing for result in readable)


def language_tags(results: Iterable[FileResult]) -> dict[str, Tag]:
    """Per target of the item (engine.targets: the original is none), ``dub``,
    ``semi-dub`` or ``none``. Empty when no counted file could be read."""
    readable = _readable(results)
    if not readable:
        return {}
    tags = {}
    for language in sorted(readable[0].targets):
        having = _tally(readable, language, subtitles=False)
        tags[language] = (
            Tag.DUB if having == len(readable) else Tag.SEMI_DUB if having else Tag.NONE
        )
    return tags


def subtitle_tags(
    results: Iterable[FileResult], targets: Iterable[str], *, unknown_variety_counts: bool = False
) -> dict[str, SubtitleTag]:
    """Per target language (the original included: subtitles in it help too), ``sub``
    when every counted file has a full subtitle track in it, ``semi-sub`` when some do.
    A regional target (``pt-BR``) is met as engine.targets says, with the instance's
    ``unknown_variety_counts``."""
    readable = _readable(results)
    if not readable:
        return {}
    tags = {}
    for language in sorted(set(targets)):
        having = _tally(readable, language, subtitles=True, unknown_counts=unknown_variety_counts)
        tags[language] = (
            SubtitleTag.SUB
            if having == len(readable)
            else SubtitleTag.SEMI_SUB
            if having
            else SubtitleTag.NONE
        )
    return tags


def coverage(results: Iterable[FileResult]) -> Coverage:
    """Per target of the item (engine.targets: the original is none): counted files with
    it, of the counted files that could be read."""
    readable = _readable(results)
    if not readable:
        return {}
    return {
        language: (_tally(readable, language, subtitles=False), len(readable))
        for language in sorted(readable[0].targets)
    }


def season_coverage(results: Iterable[FileResult]) -> dict[int | None, Coverage]:
    by_season: dict[int | None, list[FileResult]] = {}
    for result in results:
        by_season.setdefault(result.season, []).append(result)
    return {season: coverage(files) for season, files in by_season.items()}


def render_label(template: str, language: str) -> str:
    """``dub-{lang}`` for German -> ``dub-de``; for the target fr-CA -> ``dub-fr-ca``
    (engine.targets.label_code)."""
    return template.replace("{lang}", label_code(language))
