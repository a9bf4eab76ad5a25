"""Dub arrivals and losses: which target languages each episode's file has, as a person
last heard of it, against what it has now.

A *snapshot* is an item's files as the last real scan announced them, per episode (a
file holding a double episode stands for both), keyed so that a replacement with another
file name (an upgrade) is still the same episode: ``"S:E"`` for an episode, ``"movie"``
for a film's one counted file, ``"S|path"`` for a series file without an episode number.
Only what the verdict's reasons say is used, so no file is read to tell the news.

Compared are only the languages that are targets both then and now: adding a target or
setting an original language makes no news; neither does a file that went away (a
deleted episode is no loss) or one that could not be read. An episode whose file went
away stays in the snapshot, so that its next file, without the dub, is still a loss.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from scanner.engine.languages import language_name

ARRIVED, LOST = "arrived", "lost"
MOVIE_KEY = "movie"
_Group = tuple[str, str, int | None]  # kind, language, season


@dataclass(frozen=True, slots=True)
class Replacement:
    """One episode's file then and now (``old`` None: the episode had no file)."""

    episode: int | None
    old: str | None
    new: str


@dataclass(frozen=True, slots=True)
class DubChange:
    kind: str  # ARRIVED or LOST
    language: str  # canonical code
    season: int | None  # None: a film, or files outside any season
    episodes: tuple[int, ...]
    files: tuple[Replacement, ...]
    season_complete: bool  # arrived: every counted file of the season has it now

    def to_data(self) -> dict[str, Any]:
        return {
            "change": self.kind,
            "language": self.language,
            "season": self.season,
            "episodes": list(self.episodes),
            "files": [
                {"episode": each.episode, "old": each.old, "new": each.new} for each in self.files
            ],
            "season_complete": self.season_complete,
        }


def snapshot(reasons: Mapping[str, Any], *, movie: bool) -> dict[str, Any] | None:
    """The item's files and the targets each has, from its verdict's reasons; None when
    no counted file could be read (nothing is known, so nothing changes)."""
    targets = sorted(reasons.get("targets") or [])
    files: dict[str, list[Any]] = {}
    for block in reasons.get("seasons") or []:
        season = block.get("season")
        for row in block.get("files") or []:
            if row.get("error"):
                continue
            missing = set(row.get("missing") or [])
            has = [code for code in targets if code not in missing]
            for key in _keys(season, row, movie=movie):
                files[key] = [row.get("path", ""), has]
    if not files:
        return None
    return {"targets": targets, "files": files}


def _keys(season: int | None, row: Mapping[str, Any], *, movie: bool) -> list[str]:
    if movie:
        return [MOVIE_KEY]
    episodes = row.get("episodes") or []
    if episodes and season is not None:
        return [f"{season}:{episode}" for episode in episodes]
    return [f"{season}|{row.get('path', '')}"]


def changes(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> list[DubChange]:
    """What arrived and what was lost, one change per language, kind and season."""
    if before is None or after is None:
        return []
    common = sorted(set(before.get("targets", [])) & set(after.get("targets", [])))
    old_files = before.get("files", {})
    found: dict[_Group, list[tuple[int | None, Replacement]]] = defaultdict(list)
    for key, (name, has) in after.get("files", {}).items():
        old = old_files.get(key)
        season, episode = _season_episode(key)
        for language in common:
            had = old is not None and language in old[1]
            now = language in has
            if had == now:
                continue
            kind = ARRIVED if now else LOST
            swap = Replacement(episode, old[0] if old is not None else None, name)
            found[(kind, language, season)].append((episode, swap))
    return [
        _change(kind, language, season, swaps, after)
        for (kind, language, season), swaps in sorted(found.items(), key=_order)
    ]


def _order(entry: tuple[_Group, Any]) -> tuple[Any, ...]:
    (kind, language, season), _ = entry
    return (season is None, season or 0, kind, language)


def _change(
    kind: str,
    language: str,
    season: int | None,
    swaps: list[tuple[int | None, Replacement]],
    after: Mapping[str, Any],
) -> DubChange:
    swaps.sort(key=lambda swap: (swap[0] is None, swap[0] or 0, swap[1].new))
    episodes = tuple(sorted({episode for episode, _ in swaps if episode is not None}))
    complete = False
    if kind == ARRIVED and season is not None:
        in_season = [
            has for key, (_, has) in after["files"].items() if _season_episode(key)[0] == season
        ]
        complete = all(language in has for has in in_season)
    # A double episode's file is one replacement, named once.
    files: dict[str, Replacement] = {}
    for _, swap in swaps:
        files.setdefault(swap.new, swap)
    return DubChange(kind, language, season, episodes, tuple(files.values()), complete)


def _season_episode(key: str) -> tuple[int | None, int | None]:
    if key == MOVIE_KEY:
        return None, None
    if ":" in key:
        season, _, episode = key.partition(":")
        return int(season), int(episode)
    season = key.partition("|")[0]
    return (None if season == "None" else int(season)), None


def merged(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> Any:
    """The snapshot to keep after announcing: today's files, and the episodes whose file
    went away as they were (for the targets they were judged against)."""
    if after is None:
        return before
    if before is None or before.get("targets") != after.get("targets"):
        return dict(after)
    kept = {
        key: value
        for key, value in before.get("files", {}).items()
        if key == MOVIE_KEY or ":" in key  # episodes and the film; not renamed stray files
    }
    return {"targets": after["targets"], "files": {**kept, **after["files"]}}


def describe(change: DubChange, title: str) -> str:
    """One line for the history, the feed and the notifications."""
    language = language_name(change.language)
    where = episode_list(change.season, change.episodes)
    verb = "arrived" if change.kind == ARRIVED else "lost"
    text = f"{title}: {language} {verb}" + (f" in {where}" if where else "")
    if change.season_complete:
        text += f" (season {change.season} now complete)"
    if change.kind == LOST:
        swaps = [f"{each.old} replaced by {each.new}" for each in change.files if each.old]
        if swaps:
            text += ": " + "; ".join(swaps[:3]) + ("; ..." if len(swaps) > 3 else "")
    return text


def episode_list(season: int | None, episodes: Iterable[int]) -> str:
    """``S02E01-E03, S02E05``; ``season 2`` for files without episode numbers; "" for a film."""
    numbers = sorted(set(episodes))
    if season is None:
        return ""
    if not numbers:
        return f"season {season}"
    runs: list[list[int]] = []
    for number in numbers:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return ", ".join(_episode_run(season, run) for run in runs)


def _episode_run(season: int, run: list[int]) -> str:
    first = f"S{season:02d}E{run[0]:02d}"
    return first + (f"-E{run[-1]:02d}" if len(run) > 1 else "")
