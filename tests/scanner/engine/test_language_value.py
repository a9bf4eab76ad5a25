"""engine.language_value (issue 68, item 10): a language with its variety, read once from
its string (a target, a track's voice, a voice settled as none of the targets) into the
value the rules compare."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from scanner.engine.language_value import LanguageValue, parse, parse_all


@pytest.mark.parametrize(
    ("text", "code", "language", "macrolanguage", "script", "region", "regional"),
    [
        ("fr-CA", "fr-CA", "fra", None, None, "CA", True),
        ("fra_ca", "fr-CA", "fra", None, None, "CA", True),  # as a file or a person writes it
        ("es-419", "es-419", "spa", None, None, "419", True),
        ("zh-yue", "yue", "yue", "zho", None, None, True),
        ("yue", "yue", "yue", "zho", None, None, True),
        ("cmn-Hant-TW", "cmn-Hant-TW", "cmn", "zho", "Hant", "TW", True),
        ("fr", "fra", "fra", None, None, None, False),
        ("French", "fra", "fra", None, None, None, False),
        ("nb", "nob", "nob", "nor", None, None, False),  # its own ISO 639-1 code: plain
    ],
)
def test_a_language_is_read_once_into_its_parts(
    text: str,
    code: str,
    language: str,
    macrolanguage: str | None,
    script: str | None,
    region: str | None,
    regional: bool,
) -> None:
    assert parse(text) == LanguageValue(
        code, language, macrolanguage, script, region, regional, other=False
    )


def test_a_voice_settled_as_none_of_the_targets_keeps_its_code_and_is_no_variety() -> None:
    found = parse("fr-x-other")
    assert found is not None
    assert (found.code, found.language, found.other, found.regional) == (
        "fr-x-other",
        "fra",
        True,
        False,
    )
    assert found.plain == parse("fra")  # as a target, its language alone


@pytest.mark.parametrize("text", ["", "und", "fr-XX", "Original", "x" * 200, "qaa"])
def test_what_names_no_known_language_is_none(text: str) -> None:
    assert parse(text) is None


def test_an_individual_language_settles_as_its_macrolanguage() -> None:
    assert [value.settled_language for value in parse_all(["yue", "fr-CA", "fra"])] == [
        "zho",
        "fra",
        "fra",
    ]


def test_parse_all_leaves_out_what_names_no_language() -> None:
    assert [value.code for value in parse_all(["fra", "", "und", "fr-CA"])] == ["fra", "fr-CA"]


@pytest.mark.parametrize(
    ("first", "second", "agree"),
    [
        ("fr-CA", "fra", True),
        ("fr-CA", "fr-FR", False),
        ("zh-Hant", "yue", True),
        ("yue", "cmn", False),  # two individual languages stay apart
        ("fr-x-other", "fra", True),
        ("fr-x-other", "fr-CA", False),  # settled as none of the targets
        ("fr-CA", "spa", False),
    ],
)
def test_agrees_when_no_language_script_or_region_differs(
    first: str, second: str, agree: bool
) -> None:
    a, b = parse(first), parse(second)
    assert a is not None and b is not None
    assert (a.agrees(b), b.agrees(a)) == (agree, agree)


@given(st.text(max_size=24))
@example("cantonese")  # a name of an individual language: read back as its code
def test_a_stored_code_reads_back_as_the_same_value(text: str) -> None:
    found = parse(text)
    if found is not None:
        assert parse(found.code) == found
        assert found.agrees(found)
