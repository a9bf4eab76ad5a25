"""Why an item's regional target stands where it does (issue 68, "one answer per chip"):
for a Quebec household, "no French" (no track of the target's language), "French of
unknown variety" (a person may settle it), "French (France) only" (another known
variety, or one a person settled as none of the targets) are three answers, which the
plain verdict (``none``) tells as one.

Read from the audio voices of the item's readable files (engine.verdict's results),
never their subtitles; stored with the verdict's reasons (``regional``) so that the
media list shows and filters each state without reading a file.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Final

from scanner.engine.language_value import parse, parse_all
from scanner.engine.targets import undecided

MET: Final = "met"  # a file's track is known to be the variety (or counts for it)
UNKNOWN: Final = "unknown"  # a track of its language, no source names the variety
OTHER: Final = "other"  # only tracks of its language known to be another variety
ABSENT: Final = "absent"  # no track of its language at all
STATES: Final = (MET, UNKNOWN, OTHER, ABSENT)


def regional_states(
    targets: Iterable[str], files: Sequence[tuple[frozenset[str], frozenset[str]]]
) -> dict[str, dict[str, Any]]:
    """Per regional target, ``{"state": ..., "varieties": [...]}``; ``files`` holds per
    readable file its missing targets and its audio voices. ``varieties``: for
    ``other``, the known varieties of the target's language found (``fr-FR``), each
    once; empty when a person settled them as none of the targets."""
    states: dict[str, dict[str, Any]] = {}
    heard = [(missing, parse_all(voiced)) for missing, voiced in files]
    voices = [voice for _, voiced in heard for voice in voiced]
    for code in sorted(targets):
        target = parse(code)
        if target is None or not target.regional:
            continue
        language = target.settled_language
        if any(code not in missing for missing, _ in heard):
            state = MET
        elif any(undecided(target, voiced) for _, voiced in heard):
            state = UNKNOWN
        elif any(voice.settled_language == language for voice in voices):
            state = OTHER
        else:
            state = ABSENT
        named = sorted(
            {
                voice.code
                for voice in voices
                if voice.settled_language == language and voice.regional and not voice.other
            }
        ) if state == OTHER else []  # fmt: skip
        states[code] = {"state": state, "varieties": named}
    return states
