"""An act's refusals as named checks (issue 93): each accepts its subject (None) or refuses
it with a code and a detail, among the codes it declares (each a sentence in the act's
refusals). An act lists them in the order they run; the first refusal wins. A check's
exception propagates: its caller names it (a share that does not answer, a file gone)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

__all__ = ["Check", "Refusal", "first_refusal", "refuse_when"]

T = TypeVar("T")


@dataclass(frozen=True)
class Refusal:
    code: str
    detail: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Check(Generic[T]):
    """``run``: None when it accepts the subject, else its refusal, coded among ``codes``."""

    name: str
    run: Callable[[T], Refusal | None]
    codes: frozenset[str]


def refuse_when(name: str, code: str, refused: Callable[[T], bool]) -> Check[T]:
    """A check refusing with ``code`` (no detail) when ``refused(subject)``."""
    return Check(
        name, lambda subject: Refusal(code) if refused(subject) else None, frozenset({code})
    )


def first_refusal(checks: Iterable[Check[T]], subject: T) -> Refusal | None:
    """The first of ``checks`` to refuse ``subject``, run in order; None when all accept.
    A code its check does not declare is a ValueError (it may have no sentence)."""
    for check in checks:
        refusal = check.run(subject)
        if refusal is not None:
            if refusal.code not in check.codes:
                raise ValueError(f"check {check.name!r} refused with {refusal.code!r}")
            return refusal
    return None
