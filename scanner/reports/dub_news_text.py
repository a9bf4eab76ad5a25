"""A dub arrival or loss in the reader's language, rebuilt from what its event recorded:
the feed's entry titles ("New dub: German — Dark S02E01-E03") and the notifications' lines
("Nouveau doublage : allemand — Dark, saison 2"). The language stands alone after a colon,
a noun phrase of its own: no sentence gives it an article, a case or a gender (issue 71).
The event's own message (scanner.engine.dub_news.describe) stays English: the history's
record, written once whoever reads it later; ``news_line`` says the same in the active
language."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from scanner.engine.dub_news import episode_list
from scanner.language_names import language_name

MAX_SWAPS = 3  # replaced files named in one line, as describe() does


@dataclass(frozen=True, slots=True)
class Swap:
    """A lost dub's file then and now, as its event recorded it (sizes in bytes, None
    where the snapshots did not keep them)."""

    old: str
    new: str
    old_size: int | None = None
    new_size: int | None = None

    def text(self) -> str:
        """``A.mkv replaced by B.mkv``; the same name is a new file, with both sizes in
        the reader's locale when known: ``A.mkv: a new file (2.1 GB → 1.4 GB)``."""
        if self.old != self.new:
            return _("%(old)s replaced by %(new)s") % {"old": self.old, "new": self.new}
        if self.old_size is None or self.new_size is None:
            return _("%(name)s: a new file") % {"name": self.new}
        return _("%(name)s: a new file (%(old_size)s → %(new_size)s)") % {
            "name": self.new,
            "old_size": filesizeformat(self.old_size),
            "new_size": filesizeformat(self.new_size),
        }


def swaps_of(files: Any) -> tuple[Swap, ...]:
    """A loss event's ``files`` (scanner.engine.dub_news.DubChange.to_data) as swaps;
    the files that had no earlier one are none."""
    if not isinstance(files, list):
        return ()
    return tuple(
        Swap(str(each["old"]), str(each.get("new", "")), _bytes(each.get("old_size")),
             _bytes(each.get("new_size")))
        for each in files
        if isinstance(each, dict) and each.get("old")
    )  # fmt: skip


def _bytes(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _plain_lost() -> str:
    return _("Dub lost: %(language)s — %(title)s")


def news_title(
    title: str, language: str, arrived: bool, season: int | None, episodes: Iterable[int]
) -> str:
    """The short form: what, where, which language (the feed's entry titles)."""
    values = {"language": language_name(language), "title": title, "season": season}
    numbers = sorted(set(episodes))
    if season is not None and numbers:
        values["episodes"] = episode_list(season, numbers)  # S02E01-E03: the same everywhere
        text = (
            _("New dub: %(language)s — %(title)s %(episodes)s")
            if arrived
            else _("Dub lost: %(language)s — %(title)s %(episodes)s")
        )
    elif season is not None:
        text = (
            _("New dub: %(language)s — %(title)s, season %(season)d")
            if arrived
            else _("Dub lost: %(language)s — %(title)s, season %(season)d")
        )
    else:
        text = _("New dub: %(language)s — %(title)s") if arrived else _plain_lost()
    return text % values


def news_line(
    title: str,
    language: str,
    arrived: bool,
    season: int | None,
    episodes: Iterable[int],
    *,
    season_complete: bool = False,
    swaps: Sequence[Swap] = (),
) -> str:
    """The long form, a line of a notification and the feed's entry summary: where, a
    season now complete, and for a loss the files that replaced the ones that had the
    language. Each a whole sentence of the catalog, never glued from pieces."""
    numbers = sorted(set(episodes))
    values: dict[str, Any] = {"language": language_name(language), "title": title}
    if season is not None:
        values["season"] = season
        values["where"] = (
            episode_list(season, numbers) if numbers else _("season %(season)d") % values
        )
    if not arrived and swaps:
        values["files"] = files_text(swaps)
        if season is None:
            return _("Dub lost: %(language)s — %(title)s: %(files)s") % values
        return _("Dub lost: %(language)s — %(title)s, %(where)s: %(files)s") % values
    if season is None:
        text = _("New dub: %(language)s — %(title)s") if arrived else _plain_lost()
    elif arrived and season_complete:
        text = _("New dub: %(language)s — %(title)s, %(where)s (season %(season)d now complete)")
    else:
        text = (
            _("New dub: %(language)s — %(title)s, %(where)s")
            if arrived
            else _("Dub lost: %(language)s — %(title)s, %(where)s")
        )
    return text % values


def files_text(swaps: Sequence[Swap]) -> str:
    """The first MAX_SWAPS replaced files, "…" for more, apart as the language writes a
    list of sentences ("; ", and "\u00a0; " in French)."""
    apart = pgettext("between the replaced files of a lost dub", "; ")
    shown = [swap.text() for swap in swaps[:MAX_SWAPS]]
    return apart.join(shown + (["…"] if len(swaps) > MAX_SWAPS else []))
