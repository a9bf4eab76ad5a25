"""What each person of the household will hear, before anything is sent (issue 70, item
4: the dry run): per kind, how many episodes (series) and files (movies) end in each
outcome of scanner.engine.track_choice, and the items per outcome, a bounded page of
them. The sentences: scanner.household.dry_run_sentences.

One pass over the library's files, read as plain values in chunks (one query per
chunk, the item's fields joined in: no query per item), the choice made per file from
its stored tracks as the verdict judges them (``lat``, settled varieties): the engine's
decision (scanner.engine.file_choice), as the step that sets the tracks in Plex takes it.
A file with the same tracks as the one before (the episodes of a season) reuses its
choice.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import TextField
from django.db.models.functions import Cast

from scanner.engine.listener import Listener
from scanner.engine.track_choice import ChoiceOutcome, Doubt, TrackChoice, want_of
from scanner.engine.tracks import AudioTrack
from scanner.household.file_rows import choose_for_row, judged_row
from scanner.models import Media, MediaFile

CHUNK = 2000  # files per query
ITEMS_PER_OUTCOME = 50  # items listed per kind and outcome in the summary
MAX_PAGE = 200


@dataclass(frozen=True, slots=True)
class OutcomeCount:
    """How many episodes (a series) or files (a movie) of ``kind`` end in ``outcome``
    with ``language`` (the voice chosen, or the language in doubt)."""

    kind: str
    outcome: ChoiceOutcome
    language: str | None
    count: int


@dataclass(frozen=True, slots=True)
class ItemOutcome:
    """One item's episodes (or files) that end in one outcome with one language."""

    media_id: int
    title: str
    kind: str
    outcome: ChoiceOutcome
    language: str | None
    doubt: Doubt | None
    count: int


@dataclass(frozen=True, slots=True)
class PersonTracks:
    """The dry run for one person: the counts, and per (kind, outcome) the first items
    (``ITEMS_PER_OUTCOME``) with how many items there are in all."""

    name: str
    counts: tuple[OutcomeCount, ...]
    items: Mapping[tuple[str, ChoiceOutcome], tuple[ItemOutcome, ...]]
    item_totals: Mapping[tuple[str, ChoiceOutcome], int]

    def total(self, kind: str, outcome: ChoiceOutcome) -> int:
        return sum(c.count for c in self.counts if (c.kind, c.outcome) == (kind, outcome))


def person_tracks(
    listener: Listener,
    instance_id: int | None = None,
    per_outcome: int = ITEMS_PER_OUTCOME,
    on_file: Callable[[str, tuple[AudioTrack, ...], str | None], None] | None = None,
) -> PersonTracks:
    """The dry run of ``listener`` over the library (one instance's, when given);
    ``on_file`` as item_outcomes calls it."""
    counts: Counter[tuple[str, ChoiceOutcome, str | None]] = Counter()
    items: dict[tuple[str, ChoiceOutcome], list[ItemOutcome]] = {}
    totals: Counter[tuple[str, ChoiceOutcome]] = Counter()
    for item in item_outcomes(listener, instance_id, on_file):
        counts[item.kind, item.outcome, item.language] += item.count
        key = (item.kind, item.outcome)
        totals[key] += 1
        listed = items.setdefault(key, [])
        if len(listed) < per_outcome:
            listed.append(item)
    return PersonTracks(
        listener.name,
        tuple(
            OutcomeCount(kind, outcome, language, count)
            for (kind, outcome, language), count in sorted(counts.items(), key=_count_order)
        ),
        {key: tuple(listed) for key, listed in items.items()},
        dict(totals),
    )


def outcome_page(
    listener: Listener,
    kind: str,
    outcome: ChoiceOutcome,
    offset: int = 0,
    limit: int = ITEMS_PER_OUTCOME,
    instance_id: int | None = None,
) -> tuple[ItemOutcome, ...]:
    """The items of one kind and outcome, ``limit`` (at most ``MAX_PAGE``) from ``offset``."""
    limit, offset = max(0, min(limit, MAX_PAGE)), max(0, offset)
    page: list[ItemOutcome] = []
    seen = 0
    for item in item_outcomes(listener, instance_id):
        if (item.kind, item.outcome) != (kind, outcome):
            continue
        seen += 1
        if seen > offset:
            page.append(item)
            if len(page) >= limit:
                break
    return tuple(page)


