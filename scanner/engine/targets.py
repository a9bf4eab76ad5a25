"""The targets of one item (tagging-rules.md, "One file's result" and "Varieties"): the
instance's target languages minus the item's original language, and which of them a
file's tracks meet.

The one definition the verdict (its tags and reasons), the coverage (per item and per
season, through the verdict's file results), the per-language tags and the dub news
all judge with, so that no news is told, no coverage counted and no tag decided for
the original language.

A target is **plain** (``fra``: any French) or **regional** (``fr-CA``, ``es-419``,
``pt-BR``, ``yue``: a BCP-47 tag with a region or a script, or an ISO 639-3 individual
language of a macrolanguage, as engine.varieties normalises a track's tag). A plain
target and a language are compared as ``same_language`` does: a macrolanguage and one
of its individual languages are the same (a Chinese original leaves out a Mandarin
target, a Mandarin track meets a ``zh`` target). A regional target is met only by a
track known to be that variety; a track of its language whose variety is unknown
meets it only when the instance says so (``unknown_counts``), and one of another
variety never does. Both are still the target's language: neither makes a file wrong,
whatever other languages stand beside it. A regional target's language is the
macrolanguage of an individual one: Mandarin audio is another variety for a ``yue``
target, as ``fr-FR`` is for ``fr-CA``.

A track is seen here as its *voice*: its variety when one is known (``fr-CA``), else
its canonical language (``fra``). Targets and voices are read once into
engine.language_value's values (an item's targets when its ``ItemTargets`` is made, a
file's voices when they are judged) and the rules compare their fields; the functions
on strings are kept for the callers that hold one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from scanner.engine.language_value import LanguageValue, parse, parse_all
from scanner.engine.languages import (
    canonical,
    language_name,
    macrolanguage,
    same_language,
    short_code,
)
from scanner.errors import UnknownLanguageError

# UN M.49 region 419, Latin America and the Caribbean: its countries and territories
# (CLDR's territory containment of 005, 013 and 029). A track tagged es-MX is of the
# variety an es-419 target asks for; an es-419 track is not known to be es-MX.
LATIN_AMERICA: Final = frozenset((
    "BZ", "CR", "GT", "HN", "MX", "NI", "PA", "SV",  # 013, Central America
    "AR", "BO", "BR", "CL", "CO", "EC", "FK", "GF", "GY", "PE", "PY", "SR", "UY", "VE",  # 005
    "AG", "AI", "AW", "BB", "BL", "BQ", "BS", "CU", "CW", "DM", "DO", "GD", "GP", "HT",  # 029
    "JM", "KN", "KY", "LC", "MF", "MQ", "MS", "PR", "SX", "TC", "TT", "VC", "VG", "VI",
))  # fmt: skip
_CONTAINS: Final = {"419": LATIN_AMERICA}


@dataclass(frozen=True, slots=True)
class ItemTargets:
    """An item's targets, as its original language leaves them."""

    original: str | None  # canonical; None: unknown, and every target stays
    wanted: frozenset[str]  # the instance's targets minus the original
    original_is_target: bool  # the original is one of the instance's targets
    unknown_counts: bool = False  # a track of unknown variety meets a regional target
    # The canonical languages of the wanted targets (``fr-CA`` is French, ``yue`` is
    # Chinese): a track in one of them is never unexpected, whatever its variety, and a
    # file with one is never wrong (engine.verdict).
    languages: frozenset[str] = frozenset()
    regional: frozenset[str] = frozenset()  # the wanted targets that name a variety
    values: tuple[LanguageValue, ...] = ()  # the wanted targets, parsed

    def met(self, voices: Iterable[LanguageValue]) -> frozenset[str]:
        """The targets that a file's voices (engine.language_value.parse_all) meet."""
        heard = tuple(voices)
        return frozenset(
            target.code for target in self.values if met_by(target, heard, self.unknown_counts)
        )

    def unsure(self, voices: Iterable[LanguageValue]) -> frozenset[str]:
        """The regional targets whose answer a track of unknown variety decides."""
        if not self.regional:
            return frozenset()
        heard = tuple(voices)
        return frozenset(target.code for target in self.values if undecided(target, heard))


def target_value(value: object) -> LanguageValue | None:
    """A target as it is stored, parsed: the variety ``value`` names, when it names one
    (``fr-ca`` -> ``fr-CA``, ``zh-yue`` -> ``yue``); else its canonical language (``fr``
    -> ``fra``); None when it names no language, or a region no table knows
    (``fr-XX``). An individual language with its own ISO 639-1 code (``nb``, ``nn``,
    ``id``) stays a plain language, as before."""
    found = parse(value) if isinstance(value, str) else None
    return None if found is None else found.plain


def target_code(value: str) -> str | None:
    """``target_value``'s stored form (``fr-CA``, ``fra``), for the callers that hold a
    string."""
    found = target_value(value)
    return None if found is None else found.code


def is_regional(target: str) -> bool:
    """Whether a (stored) target names a variety: ``fr-CA``, ``yue``; not ``fra``."""
    found = parse(target)
    return found is not None and found.regional


def target_values(values: Iterable[object]) -> tuple[LanguageValue, ...]:
    """Targets as stored (``target_value``), duplicates dropped, order kept; raises
    ConfigError naming a value that names no language."""
    found: dict[str, LanguageValue] = {}
    for value in values:
        target = target_value(value)
        if target is None:
            raise UnknownLanguageError(value)
        found.setdefault(target.code, target)
    return tuple(found.values())


def validate_targets(values: Iterable[object]) -> list[str]:
    """Targets as stored (``target_code``), duplicates dropped, order kept; raises
    ConfigError naming a value that names no language."""
    return [target.code for target in target_values(values)]


