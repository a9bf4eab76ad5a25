"""What an item's badges say (issue 95), from what Taggarr decided about it: one badge
per target it is dubbed in, in the instance's order of targets, named as the household
names it (the variety's release word, VFQ, VFF, Latino, Castellano; else the tag labels'
code, DE, PT-BR); a partial dub marked as such; the original's and the subtitles' only
when asked. A flag names a country, not a language: the badges are words.

Pure Python: the verdicts are Media.language_verdicts and subtitle_verdicts ("dub",
"semi-dub", "none"; "sub", "semi-sub", "none"), keyed by target."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Final

from scanner.engine.languages import among, canonical
from scanner.engine.targets import label_code
from scanner.engine.varieties import VARIETY_WORDS

DUB: Final = "dub"
SEMI: Final = "semi"  # a partial dub: some files or seasons only
ORIGINAL: Final = "original"
SUB: Final = "sub"
KINDS: Final = (DUB, SEMI, ORIGINAL, SUB)
MOST: Final = 6  # badges on one poster at most: past it they would hide the poster
MAX_TEXT: Final = 12  # characters of one badge's word


@dataclass(frozen=True, slots=True)
class Badge:
    text: str
    kind: str
    code: str = ""  # its target's tag label code (fr-ca, de): the flag drawn on request


def word_of(target: str) -> str:
    """A target as its badge says it: VFQ for fr-CA, DE for deu, PT-BR for pt-BR."""
    word = VARIETY_WORDS.get(target) or label_code(target).upper()
    return word[:MAX_TEXT]


def badges_of(
    verdicts: Mapping[object, object],
    subtitle_verdicts: Mapping[object, object] | None = None,
    *,
    order: Sequence[object] = (),
    original: str = "",
    with_original: bool = False,
    with_subtitles: bool = False,
) -> tuple[Badge, ...]:
    """The item's badges, in order: its dubs (``dub`` or ``semi``), then the original's
    (``original``: its language code, when asked and known), then the subtitles'; at
    most MOST. The targets come in ``order`` (the item's targets, as decided), then any
    other in its code's order: PostgreSQL keeps a JSON object's keys in an order of its
    own, never the order they were written in. Anything but a known verdict is no badge
    (the stored JSON is not trusted)."""
    said: list[Badge] = []
    for target, verdict in _ordered(verdicts, order):
        if verdict == "dub":
            said.append(Badge(word_of(target), DUB, label_code(target)))
        elif verdict == "semi-dub":
            said.append(Badge(word_of(target), SEMI, label_code(target)))
    if with_original and original:
        said.append(Badge(word_of(original), ORIGINAL, label_code(original)))
    if with_subtitles and subtitle_verdicts:
        for target, verdict in _ordered(subtitle_verdicts, order):
            if verdict in ("sub", "semi-sub"):
                said.append(Badge(word_of(target), SUB, label_code(target)))
    return tuple(dict.fromkeys(said))[:MOST]


def _ordered(
    verdicts: Mapping[object, object], order: Sequence[object]
) -> list[tuple[str, object]]:
    """The verdicts of text targets, those of ``order`` first in its order, then the rest
    by code."""
    named = {
        target: verdict
        for target, verdict in verdicts.items()
        if isinstance(target, str) and target
    }
    # A stored list may hold anything (a list, a dict: unhashable): text targets only.
    first = list(dict.fromkeys(t for t in order if isinstance(t, str) and t in named))
    rest = sorted(target for target in named if target not in first)
    return [(target, named[target]) for target in (*first, *rest)]


def item_badges(
    language_verdicts: object,
    verdict_reasons: object,
    subtitle_verdicts: object = None,
    *,
    original: str = "",
    with_original: bool = False,
    with_subtitles: bool = False,
) -> tuple[Badge, ...]:
    """An item's badges from what is stored of it (Media.language_verdicts,
    subtitle_verdicts and verdict_reasons, whose "targets" is the order its targets were
    decided in): its dubs; when asked, its original (``original``: its language, said
    only when every file read holds it: ``original_held``) and its subtitles. Anything
    but a mapping is none."""
    verdicts = language_verdicts if isinstance(language_verdicts, Mapping) else {}
    subtitles = subtitle_verdicts if isinstance(subtitle_verdicts, Mapping) else {}
    reasons = verdict_reasons if isinstance(verdict_reasons, Mapping) else {}
    targets = reasons.get("targets")
    held = with_original and original_held(reasons, original)
    return badges_of(
        verdicts,
        subtitles,
        order=targets if isinstance(targets, list) else (),
        original=original if held else "",
        with_original=held,
        with_subtitles=with_subtitles,
    )


def original_held(verdict_reasons: object, original: str) -> bool:
    """Whether every file of the item read holds its original language's audio (the
    files' counted "languages", engine.verdict._per_season); false when none was read."""
    code = canonical(original)
    files = [file for _season, file in _files(verdict_reasons)]
    if code is None or not files:
        return False
    return all(among(code, _codes(file.get("languages"))) for file in files)


