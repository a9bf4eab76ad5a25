"""Whether a lost dub is proven by the new file's own audio tracks (issue 67): what a
destructive action (marking the release failed in the *arr, which blocklists it)
needs beyond the news.

The news compares what the files say, and a label is enough for news. A release is
blocklisted only when the new file's tracks leave no doubt that the target is not in it:

- every audio track names its language (an ``und`` track titled "Deutsch" may be the
  German dub: a label that went missing is no loss);
- no track of the target's language is left (one that a title word calls commentary
  may be the dub);
- for a regional target (``fr-CA``), every track of its language has its variety from
  its own language tag (BCP-47 ``fr-FR``): not from a title or release-name word, the
  *arr, or unknown (a release renamed ``MULTi.VFF`` over the same untitled French track
  is the uploader's naming, not the audio).

Pure: the caller passes the tracks as the scan stored them, with what was heard as the
instance's listening mode counts it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from scanner.engine.languages import same_language
from scanner.engine.targets import is_regional, settled_language
from scanner.engine.tracks import AudioTrack
from scanner.engine.varieties import BCP47

# Why a loss is not proven (the action's event keeps the code; the pages word it).
UNLABELLED: Final = "unlabelled"  # a track without a language
LANGUAGE_LEFT: Final = "language_left"  # a track of the target's language is still there
VARIETY_UNSURE: Final = "variety_unsure"  # its variety read from a word, or unknown


def doubt(tracks: Sequence[AudioTrack], target: str) -> str | None:
    """None when ``tracks`` prove ``target`` absent; else why they do not."""
    if any(track.language is None for track in tracks):
        return UNLABELLED
    language = settled_language(target)
    for track in tracks:
        if track.language is None or not same_language(track.language, language):
            continue
        if not is_regional(target) or track.is_commentary:
            return LANGUAGE_LEFT
        if track.variety is None or track.variety_source != BCP47:
            return VARIETY_UNSURE
    return None
