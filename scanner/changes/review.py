"""One review of every act's changes (issue 93, item 3): each act's journal row said as
one ``ReviewLine`` (the act, the item, what it moves from and to, its state, its refusal
as a sentence, when), in the reader's language, so that a page and the API list every
act together without naming one. Each act declares its ``Review`` (its words live in its
folder); the flow reads the acts registered (scanner.changes.registry) and merges their
journals by time, a bounded page at a time (``page_of``)."""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Model

from scanner.changes import registry
from scanner.changes.act import Act
from scanner.changes.lines import Review, ReviewLine, Shift

__all__ = [
    "MAX_DEPTH", "Entry", "Filters", "Page", "Review", "ReviewLine", "Shift", "journal_of",
    "page_of", "reviewed",
]  # fmt: skip

# The rows a page may lie behind: each act reads at most this many (time, id) pairs of its
# journal to place a page. Past it a person narrows the list (an instance, an item, a
# state) rather than paging through a library's 750,000 files.
MAX_DEPTH = 10_000


@dataclass(frozen=True)
class Filters:
    """Which changes: one act (its name), one instance, one item, one state code."""

    act: str = ""
    instance: int | None = None
    media: int | None = None
    state: str = ""


@dataclass(frozen=True)
class Entry:
    """A row of a page: its act, its journal row, and the row as a line."""

    act: Act
    row: Any
    line: ReviewLine


@dataclass(frozen=True)
class Page:
    number: int
    size: int
    entries: list[Entry]
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def last_number(self) -> int:
        """The deepest page a list is read to (MAX_DEPTH)."""
        return max(1, MAX_DEPTH // self.size)


def reviewed(act_name: str = "") -> list[Act]:
    """The acts registered that declare a review (one of them, by its name)."""
    return [
        act
        for act in registry.acts()
        if act.journal is not None
        and act.review is not None
        and (not act_name or act.name == act_name)
    ]


def readable(may: Callable[[str], bool]) -> list[Act]:
    """The acts reviewed whose journal ``may`` lets a person read (its view permission,
    ``app_label.view_model``, asked of the admin's or the API's own rule)."""
    shown = []
    for act in reviewed():
        meta = journal_of(act)._meta
        if may(f"{meta.app_label}.view_{meta.model_name}"):
            shown.append(act)
    return shown


def journal_of(act: Act) -> type[Model]:
    """The act's change model (an act reviewed declares one)."""
    if act.journal is None:
        raise ValueError(f"{act.name} declares no journal")
    return act.journal


def review_of(act: Act) -> Review:
    """The act's review (an act reviewed declares one)."""
    if act.review is None:
        raise ValueError(f"{act.name} declares no review")
    return act.review


def _journal(act: Act, filters: Filters) -> Any:
    """The act's journal rows the filters leave (a QuerySet; Any: the act's own model)."""
    rows = journal_of(act)._default_manager.all()
    if filters.instance is not None:
        rows = rows.filter(instance_id=filters.instance)
    if filters.media is not None:
        rows = rows.filter(media_id=filters.media)
    if filters.state:
        rows = rows.filter(state=filters.state)
    return rows


def _keys(act: Act, filters: Filters, depth: int) -> Iterator[tuple[datetime, str, int]]:
    """The act's first ``depth`` rows, newest first, as (time, act, id): what the merge
    compares (the act's name parts two rows changed at the same instant, always alike)."""
    pairs = _journal(act, filters).order_by("-updated_at", "-pk").values_list("updated_at", "pk")
    for when, pk in pairs[:depth]:
        yield when, act.name, pk


def page_of(filters: Filters, number: int, size: int, *, acts: Sequence[Act] | None = None) -> Page:
    """Page ``number`` (from 1, at most MAX_DEPTH // size) of every act's changes, newest
    first: each act's (time, id) pairs read up to the page's end, merged, the page's rows
    then read whole (a page's rows at most per act). ``acts``: among these only (those a
    person may read); every act reviewed when None."""
    number = max(1, min(number, max(1, MAX_DEPTH // size)))
    start = (number - 1) * size
    depth = start + size + 1  # one more: whether a next page exists
    among = reviewed() if acts is None else acts
    chosen_acts = {act.name: act for act in among if not filters.act or act.name == filters.act}
    merged = heapq.merge(
        *(_keys(act, filters, depth) for act in chosen_acts.values()), reverse=True
    )
    chosen = list(itertools.islice(merged, start, start + size + 1))
    has_next = len(chosen) > size and number < MAX_DEPTH // size
    chosen = chosen[:size]
    found: dict[tuple[str, int], Entry] = {}
    for name, act in chosen_acts.items():
        ids = [pk for _when, act_name, pk in chosen if act_name == name]
        if not ids:
            continue
        review = review_of(act)
        chosen_rows = _journal(act, Filters()).filter(pk__in=ids).order_by()
        rows = list(chosen_rows.select_related(*review.related))
        by_id = {row.pk: row for row in rows}
        ordered = [by_id[pk] for pk in ids if pk in by_id]
        for row, line in zip(ordered, review.lines(ordered), strict=True):
            found[(name, row.pk)] = Entry(act=act, row=row, line=line)
    entries = [found[(name, pk)] for _when, name, pk in chosen if (name, pk) in found]
    return Page(number=number, size=size, entries=entries, has_next=has_next)
