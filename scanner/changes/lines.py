"""An act's change as every act's is reviewed (issue 93, item 3): one ``ReviewLine``
per journal row (the act, the item, what it moves from and to, its state, its refusal as
a sentence, when), in the reader's language, and each act's ``Review`` (declared on its
Act: scanner.changes.act), whose words live in the act's own folder. The listing of every
act's lines together is scanner.changes.review."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.text import capfirst

__all__ = ["Review", "ReviewLine", "Shift"]


PLANNED = "planned"  # every act's planned state: its Apply takes it


@dataclass(frozen=True, slots=True)
class Shift:
    """One thing a change moves: ``aspect`` (a code: audio, subtitle, profile), its name
    in the reader's language, and the words before and after, as the act's page says them."""

    aspect: str
    label: str
    before: str
    after: str


@dataclass(frozen=True, slots=True)
class ReviewLine:
    """One change of one act, as every act's is reviewed: codes and, beside them, the
    words a person reads (in the language active when it was made)."""

    act: str  # the act's name (Act.name)
    act_label: str  # its name in the reader's language, as its own page is titled
    change_id: int
    media_id: int | None  # None: the item is gone (the journal keeps its row)
    title: str
    instance_id: int
    instance_name: str
    subject: str  # what inside the item is changed (a file's name); "" for the item itself
    shifts: tuple[Shift, ...]
    state: str  # the act's state code (planned, written, refused ...)
    state_label: str
    refusal: str  # the act's refusal code; "" when nothing was refused
    refusal_text: str  # the refusal as a sentence; "" when nothing was refused
    why: str  # what the act's own page says beside it: the refusal and what it would take
    when: datetime  # the row's last change
    applicable: bool  # the act's Apply takes it (planned)
    undoable: bool  # the act's Undo takes it (written)

    @classmethod
    def of(
        cls,
        change: Any,
        *,
        act: str,
        act_label: str,
        title: str,
        subject: str,
        shifts: tuple[Shift, ...],
        refusal_text: Callable[[str, dict[str, Any]], str],
        why: str,
        undoable: bool,
    ) -> ReviewLine:
        """An act's journal row (a ChangeRecord: its state, refusal, detail, instance,
        item) as a line, with what only the act knows; ``refusal_text``: the act's
        sentence of a refusal's code and detail; ``why``: the row's sentence as the act's
        own page says it (the Changes page shows the same)."""
        code = change.refusal
        return cls(
            act=act,
            act_label=act_label,
            change_id=change.pk,
            media_id=change.media_id,
            title=title,
            instance_id=change.instance_id,
            instance_name=change.instance.name,
            subject=subject,
            shifts=shifts,
            state=change.state,
            state_label=str(change.get_state_display()),
            refusal=code,
            refusal_text=capfirst(refusal_text(code, change.detail)) if code else "",
            why=why,
            when=change.updated_at,
            applicable=change.state == PLANNED and change.media_id is not None,
            undoable=undoable,
        )


@dataclass(frozen=True)
class Review:
    """How an act's journal is reviewed with the others': its name in the reader's
    language (``label``), the relations its lines read (``related``: select_related), and
    its rows said as lines (``lines``: a page's rows at most, in their order; an act may
    read what they share once, as the profiles' names), and a count of its planned rows
    as one sentence (``planned``: what applying them would do)."""

    label: Callable[[], str]
    lines: Callable[[Sequence[Any]], list[ReviewLine]]
    related: tuple[str, ...] = ("media", "instance")
    planned: Callable[[int], str] | None = None
