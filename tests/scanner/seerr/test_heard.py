"""Where an item stands for the one language a Seerr user asks for, from its files'
voices (engine.targets' rules: a variety known, unnamed, or another one)."""

from __future__ import annotations

import pytest

from scanner.seerr.heard import (
    ABSENT,
    NO_FILES,
    OTHER,
    PARTIAL,
    PRESENT,
    UNKNOWN,
    Standing,
    standing,
)

VFF = frozenset({"eng", "fr-FR"})
VFQ = frozenset({"eng", "fr-CA"})
UNNAMED = frozenset({"eng", "fra"})


@pytest.mark.parametrize(
    ("target", "files", "expected"),
    [
        ("fr-CA", [], Standing(NO_FILES)),
        ("fr-CA", [("a.mkv", VFF)], Standing(OTHER, varieties=("fr-FR",))),
        ("fr-CA", [("a.mkv", VFF), ("b.mkv", VFQ)], Standing(PRESENT, files=("b.mkv",))),
        ("fr-CA", [("a.mkv", UNNAMED)], Standing(UNKNOWN)),
        ("fr-CA", [("a.mkv", frozenset({"eng"}))], Standing(ABSENT)),
        ("fra", [("a.mkv", VFF), ("b.mkv", VFQ)], Standing(PRESENT, files=("a.mkv", "b.mkv"))),
        ("deu", [("a.mkv", VFF)], Standing(ABSENT)),
    ],
)
def test_standing(target: str, files: list[tuple[str, frozenset[str]]], expected: Standing) -> None:
    assert standing(target, files) == expected


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ([("e1.mkv", VFQ), ("e2.mkv", VFF)], Standing(PARTIAL, files=("e1.mkv",), total=2)),
        ([("e1.mkv", VFQ), ("e2.mkv", VFQ)], Standing(PRESENT, files=("e1.mkv", "e2.mkv"))),
        # Not one episode with it: where the others stand, as for a movie.
        ([("e1.mkv", VFF), ("e2.mkv", UNNAMED)], Standing(UNKNOWN)),
        ([("e1.mkv", VFF), ("e2.mkv", VFF)], Standing(OTHER, varieties=("fr-FR",))),
    ],
)
def test_a_series_has_it_when_every_episode_file_has_it(
    files: list[tuple[str, frozenset[str]]], expected: Standing
) -> None:
    assert standing("fr-CA", files, every_file=True) == expected
    # A movie's second file (another edition) with it is enough.
    assert standing("fr-CA", files).state != PARTIAL
