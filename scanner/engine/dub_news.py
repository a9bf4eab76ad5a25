"""Dub arrivals and losses: which target languages each episode's file has, as a person
last heard of it, against what it has now.

A *snapshot* is an item's files as a scan saw them, per episode (a file holding a
double episode stands for both), keyed so that a replacement with another file name (an
upgrade) is still the same episode: ``"S:E"`` for an episode, ``"movie"`` for a film's
one counted file, ``"S|path"`` for a series file without an episode number. Each file
keeps its audio tracks as the file declares them (language or None, whether the track
is not programme audio, and its variety or None), not what they were judged to be: both sides of a
comparison are judged with today's settings and decisions (``Hearing``), so a person
naming an original language or the unknown tracks' language, or adding a target, makes
no news and swallows none; only files that changed do.

Neither does a file that went away (a deleted episode is no loss) or one that could not
be read. An episode whose file went away stays in the snapshot, so that its next file,
without the dub, is still a loss.

A regional target (``fr-CA``) is met by a track's variety, which a snapshot of version 2
did not keep: where a file's earlier tracks have no variety recorded, what its regional
targets are now is recorded without news (the variety then was unknown, not absent),
so that an upgrade tells no "VFQ arrived" for a file that always had it.

Only a file that changed on disk is news (issue 68). A file told before that is still
the same file (its name and size, and its modification time where both sides were read
from the file itself: the *arr's word carries its import time instead) but is judged
otherwise now was only learned better: its variety read from the file where the *arr's
media info named none, the *arr's media info analysed again, the rules' reading of the
same tracks. That is a *correction*: no news, and the snapshot kept from then on is the
corrected one, so that a later real change is told against what the file really holds.
A snapshot of version 3 kept a file's size from issue 61 on, its modification time from
issue 68 on; a file whose size was not kept is compared by its tracks, as before. An
external audio file beside the video (its track keeps the file's name) is part of the
file: one added or removed is a change on disk.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from scanner.engine.file_varieties import latin_as_latino, settle_varieties
from scanner.engine.guesses import with_unknown_as
from scanner.engine.language_value import parse_all
from scanner.engine.targets import is_regional, item_targets, target_name
from scanner.engine.tracks import AudioTrack, FileTracks
from scanner.engine.verdict import Policy, heard_voices

ARRIVED, LOST = "arrived", "lost"
MOVIE_KEY = "movie"
# 1 kept the judged target languages; 2 keeps the tracks; 3 their varieties too (and,
# after them, each file's size and its modification time when read from the file)
VERSION = 3
_Group = tuple[str, str, int | None]  # kind, language, season
# Per track, in order: language, not programme, variety (a version 2 track has no third);
# an external audio file's track (tagging-rules.md, "External audio files") also its
# file's name, fourth: an audio file added or removed beside an unchanged video is a
# change on disk, news like a new file.
Said = tuple[str | None, bool, str | None]
Track = Said | tuple[str | None, bool, str | None, str]
Audio = tuple[Track, ...]
Hearing = Callable[[Audio], frozenset[str]]  # the item's targets a file's audio has


@dataclass(frozen=True, slots=True)
class SeenFile:
    """One counted, readable file as a scan saw it."""

    path: str  # as people read it (a name that is not UTF-8: U+FFFD), kept in JSON
    season: int | None
    episodes: tuple[int, ...]
    audio: Audio
    size: int | None = None  # bytes; a snapshot keeps it so a loss can tell a new file's
    # Its modification time (ns) when its tracks were read from the file itself; None
    # when they are the *arr's word, whose time is its import's (not comparable).
    modified_ns: int | None = None


def seen_audio(tracks: Iterable[AudioTrack]) -> Audio:
    """The tracks as news keeps them; an external audio file (numbered after the file's
    own) only when its name says its language: one that does not never counts."""
    ordered = sorted(
        (track for track in tracks if track.file is None or track.language is not None),
        key=lambda track: track.position,
    )
    return tuple(
        (track.language, track.is_commentary, track.variety)
        if track.file is None
        else (track.language, track.is_commentary, track.variety, track.file)
        for track in ordered
    )


def as_track(track: Sequence[Any]) -> Said:
    """A snapshot's track (a JSON list; version 2 has no variety) as a value."""
    return (track[0], bool(track[1]), track[2] if len(track) > 2 else None)


