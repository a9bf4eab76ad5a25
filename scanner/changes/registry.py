"""The acts on the change flow, named once by the wiring (scanner.apps) by where each is
declared, and imported when something first lists them (the review of changes:
scanner.changes.review, its page and its endpoint), not at every start: a command such
as ``scan`` from cron does not pay for every act's imports. The flow imports no act (an
import contract): it reads them here."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scanner.changes.act import Act

__all__ = ["ActTaken", "acts", "declare", "register"]

_declared: dict[str, str] = {}  # name -> "module:attribute", in the wiring's order
_by_name: dict[str, Act] = {}


class ActTaken(ValueError):
    """Two different acts registered under one name."""


def declare(name: str, path: str) -> None:
    """The act ``name`` is ``path`` (``module:attribute``), imported when first listed."""
    _declared[name] = path


def register(act: Act) -> Act:
    """``act`` joins the flow's list; the same one again is harmless (a module imported
    twice), another under a name taken is refused."""
    known = _by_name.get(act.name)
    if known is not None and known is not act:
        raise ActTaken(f"{act.name} is registered already ({known!r})")
    _by_name[act.name] = act
    return act


def acts() -> list[Act]:
    """Every act: those declared (imported now, once), in the wiring's order, then any
    registered otherwise."""
    for name, path in _declared.items():
        if name not in _by_name:
            module, _, attribute = path.partition(":")
            register(getattr(importlib.import_module(module), attribute))
    ordered = [_by_name[name] for name in _declared if name in _by_name]
    return ordered + [act for name, act in _by_name.items() if name not in _declared]
