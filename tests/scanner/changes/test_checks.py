"""An act's refusals as named checks (issue 93, scanner.changes.checks): run in order, the
first refusal wins, and every code an act's checks may refuse with has its sentence."""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import Any

import pytest

from scanner.changes import registry
from scanner.changes.checks import Check, Refusal, first_refusal, refuse_when
from scanner.default_tracks import plan as default_tracks_plan


def recording(name: str, ran: list[str], refusal: Refusal | None) -> Check[int]:
    def run(subject: int) -> Refusal | None:
        ran.append(f"{name}:{subject}")
        return refusal

    return Check(name, run, frozenset({refusal.code}) if refusal is not None else frozenset())


def test_every_check_accepting_is_none_and_each_ran_once_in_order() -> None:
    ran: list[str] = []
    checks = [recording(name, ran, None) for name in ("a", "b", "c")]
    assert first_refusal(checks, 7) is None
    assert ran == ["a:7", "b:7", "c:7"]


def test_no_check_is_no_refusal() -> None:
    assert first_refusal([], "anything") is None


def test_the_first_refusal_wins_and_the_checks_after_it_do_not_run() -> None:
    ran: list[str] = []
    first = Refusal("gone")
    second = Refusal("changed", {"what": "identity"})
    checks = [
        recording("accepts", ran, None),
        recording("refuses first", ran, first),
        recording("refuses second", ran, second),
    ]
    assert first_refusal(checks, 1) is first
    assert ran == ["accepts:1", "refuses first:1"]
    assert first_refusal(list(reversed(checks)), 2) is second


def test_refuse_when_refuses_with_its_one_code_and_no_detail() -> None:
    odd = refuse_when("even", "odd", lambda n: n % 2 == 1)
    assert odd.codes == frozenset({"odd"})
    assert first_refusal([odd], 2) is None
    assert first_refusal([odd], 3) == Refusal("odd", {})


def test_a_code_its_check_does_not_declare_is_an_error() -> None:
    wrong = Check("says gone", lambda _: Refusal("gone"), frozenset({"changed"}))
    with pytest.raises(ValueError, match="says gone"):
        first_refusal([wrong], None)


def test_an_exception_of_a_check_reaches_its_caller_and_ends_the_checks() -> None:
    ran: list[str] = []

    def unanswered(_: int) -> Refusal | None:
        raise TimeoutError("the share")

    checks = [Check("raises", unanswered, frozenset()), recording("after", ran, None)]
    with pytest.raises(TimeoutError):
        first_refusal(checks, 3)
    assert ran == []


def refusals_of(act_name: str) -> dict[str, Any]:
    """An act's sentences, by its refusal codes (CONTRIBUTING: scanner/<act>/refusals.py)."""
    return dict(importlib.import_module(f"scanner.{act_name}.refusals").REFUSALS)


def said(checks: Sequence[Check[Any]], sentences: dict[str, Any]) -> list[str]:
    """What is wrong with a list of checks: a name twice, a code without a sentence."""
    names = [check.name for check in checks]
    wrong = [f"{name} twice" for name in sorted(set(names)) if names.count(name) > 1]
    return wrong + [
        f"{check.name}: {code} has no sentence"
        for check in checks
        for code in sorted(check.codes)
        if code not in sentences
    ]


def test_every_act_lists_its_write_checks_with_a_sentence_for_each_code() -> None:
    acts = registry.acts()
    assert {act.name for act in acts} >= {"default_tracks", "wish_profiles"}
    for act in acts:
        assert act.checks, f"{act.name} lists no checks"
        assert all(check.codes for check in act.checks), act.name
        assert said(act.checks, refusals_of(act.name)) == [], act.name


def test_the_default_tracks_plan_checks_have_a_sentence_for_each_code() -> None:
    checks = default_tracks_plan.FILE_CHECKS
    assert said(checks, refusals_of("default_tracks")) == []
    assert [check.name for check in checks] == [
        "no write interrupted",
        "in the library",
        "not an MP4",
        "Matroska by its name",
    ]


def test_the_rule_finds_a_name_twice_and_a_code_without_a_sentence() -> None:
    accepts = Check("same", lambda _: None, frozenset({"gone", "unsaid"}))
    assert said([accepts, accepts], {"gone": "the file is gone"}) == [
        "same twice",
        "same: unsaid has no sentence",
        "same: unsaid has no sentence",
    ]