def item_targets(
    targets: Iterable[str], original: str | None, unknown_counts: bool = False
) -> ItemTargets:
    """The targets of an item with this original language (in any accepted form). A
    regional target of the original's language is left out like a plain one.

    Raises ConfigError for a target that names no language (settings are validated on
    save, so this means a caller skipped that).
    """
    return _item_targets(tuple(targets), original, unknown_counts)


@lru_cache(maxsize=1024)
def _item_targets(
    targets: tuple[str, ...], original: str | None, unknown_counts: bool
) -> ItemTargets:
    """item_targets, once per instance's targets and original: it runs for every file."""
    values = target_values(targets)
    original_code = canonical(original)
    wanted = tuple(
        target
        for target in values
        if original_code is None or not same_language(target.language, original_code)
    )
    return ItemTargets(
        original_code,
        frozenset(target.code for target in wanted),
        len(wanted) < len(values),
        unknown_counts,
        languages=frozenset(
            target.settled_language if target.regional else target.language for target in wanted
        ),
        regional=frozenset(target.code for target in wanted if target.regional),
        values=wanted,
    )


def met_by(target: LanguageValue, heard: Sequence[LanguageValue], unknown_counts: bool) -> bool:
    """Whether a file with these voices has ``target``."""
    if not target.regional:
        return any(target.same_language(voice) for voice in heard)
    if any(known_as(voice, target) for voice in heard):
        return True
    return unknown_counts and any(_unknown(voice, target) for voice in heard)


def undecided(target: LanguageValue, heard: Sequence[LanguageValue]) -> bool:
    """A regional target no track is known to meet, with a track of its language whose
    variety is unknown: that track decides the answer (the instance's option says how)."""
    if not target.regional:
        return False
    return not any(known_as(v, target) for v in heard) and any(_unknown(v, target) for v in heard)


def known_as(voice: LanguageValue, target: LanguageValue) -> bool:
    """Whether a track with this voice is known to be the regional ``target``: its
    language is the target's (the same individual language, when the target names
    one), and it has every script and region the target names (a country of
    Latin America for ``419``)."""
    if voice.language != target.language and not (
        target.macrolanguage is None and voice.macrolanguage == target.language
    ):
        return False
    if target.script is not None and voice.script != target.script:
        return False
    return (
        target.region is None
        or voice.region == target.region
        or (voice.region is not None and voice.region in _CONTAINS.get(target.region, ()))
    )


def _unknown(voice: LanguageValue, target: LanguageValue) -> bool:
    """A track of the target's language whose voice does not contradict the target (one
    a person settled as none of its regional targets is not unknown)."""
    return (
        not voice.other
        and voice.same_language(target)
        and voice.agrees(target)
        and not known_as(voice, target)
    )


def meets(target: str, voices: Iterable[str], unknown_counts: bool = False) -> bool:
    """Whether a file with these voices (or canonical languages) has ``target``."""
    found = parse(target)
    return found is not None and met_by(found, parse_all(voices), unknown_counts)


def variety_unknown(target: str, voices: Iterable[str]) -> bool:
    """``undecided`` for a stored target and a file's voices."""
    found = parse(target)
    return found is not None and undecided(found, parse_all(voices))


def is_variety(voice: str, target: str) -> bool:
    """``known_as`` for a voice and a stored target."""
    heard, wanted = parse(voice), parse(target)
    return heard is not None and wanted is not None and known_as(heard, wanted)


def settled_language(target: str) -> str:
    """The language whose tracks of unknown variety a regional target's answer rests on,
    as a person settles them for an item (Media.settled_varieties): its canonical
    language, or the macrolanguage of an individual one (``yue``: Chinese)."""
    found = parse(target)
    if found is not None:
        return found.settled_language
    language = canonical(target) or target
    return macrolanguage(language) or language


def label_code(target: str) -> str:
    """What ``{lang}`` becomes in a tag label: a regional target's tag in lower case
    (``dub-fr-ca``, ``sub-pt-br``: the *arrs take a-z, 0-9 and -), else the language's
    ISO 639-1 code where it has one (``dub-de``)."""
    if is_regional(target):
        return target.lower()
    return short_code(target)


def target_name(target: str) -> str:
    """A target for the reasons (English): "French", or "French (fr-CA)"."""
    name = language_name(target)
    return f"{name} ({target})" if is_regional(target) else name


# An item's own word on its targets (Media.wanted): "" as the instance, ``ORIGINAL_ONLY``
# (no dub wanted: no target, no dub tag, search or news; its subtitle tags stay the
# instance's), or ``OWN_LIST`` (its own targets, Media.wanted_targets, regional ones
# included).
AS_INSTANCE: Final = ""
ORIGINAL_ONLY: Final = "original"
OWN_LIST: Final = "own"


def wanted_targets(
    instance_targets: Iterable[str], wanted: str, own: Iterable[str] = ()
) -> tuple[str, ...]:
    """The targets an item's audio is judged against (before its original is left out,
    ``item_targets``): the instance's, none (original only), or the item's own list."""
    if wanted == ORIGINAL_ONLY:
        return ()
    if wanted == OWN_LIST:
        return tuple(own)
    return tuple(instance_targets)


def subtitle_targets(
    instance_targets: Iterable[str], wanted: str, own: Iterable[str] = ()
) -> tuple[str, ...]:
    """The targets an item's subtitle tags are decided for: the item's own list when it
    has one, else the instance's (an item watched in the original keeps its subtitles)."""
    return tuple(own) if wanted == OWN_LIST else tuple(instance_targets)
