"""A wish is one key per thing a household wants grabbed (scanner.engine.wishes): the
original, a dub, or both, the target written as stored targets are."""

from __future__ import annotations

import pytest

from scanner.engine.wishes import (
    ORIGINAL_WISH,
    is_wish,
    normal_wish,
    parse_wish,
    wish_of,
    wish_target,
)


def test_no_target_is_the_original_only() -> None:
    assert wish_of((), original_wanted=False) == ORIGINAL_WISH
    assert wish_of((), original_wanted=True) == ORIGINAL_WISH


def test_the_first_target_is_the_wish_as_stored_targets_write_it() -> None:
    assert wish_of(("de", "fra"), original_wanted=False) == "deu"
    assert wish_of(("fr-ca", "fra"), original_wanted=False) == "fr-CA"
    assert wish_of(("es-419",), original_wanted=False) == "es-419"


def test_someone_wanting_the_original_makes_it_dual_audio() -> None:
    assert wish_of(("fr-CA",), original_wanted=True) == "original+fr-CA"


def test_a_target_that_names_no_language_is_passed_over() -> None:
    assert wish_of(("xx-nothing", "ita"), original_wanted=False) == "ita"
    assert wish_of(("xx-nothing",), original_wanted=False) == ORIGINAL_WISH


@pytest.mark.parametrize(
    ("wish", "parsed"),
    [
        ("original", (None, True)),
        ("deu", ("deu", False)),
        ("de", ("deu", False)),
        ("fr-CA", ("fr-CA", False)),
        ("original+es-419", ("es-419", True)),
        ("original+fr-ca", ("fr-CA", True)),
    ],
)
def test_a_wish_is_read_back(wish: str, parsed: tuple[str | None, bool]) -> None:
    assert parse_wish(wish) == parsed
    assert is_wish(wish)


@pytest.mark.parametrize(
    "value", ["", "original+", "original+original", "Original", " deu", "deu ", "x" * 60, "qq"]
)
def test_anything_else_is_no_wish(value: str) -> None:
    assert not is_wish(value)
    with pytest.raises(ValueError, match="is not a wish"):
        parse_wish(value)


def test_one_wish_has_one_key() -> None:
    assert normal_wish("de") == normal_wish("deu") == "deu"
    assert normal_wish("original+fr-ca") == "original+fr-CA"
    assert normal_wish("original") == ORIGINAL_WISH
    assert wish_target("original+deu") == "deu"
    assert wish_target("original") is None
