"""The badges in the one review of every act's changes (scanner.changes.review): a
poster's change said as the Changes page says it (the badges before and after, its
state, its refusal's sentence: scanner.badges.refusals)."""

from __future__ import annotations

import os
from collections.abc import Sequence

from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext

from scanner.badges import refusals
from scanner.changes.lines import Review, ReviewLine, Shift
from scanner.models import BadgeChange

State = BadgeChange.State


def label() -> str:
    """The act's name as its rows are titled."""
    return gettext("Dub badges")


def said(badges: object) -> str:
    """Stored badges as the poster shows them, in order ("VFQ, EN"); "—" for none."""
    words = [
        str(badge.get("text", ""))
        for badge in (badges if isinstance(badges, list) else [])
        if isinstance(badge, dict)
    ]
    return ", ".join(word for word in words if word) or "—"


def why(change: BadgeChange) -> str:
    """Why the change was refused, or its undo refused, else nothing to add."""
    undo = (change.detail or {}).get("undo") if isinstance(change.detail, dict) else None
    if undo:
        return capfirst(refusals.undo_text(str(undo), change.detail))
    if change.refusal:
        return capfirst(refusals.refusal_text(change.refusal, change.detail or {}))
    return ""


def title(change: BadgeChange) -> str:
    """The item's title, and the season's number for a season's poster."""
    title = change.media.title if change.media is not None else change.path
    if change.season is None:
        return title
    season = {"title": title, "seasons": str(change.season)}
    return ngettext("%(title)s, season %(seasons)s", "%(title)s, seasons %(seasons)s", 1) % season


def line(change: BadgeChange, before: str) -> ReviewLine:
    return ReviewLine.of(
        change,
        act="badges",
        act_label=label(),
        title=title(change),
        subject=os.path.basename(change.path),
        shifts=(Shift("badges", gettext("badges"), before, said(change.badges)),),
        refusal_text=refusals.refusal_text,
        why=why(change),
        undoable=change.state == State.WRITTEN,
    )


def lines(changes: Sequence[BadgeChange]) -> list[ReviewLine]:
    """The rows said, each with the badges its poster showed before (the written row of
    the same poster before it, read once for all: none when it showed none)."""
    media_ids = {change.media_id for change in changes if change.media_id is not None}
    fields = ("media_id", "where", "server_id", "server_item", "season")
    written = (
        BadgeChange.objects.filter(media_id__in=media_ids, state=State.WRITTEN)
        .order_by("media_id", "-pk")
        .values_list(*fields, "pk", "badges")
    )
    history: dict[tuple[object, ...], list[tuple[int, object]]] = {}
    for row in written:
        history.setdefault(tuple(row[:5]), []).append((row[5], row[6]))
    result = []
    for change in changes:
        poster = tuple(getattr(change, name) for name in fields)
        earlier = [b for pk, b in history.get(poster, []) if pk < change.pk]
        result.append(line(change, said(earlier[0]) if earlier else "—"))
    return result


def planned(count: int) -> str:
    """What applying ``count`` planned rows does (the guided setup's last step)."""
    return ngettext(
        "%(count)d poster gets the badges of its dubs.",
        "%(count)d posters get the badges of their dubs.",
        count,
    ) % {"count": count}


REVIEW = Review(label=label, lines=lines, planned=planned)
