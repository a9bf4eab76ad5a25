"""tagging-rules.md, "original language": when the *arr's "English" is in doubt.

Sonarr v4 and Radarr report English for every original language they do not map
(and Sonarr for every series right after a v3 -> v4 upgrade). When every counted
file of such an item starts with one and the same other language, that language
is offered as the item's original, for a person to confirm: never taken silently,
because a German release of an English film also starts with German.

Never the language of a regional target (``fr-CA``): a French-only release for a Quebec
household is the dub it looks for, of a variety to settle (engine.guesses,
``variety_unknown``), and "the original is French" would take its target away.
"""

from __future__ import annotations

from collections.abc import Iterable

from scanner.engine.language_value import parse
from scanner.engine.languages import same_language

ENGLISH = "eng"


def doubtful_english(
    arr_original: str | None, first_tracks: Iterable[str | None], targets: Iterable[str] = ()
) -> str | None:
    """The language to offer instead of the *arr's English, or None when there is no doubt.

    ``first_tracks`` holds, per readable counted file, the canonical language of its
    first audio track (None when it has none or its language is unknown); ``targets``
    the item's targets: the language of a regional one is never offered.
    """
    if arr_original != ENGLISH:
        return None
    firsts = set(first_tracks)
    if len(firsts) != 1:
        return None
    (only,) = firsts
    if only is None or same_language(only, ENGLISH):
        return None
    regional = (
        target.settled_language for target in map(parse, targets) if target and target.regional
    )
    if any(same_language(only, language) for language in regional):
        return None
    return only
