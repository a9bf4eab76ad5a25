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

from scanner.engine.targets import is_regional, settled_language, variety_unknown
from scanner.engine.varieties import is_other

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
    for target in sorted(filter(is_regional, targets)):
        language = settled_language(target)
        voices = [voice for _, voiced in files for voice in voiced]
        if any(target not in missing for missing, _ in files):
            state = MET
        elif any(variety_unknown(target, voiced) for _, voiced in files):
            state = UNKNOWN
        elif any(settled_language(voice) == language for voice in voices):
            state = OTHER
        else:
            state = ABSENT
        named = sorted(
            {
                voice
                for voice in voices
                if settled_language(voice) == language and is_regional(voice)
                and not is_other(voice)
            }
        ) if state == OTHER else []  # fmt: skip
        states[target] = {"state": state, "varieties": named}
    return states
