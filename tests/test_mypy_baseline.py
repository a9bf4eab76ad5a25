"""The type checker's baseline over api/, web/, accounts/, fakes/ and bench/ may only
shrink (issue 69, item 5; scripts/mypy_baseline.py, run by `make lint`)."""

from __future__ import annotations

from collections import Counter

from scripts.mypy_baseline import compare, errors

MYPY = [
    'web/admin/a.py:12: error: Missing type arguments for generic type "ModelAdmin"  [type-arg]',
    'web/admin/a.py:40: error: Missing type arguments for generic type "ModelAdmin"  [type-arg]',
    "web/admin/a.py:41: note: See https://mypy.readthedocs.io/en/stable/...",
    'api/b.py:3:7: error: Name "x" is not defined  [name-defined]',
    "Found 3 errors in 2 files (checked 9 source files)",
]


def test_errors_are_counted_without_their_line_numbers() -> None:
    assert errors(MYPY) == Counter({
        'web/admin/a.py: Missing type arguments for generic type "ModelAdmin"  [type-arg]': 2,
        'api/b.py: Name "x" is not defined  [name-defined]': 1,
    })  # fmt: skip


def test_an_edit_above_an_old_error_moves_nothing() -> None:
    moved = [line.replace(":12:", ":15:").replace(":40:", ":43:") for line in MYPY]
    assert compare(errors(MYPY), errors(moved)) == ([], [])


def test_a_new_error_and_a_fixed_one_are_both_named() -> None:
    now = [*MYPY[1:3], "web/c.py:1: error: Incompatible types in assignment  [assignment]"]
    new, fixed = compare(errors(MYPY), errors(now))
    assert new == ["web/c.py: Incompatible types in assignment  [assignment]"]
    assert sorted(fixed) == [
        'api/b.py: Name "x" is not defined  [name-defined]',
        'web/admin/a.py: Missing type arguments for generic type "ModelAdmin"  [type-arg]',
    ]


def test_a_second_error_of_a_kind_already_there_is_new() -> None:
    again = [*MYPY, 'api/b.py:9: error: Name "x" is not defined  [name-defined]']
    assert compare(errors(MYPY), errors(again))[0] == [
        'api/b.py: Name "x" is not defined  [name-defined]'
    ]
