"""File names that are not UTF-8: stored losslessly, shown with replacement characters."""

from __future__ import annotations

import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scanner.names import display, from_storage, has_undecodable_bytes, to_storage

NOT_UTF8 = os.fsdecode(b"Bad\xff\xfe - S01E04.mkv")


def test_a_name_that_is_not_utf8_is_stored_as_text_and_comes_back() -> None:
    stored = to_storage(NOT_UTF8)
    assert stored == "Bad\\xff\\xfe - S01E04.mkv"
    stored.encode("utf-8")  # a database takes it
    assert from_storage(stored) == NOT_UTF8
    assert display(NOT_UTF8) == "Bad\ufffd\ufffd - S01E04.mkv"


@pytest.mark.parametrize("name", ["plain.mkv", "Señorita Ünïcode.mkv", "進撃の巨人.mkv"])
def test_ordinary_names_are_stored_as_they_are(name: str) -> None:
    assert to_storage(name) == display(name) == name
    assert not has_undecodable_bytes(name)


def test_backslashes_cannot_be_mistaken_for_escapes() -> None:
    literal = "x\\xff.mkv"  # a real backslash, x, f, f
    assert from_storage(to_storage(literal)) == literal
    assert to_storage(literal) != to_storage(os.fsdecode(b"x\xff.mkv"))


@given(st.binary(min_size=1, max_size=40))
def test_every_file_name_round_trips(raw: bytes) -> None:
    name = os.fsdecode(raw)
    stored = to_storage(name)
    stored.encode("utf-8")
    assert from_storage(stored) == name
    display(name).encode("utf-8")