def varieties_recorded(audio: Sequence[Sequence[Any]]) -> bool:
    """Whether a snapshot's file kept its tracks' varieties (version 3 on)."""
    return all(len(track) > 2 for track in audio)


def audio_tracks(audio: Sequence[Sequence[Any]]) -> tuple[AudioTrack, ...]:
    """A snapshot's tracks back as values the verdict judges."""
    return tuple(
        AudioTrack(
            position=position, raw_language=language, language=language, title=None,
            default=position == 1, forced=False, is_commentary=not_programme,
            variety=variety, variety_source="snapshot" if variety else None,
        )
        for position, (language, not_programme, variety) in enumerate(map(as_track, audio), 1)
    )  # fmt: skip


def hearing(
    targets: Iterable[str],
    original: str | None,
    policy: Policy,
    unknown_language: str = "",
    *,
    lat_is_latino: bool = False,
    settled: Mapping[str, str] | None = None,
) -> Hearing:
    """The item's targets (engine.targets: never its original) a file's audio has, as the
    verdict judges its files: the tracks that count (the policy, a person's language for
    the tracks without one, ``lat`` as Latin-American Spanish when the instance says so,
    a person's word on the tracks of unknown variety)
    against the same targets, a regional one by the tracks' varieties."""
    item = item_targets(targets, original, policy.unknown_variety_counts)

    def heard(audio: Audio) -> frozenset[str]:
        tracks = audio_tracks(audio)
        if lat_is_latino:
            tracks = latin_as_latino(FileTracks(tracks)).audio
        tracks = with_unknown_as(tracks, unknown_language)
        if settled:
            tracks = settle_varieties(tracks, settled)
        return item.met(parse_all(heard_voices(tracks, item.original, policy)))

    return heard


@dataclass(frozen=True, slots=True)
class Replacement:
    """One episode's file then and now (``old`` None: the episode had no file)."""

    episode: int | None
    old: str | None
    new: str
    old_size: int | None = None  # bytes, where the snapshots kept them
    new_size: int | None = None


@dataclass(frozen=True, slots=True)
class DubChange:
    kind: str  # ARRIVED or LOST
    language: str  # canonical code
    season: int | None  # None: a film, or files outside any season
    episodes: tuple[int, ...]
    files: tuple[Replacement, ...]
    season_complete: bool  # arrived: every counted file of the season has it now
    # When the earlier files were last told (the earlier snapshot's ``at``: ISO 8601,
    # Taggarr's clock), None when that snapshot did not say: a lost dub's grab counts as
    # its new file's only when the *arr imported it after then (scanner.searches).
    since: str | None = None

    def to_data(self) -> dict[str, Any]:
        return {
            "change": self.kind,
            "language": self.language,
            "season": self.season,
            "episodes": list(self.episodes),
            "files": [
                {
                    "episode": each.episode,
                    "old": each.old,
                    "new": each.new,
                    **(
                        {"old_size": each.old_size, "new_size": each.new_size}
                        if each.old == each.new and each.new_size is not None
                        else {}
                    ),
                }
                for each in self.files
            ],
            "season_complete": self.season_complete,
            **({"since": self.since} if self.since else {}),
        }


def snapshot(
    files: Iterable[SeenFile], *, movie: bool, at: str | None = None
) -> dict[str, Any] | None:
    """The item's readable files and their tracks; None when there is none (nothing is
    known, so nothing changes). ``at``: when (ISO 8601), kept as the snapshot's ``at``."""
    found: dict[str, list[Any]] = {}
    for file in files:
        for key in _keys(file, movie=movie):
            entry: list[Any] = [file.path, [list(track) for track in file.audio]]
            if file.size is not None or file.modified_ns is not None:
                entry.append(file.size)
            if file.modified_ns is not None:
                entry.append(file.modified_ns)
            found[key] = entry
    if not found:
        return None
    return {"v": VERSION, "files": found, **({"at": at} if at else {})}


