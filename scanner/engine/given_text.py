"""Text the engine is given by other programs (MediaInfo's fields of a track, the *arr's
languages and release names, a file's name), made readable once, where it comes in:
``make_track``, ``make_subtitle`` and ``with_file_varieties`` call these, and every rule
after them reads what they return.

- Unicode NFC: a word is read from a title or a name only in its composed form (an
  "é" written as "e" and a combining accent is one character, as the words the rules
  look for are written). macOS file systems and some muxers hand out decomposed names.
- A length bound: a language value longer than ``MAX_LANGUAGE`` names no language (it is
  unknown, never an error); a title or a release name is cut, so that a stored track
  and every regular expression run on it stay small whatever a file says.
"""

from __future__ import annotations

import unicodedata

from scanner.engine.languages import MAX_LANGUAGE

# A track title is a few words ("Français (VFQ) 5.1", "Commentary with the director");
# a file's (release) name is at most 255 bytes on every file system Taggarr reads.
MAX_TITLE = 500
MAX_RELEASE_NAME = 1000


def language_value(value: str | None) -> str | None:
    """A language as a track or the *arr gives it, or None when it is too long to be one."""
    if value is None or len(value) > 4 * MAX_LANGUAGE:  # before NFC reads it all
        return None
    composed = unicodedata.normalize("NFC", value)
    return composed if len(composed) <= MAX_LANGUAGE else None


def title_value(value: str | None, limit: int = MAX_TITLE) -> str | None:
    """A track title (or a name), composed and cut to ``limit`` characters."""
    if value is None:
        return None
    return unicodedata.normalize("NFC", value[: 4 * limit])[:limit]


def release_name(value: str) -> str:
    """A file's (release) name, as ``title_value`` makes a title."""
    return title_value(value, MAX_RELEASE_NAME) or ""
