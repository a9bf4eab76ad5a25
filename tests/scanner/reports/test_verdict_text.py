"""The verdict's reason, made again at display time from the facts the engine stores.

In English it must say exactly what the engine stored (scanner/engine/verdict.py
``_decide``, the rules' table in docs/tagging-rules.md): the same words, so that the
sentence people read and the one the history and the API keep never drift apart. In
German and French it names the languages and counts in the reader's language."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from django.utils import translation

from scanner.engine.tracks import make_track
from scanner.engine.verdict import FileResult, Policy, file_result, item_verdict
from scanner.reports.verdict_text import reason_sentence

FileSpec = tuple[str | None, ...] | str  # languages of the tracks, or why it is unreadable


def reasons_of(files: Sequence[FileSpec], original: str | None, targets: Sequence[str]) -> dict:
    results = []
    for episode, spec in enumerate(files, start=1):
        path = f"Show - S01E{episode:02d}.mkv"
        if isinstance(spec, str):
            results.append(FileResult.failed(path, 1, (episode,), spec))
            continue
        tracks = [make_track(n, lang, None, default=n == 1) for n, lang in enumerate(spec, 1)]
        results.append(
            file_result(
                tracks, original, targets, Policy(), path=path, season=1, episodes=[episode]
            )
        )
    return item_verdict(results).reasons


CASES = {
    "dub, one file": ([("jpn", "eng")], "jpn", ["eng"]),
    "dub, all files": ([("jpn", "eng", "ger"), ("jpn", "ger", "eng")], "jpn", ["eng", "ger"]),
    "semi-dub": ([("jpn", "eng"), ("jpn",), ("jpn", "ger")], "jpn", ["eng", "ger"]),
    "semi-dub, one file has some": ([("jpn", "eng"), ("jpn",)], "jpn", ["eng"]),
    "wrong-dub, one file": ([("fre",), ("jpn", "eng")], "jpn", ["eng"]),
    "wrong-dub, every file": ([("fre", "ita"), ("spa",)], "jpn", ["eng"]),
    "none, no target": ([("jpn",), ("jpn",)], "jpn", ["eng"]),
    "none, only the original": ([("eng",)], "eng", ["eng"]),
    "none, original unknown": ([(None,)], None, []),
    "no change, unreadable": (["permission denied", "not a media file"], "jpn", ["eng"]),
    "no change, nothing found": ([], "jpn", ["eng"]),
}


@pytest.mark.parametrize("name", CASES)
def test_in_english_it_says_what_the_engine_stored(name: str) -> None:
    reasons = reasons_of(*CASES[name])
    head, _, stored = reasons["summary"].partition(": ")
    expected = reasons["summary"] if head == "no change" else stored
    with translation.override("en"):
        assert reason_sentence(reasons) == expected


def test_in_german_and_french_the_words_and_the_languages_are_theirs() -> None:
    reasons = reasons_of([("fre",), ("jpn", "eng")], "jpn", ["eng"])
    with translation.override("de"):
        assert reason_sentence(reasons) == (
            "1 Datei hat andere Sprachen (Französisch) und keine der Zielsprachen (Englisch)"
        )
    with translation.override("fr"):
        assert reason_sentence(reasons) == (
            "1 fichier a d'autres langues (français) et aucune des langues cibles (anglais)"
        )


def test_a_reason_without_its_facts_is_shown_as_it_was_stored() -> None:
    with translation.override("de"):
        assert reason_sentence({"summary": "dub: an old reason"}) == "an old reason"
        assert reason_sentence(None) == ""