def _keys(file: SeenFile, *, movie: bool) -> list[str]:
    if movie:
        return [MOVIE_KEY]
    if file.episodes and file.season is not None:
        return [f"{file.season}:{episode}" for episode in file.episodes]
    return [f"{file.season}|{file.path}"]


@dataclass(frozen=True, slots=True)
class Correction:
    """A told file, unchanged on disk, whose target languages are judged otherwise now."""

    path: str
    languages: tuple[str, ...]  # the targets it is now taken to have or lack otherwise
    read: bool  # learned by reading the file itself, where the *arr's word was kept before


@dataclass(frozen=True, slots=True)
class Comparison:
    changes: tuple[DubChange, ...]  # the news
    corrections: tuple[Correction, ...]  # no news: the same files, learned better


def changes(
    before: Mapping[str, Any] | None, after: Mapping[str, Any] | None, hearing: Hearing
) -> list[DubChange]:
    """What arrived and what was lost, one change per language, kind and season; both
    snapshots judged by the same ``hearing``."""
    return list(compare(before, after, hearing).changes)


def compare(
    before: Mapping[str, Any] | None, after: Mapping[str, Any] | None, hearing: Hearing
) -> Comparison:
    """The news (``changes``) and, apart, the files judged otherwise that did not change on
    disk (a file named once however many episodes it holds)."""
    if before is None or after is None:
        return Comparison((), ())
    since = before.get("at") if isinstance(before.get("at"), str) else None
    heard = _memo(hearing)
    old_files = before.get("files", {})
    found: dict[_Group, list[tuple[int | None, Replacement]]] = defaultdict(list)
    corrected: dict[str, Correction] = {}
    for key, entry in after.get("files", {}).items():
        name, audio = entry[0], entry[1]
        old = old_files.get(key)
        now = heard(audio)
        had = heard(old[1]) if old is not None else frozenset()
        differ = now ^ had
        if old is not None and not varieties_recorded(old[1]):
            # Its variety then unknown: what a regional target is now is no news.
            differ = frozenset(code for code in differ if not is_regional(code))
        if differ and old is not None and same_file(old, entry):
            read = _modified(entry) is not None and _modified(old) is None
            corrected.setdefault(name, Correction(name, tuple(sorted(differ)), read))
            continue
        season, episode = _season_episode(key)
        for language in sorted(differ):
            kind = ARRIVED if language in now else LOST
            swap = Replacement(
                episode, old[0] if old is not None else None, name, _size(old), _size(entry)
            )
            found[(kind, language, season)].append((episode, swap))
    told = tuple(
        dataclasses.replace(_change(kind, language, season, swaps, after, heard), since=since)
        for (kind, language, season), swaps in sorted(found.items(), key=_order)
    )
    return Comparison(told, tuple(corrected.values()))


def same_file(old: Sequence[Any], new: Sequence[Any]) -> bool:
    """Whether two snapshots' entries are one file unchanged on disk: the same name and
    size, and the same modification time where both were read from the file (the *arr's
    word carries its import time, not the file's). Without both sizes (a snapshot from
    before issue 61), it cannot tell: not the same."""
    old_size, new_size = _size(old), _size(new)
    if old[0] != new[0] or old_size is None or old_size != new_size:
        return False
    if _audio_files(old[1]) != _audio_files(new[1]):  # an audio file beside it came or went
        return False
    old_time, new_time = _modified(old), _modified(new)
    return old_time is None or new_time is None or old_time == new_time


def _audio_files(audio: Sequence[Sequence[Any]]) -> tuple[str, ...]:
    """The external audio files of a snapshot file's tracks (their fourth element)."""
    return tuple(str(track[3]) for track in audio if len(track) > 3)