def seasons_of(verdict_reasons: object) -> list[int]:
    """The season numbers an item's files were judged in (verdict_reasons' "seasons",
    engine.verdict._per_season), in order; none for a film."""
    reasons = verdict_reasons if isinstance(verdict_reasons, Mapping) else {}
    seasons = reasons.get("seasons")
    numbers = (
        row.get("season") for row in (seasons if isinstance(seasons, list) else ())
        if isinstance(row, Mapping)
    )  # fmt: skip
    return sorted({n for n in numbers if isinstance(n, int) and not isinstance(n, bool)})


def season_badges(verdict_reasons: object, season: int) -> tuple[Badge, ...]:
    """A season's badges, from its files as judged (verdict_reasons' "seasons": each
    file's targets ``missing``; a file that could not be read is not counted): a target
    every counted file of the season holds is a dub, one some hold a partial dub."""
    reasons = verdict_reasons if isinstance(verdict_reasons, Mapping) else {}
    targets = [t for t in reasons.get("targets") or () if isinstance(t, str) and t]
    files = [file for number, file in _files(reasons) if number == season]
    verdicts: dict[object, object] = {}
    for target in targets:
        held = [target not in _listed(file.get("missing")) for file in files]
        verdicts[target] = "dub" if held and all(held) else "semi-dub" if any(held) else "none"
    return badges_of(verdicts, order=targets)


def digest(badges: tuple[Badge, ...], style: object) -> str:
    """What the badges say and how they look, as one digest: a poster is drawn again only
    when it changes (an unchanged rescan draws and sends nothing)."""
    said = {"badges": [asdict(badge) for badge in badges], "style": repr(style)}
    return hashlib.sha256(json.dumps(said, sort_keys=True).encode()).hexdigest()


def _listed(value: object) -> list[object]:
    return value if isinstance(value, list) else []


def _files(verdict_reasons: object) -> list[tuple[object, Mapping[str, object]]]:
    """(season, file) of every file read (verdict_reasons' "seasons"; one that could not
    be read is left out). Stored JSON: anything else is nothing."""
    reasons = verdict_reasons if isinstance(verdict_reasons, Mapping) else {}
    rows = reasons.get("seasons")
    found: list[tuple[object, Mapping[str, object]]] = []
    for row in rows if isinstance(rows, list) else ():
        listed = row.get("files") if isinstance(row, Mapping) else None
        if isinstance(listed, list):
            found += [
                (row.get("season"), f)
                for f in listed
                if isinstance(f, Mapping) and not f.get("error")
            ]
    return found


def _codes(value: object) -> list[str]:
    """Stored language codes, canonical (ISO 639-3); any other value left out."""
    codes = (canonical(code) for code in _listed(value) if isinstance(code, str))
    return [code for code in codes if code]
