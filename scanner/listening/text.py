"""A subtitle file's language from its text (issue 53): a few hundred words of its
dialogue given to lingua (lingua-language-detector, in the listening extra), in its
low-accuracy mode: on that much text it is as sure as the high one, loads in well
under a second and holds some 70 MB, where the high mode holds several hundred.
Only text formats are read (SubRip, ASS/SSA, WebVTT); image subtitles (PGS, VobSub)
stay unknown: reading them would take OCR, a guess of another kind.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Any

from scanner.engine.heard import CANDIDATES, Heard
from scanner.engine.regular_files import read_regular

TEXT_FORMATS = frozenset({"srt", "ass", "ssa", "vtt"})
TEXT_THRESHOLD = 0.9  # lingua's confidence; on a few hundred words a language is ~1.0
_READ_BYTES = 64 * 1024  # the start of the file: some 400 words of dialogue
_WORDS = 400
_MIN_WORDS = 20  # less is not enough to tell a language
_TIMING = re.compile(r"^\s*(\d+\s*$|[\d:.,]+\s*-->.*$|WEBVTT.*$|NOTE\b.*$)", re.MULTILINE)
_MARKUP = re.compile(r"\{[^}]*\}|<[^>]*>|\\[Nnh]")
_lock = threading.Lock()
_detector: list[Any] = []


def identify_text(path: Path) -> Heard:
    """The language of the subtitle file at ``path``; unsure when its text is too short
    or mixed. Raises OSError when it cannot be read: UnsafeFile, at once, when it is no
    regular file (a FIFO or a device named like a subtitle). Links are followed: a
    library of links into a debrid or rclone mount is common."""
    raw = read_regular(path, _READ_BYTES)[:_READ_BYTES]
    words = _dialogue(_decoded(raw), path.suffix.lower() in (".ass", ".ssa")).split()[:_WORDS]
    if len(words) < _MIN_WORDS:
        return Heard(None, 0.0, (), "too little text", by="text")
    values = _lingua().compute_language_confidence_values(" ".join(words))
    candidates = tuple(
        (value.language.iso_code_639_3.name.lower(), round(value.value, 3))
        for value in values[:CANDIDATES]
    )
    if not candidates:
        return Heard(None, 0.0, (), "no language recognised", by="text")
    top, confidence = candidates[0]
    if confidence < TEXT_THRESHOLD:
        return Heard(None, confidence, candidates, "the text is mixed or unclear", by="text")
    return Heard(top, confidence, candidates, by="text")


def _decoded(raw: bytes) -> str:
    """UTF-8 (with or without its mark) as most subtitles today; else Windows-1252,
    which decodes any byte (older European subtitles)."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _dialogue(text: str, ass: bool) -> str:
    if ass:  # the text is the tenth field of each Dialogue line
        lines = [
            line.split(",", 9)[-1] for line in text.splitlines() if line.startswith("Dialogue:")
        ]
        text = "\n".join(lines)
    else:
        text = _TIMING.sub("", text)
    return _MARKUP.sub(" ", text)


def _lingua() -> Any:
    with _lock:
        if not _detector:
            from lingua import LanguageDetectorBuilder

            builder = LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode()
            _detector.append(builder.build())
        return _detector[0]