def _size(entry: Sequence[Any] | None) -> int | None:
    """A snapshot file's size (its third element, kept since issue 61), or None (also
    for a size of 0: the *arr's word without one)."""
    if entry is None or len(entry) < 3 or not isinstance(entry[2], int) or entry[2] <= 0:
        return None
    return entry[2]


def _modified(entry: Sequence[Any]) -> int | None:
    """A snapshot file's modification time where it was read from the file (its fourth
    element, kept since issue 68), or None."""
    if len(entry) < 4 or not isinstance(entry[3], int) or isinstance(entry[3], bool):
        return None
    return entry[3]


def _memo(hearing: Hearing) -> Callable[[Sequence[Sequence[Any]]], frozenset[str]]:
    """Files share their few track layouts: each judged once."""
    known: dict[Audio, frozenset[str]] = {}

    def heard(audio: Sequence[Sequence[Any]]) -> frozenset[str]:
        key = tuple(map(as_track, audio))
        if key not in known:
            known[key] = hearing(key)
        return known[key]

    return heard


def _order(entry: tuple[_Group, Any]) -> tuple[Any, ...]:
    (kind, language, season), _ = entry
    return (season is None, season or 0, kind, language)


def _change(
    kind: str,
    language: str,
    season: int | None,
    swaps: list[tuple[int | None, Replacement]],
    after: Mapping[str, Any],
    heard: Callable[[Sequence[Sequence[Any]]], frozenset[str]],
) -> DubChange:
    swaps.sort(key=lambda swap: (swap[0] is None, swap[0] or 0, swap[1].new))
    episodes = tuple(sorted({episode for episode, _ in swaps if episode is not None}))
    complete = False
    if kind == ARRIVED and season is not None:
        complete = all(
            language in heard(audio)
            for key, (_, audio, *_rest) in after["files"].items()
            if _season_episode(key)[0] == season
        )
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
    went away as they were."""
    if after is None:
        return before
    if before is None:
        return dict(after)
    kept = {
        key: value
        for key, value in before.get("files", {}).items()
        if key == MOVIE_KEY or ":" in key  # episodes and the film; not renamed stray files
    }
    at = {"at": after["at"]} if after.get("at") else {}
    return {"v": VERSION, "files": {**kept, **after["files"]}, **at}


def from_version_1(old: Mapping[str, Any]) -> dict[str, Any]:
    """A snapshot of version 1 (per file the target languages it was judged to have) as
    version 2 and on: each file as if it had one labelled track per language it had,
    which today's settings judge the same way while they are the same (no variety:
    unknown, as in version 2)."""
    return {
        "v": VERSION,
        "files": {
            key: [path, [[code, False] for code in has]]
            for key, (path, has) in (old.get("files") or {}).items()
        },
    }


def describe(change: DubChange, title: str) -> str:
    """One line for the history, the feed and the notifications."""
    language = target_name(change.language)  # "French (fr-CA)" for a regional target
    where = episode_list(change.season, change.episodes)
    verb = "arrived" if change.kind == ARRIVED else "lost"
    text = f"{title}: {language} {verb}" + (f" in {where}" if where else "")
    if change.season_complete:
        text += f" (season {change.season} now complete)"
    if change.kind == LOST:
        swaps = [_swap_text(each) for each in change.files if each.old]
        if swaps:
            text += ": " + "; ".join(swaps[:3]) + ("; ..." if len(swaps) > 3 else "")
    return text


def _swap_text(each: Replacement) -> str:
    """The history's English: ``a new file (2.1 GB -> 1.4 GB)`` under the same name."""
    if each.old != each.new:
        return f"{each.old} replaced by {each.new}"
    if each.old_size is None or each.new_size is None:
        return f"{each.new}: a new file"
    return f"{each.new}: a new file ({_gb(each.old_size)} -> {_gb(each.new_size)})"


def _gb(size: int) -> str:
    return f"{size / 1024**3:.1f} GB" if size >= 1024**3 else f"{size / 1024**2:.1f} MB"


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