# The report's own read of a file: the tracks as the database's JSON text, so that the
# many files of a library that share one layout are decoded and judged once (bench/
# person_tracks.py: JSON decoding, the track values and the choice were nine tenths of
# a pass, about 60 µs a file).
_TEXT_FIELDS = (
    "media_id",
    "episodes",
    "audio_text",
    "subtitle_text",
    "media__kind",
    "media__title",
    "media__original_language",
    "media__original_override",
    "settled_text",
    "media__instance__lat_is_latino",
)
CHOICES_KEPT = 20_000  # distinct layouts remembered in one pass (bounded memory)


def item_outcomes(
    listener: Listener,
    instance_id: int | None = None,
    on_file: Callable[[str, tuple[AudioTrack, ...], str | None], None] | None = None,
) -> Iterator[ItemOutcome]:
    """Per item (in title order), one value per outcome and language its files end in.
    ``on_file``: called with each file's kind and audio as the choice judged it, so that
    one pass counts the library's facts too (scanner.household.counts)."""
    files = MediaFile.objects.exclude(result=MediaFile.Result.ERROR).exclude(audio_tracks=[])
    if instance_id is not None:
        files = files.filter(media__instance_id=instance_id)
    rows = (
        files.order_by("media__title", "media_id", "id")
        .annotate(
            audio_text=Cast("audio_tracks", TextField()),
            subtitle_text=Cast("subtitle_tracks", TextField()),
            settled_text=Cast("media__settled_varieties", TextField()),
        )
        .values_list(*_TEXT_FIELDS)
    )
    current: int | None = None
    tally: Counter[tuple[ChoiceOutcome, str | None, Doubt | None]] = Counter()
    title = kind = ""
    choices: dict[tuple[Any, ...], tuple[TrackChoice, tuple[AudioTrack, ...]]] = {}
    for row in rows.iterator(chunk_size=CHUNK):
        media_id, episodes, audio, subtitles, row_kind, row_title = row[:6]
        original, override, settled, lat = row[6:]
        if media_id != current:
            yield from _flush(current, title, kind, tally)
            current, title, kind = media_id, row_title, row_kind
            tally = Counter()
        want = want_of(listener, row_kind, media_id)
        key = (audio, subtitles, want, override or original, settled, bool(lat), row_kind)
        kept = choices.get(key)
        if kept is None:
            if len(choices) >= CHOICES_KEPT:
                choices.clear()
            decoded = (
                media_id, None, json.loads(audio or "[]"), json.loads(subtitles or "[]"),
                row_kind, row_title, original, override, json.loads(settled or "{}"), lat,
            )  # fmt: skip
            judged = judged_row(decoded)
            kept = choices[key] = (
                choose_for_row(listener, decoded, judged),
                judged.audio,
            )
        choice, heard = kept
        if on_file is not None:
            on_file(row_kind, heard, (override or original) or None)
        weight = len(episodes) if row_kind == Media.Kind.SERIES and episodes else 1
        tally[choice.outcome, choice.language, choice.doubt] += weight
    yield from _flush(current, title, kind, tally)


def _flush(
    media_id: int | None,
    title: str,
    kind: str,
    tally: Counter[tuple[ChoiceOutcome, str | None, Doubt | None]],
) -> Iterator[ItemOutcome]:
    if media_id is None:
        return
    for (outcome, language, doubt), count in sorted(tally.items(), key=_tally_order):
        yield ItemOutcome(media_id, title, kind, outcome, language, doubt, count)


_ORDER = {outcome: index for index, outcome in enumerate(ChoiceOutcome)}


def _count_order(pair: tuple[tuple[str, ChoiceOutcome, str | None], int]) -> tuple[Any, ...]:
    (kind, outcome, language), count = pair
    return (kind, _ORDER[outcome], -count, language or "")


def _tally_order(
    pair: tuple[tuple[ChoiceOutcome, str | None, Doubt | None], int],
) -> tuple[Any, ...]:
    (outcome, language, doubt), count = pair
    return (_ORDER[outcome], -count, language or "", doubt or "")
