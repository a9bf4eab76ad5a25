"""Text from other programs (the *arr's lists and webhooks, the media servers), made
storable where it comes in: the one definition of "clean", for every field.

JSON can carry what no database column takes. A ``\\ud800`` escape decodes to a lone
surrogate (RFC 8259, 8.2, allows such strings and leaves their meaning open), which
UTF-8 cannot encode, so SQLite's driver refuses it and PostgreSQL's jsonb rejects the
escape ("Unicode low/high surrogate must follow a high surrogate",
src/common/jsonapi.c); ``\\u0000`` is refused by PostgreSQL in text and in jsonb
alike (docs, "Character Types" and "JSON Types").

- A line of text (a title, a name, a language, a label, a tag): lone surrogates
  become U+FFFD; tab, line feed and carriage return a space; every other control
  character (C0, DEL, C1) goes. No such field is read on more than one line.
- A path: lone surrogates and NUL become U+FFFD, and nothing else changes. Other
  control characters are legal in Linux file names, and both databases store them.
  Sonarr, Radarr, Jellyfin and Emby are .NET programs: they hand a file name the
  bytes of ``Encoding.UTF8``, which writes a lone surrogate as U+FFFD (EF BF BD) and
  reads bytes that are not UTF-8 as U+FFFD too (dotnet/runtime UTF8Encoding.cs,
  SetDefaultFallbacks; Interop.ReadDir.cs, GetName). So a lone surrogate in their
  JSON never stands for an undecodable byte, and U+FFFD names the file their
  string names on disk. Surrogates from U+DC80 to U+DCFF therefore go too: in
  Taggarr they mean the bytes of a name read from the disk itself (scanner.names),
  and a path from outside must not turn into such bytes.
"""

from __future__ import annotations

import re
import unicodedata

REPLACEMENT = "\ufffd"
SURROGATE = re.compile("[\ud800-\udfff]")
_LINE_BREAKS = re.compile("[\t\n\r]")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
ELLIPSIS = "\u2026"
_DRIVE = re.compile(r"^[A-Za-z]:$")


def line(text: str) -> str:
    """A title, name, language, label or tag, as it can be stored and shown."""
    text = SURROGATE.sub(REPLACEMENT, text)
    return _CONTROL.sub("", _LINE_BREAKS.sub(" ", text))


def path(text: str) -> str:
    """A path or file name another program sent, as it can be stored and opened."""
    return SURROGATE.sub(REPLACEMENT, text).replace("\x00", REPLACEMENT)


def relative_path(text: str) -> str | None:
    """A file's path relative to its item's folder, as another program sent it (an
    *arr's ``relativePath``), as it is stored: ``path``'s cleaning, POSIX separators, no
    empty or "." part. None for a path that would leave the folder (a ".." part) or
    names a drive (``C:``): a file outside the item is never the item's (issue 92)."""
    parts = [part for part in path(text).replace("\\", "/").split("/") if part not in ("", ".")]
    if not parts or ".." in parts or _DRIVE.match(parts[0]):
        return None
    return "/".join(parts)


def name(text: str, limit: int) -> str:
    """A name another program gave (a quality profile's, a custom format's), as
    ``line`` makes it, composed (NFC) and at most ``limit`` characters: a longer one is
    cut and ends with an ellipsis, so that what is stored and shown of it stays small."""
    cleaned = unicodedata.normalize("NFC", line(text[: 4 * limit]))
    if len(cleaned) <= limit and len(text) <= 4 * limit:
        return cleaned
    return cleaned[: limit - 1] + ELLIPSIS
