"""A tag change in words, built at display time: the summary tag's change when it
changed ("no tag → dub"), else the labels' change alone ("+sub-fr", "dub-de →
semi-dub-de"); the absence of a tag is "no tag", never the word ``none``."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext

from scanner.engine.verdict import Tag

MINUS = "\u2212"  # the minus sign before a lost label


def tag_word(tag: str | None) -> str:
    """A summary tag as shown: the tag's name, or "no tag" for none or never written."""
    if not tag or tag == Tag.NONE:
        return gettext("no tag")
    return tag


def same_tag(before: str | None, after: str | None) -> bool:
    """Never written ("") and ``none`` are one state: no tag."""
    return (before or Tag.NONE) == (after or Tag.NONE)


def _pairs(gained: list[str], lost: list[str]) -> list[tuple[str, str]]:
    """A lost label and a gained one for the same language and kind (``dub-de`` and
    ``semi-dub-de``: one ends with ``-`` and the other), told as one change."""
    pairs = []
    for old in list(lost):
        for new in gained:
            if new.endswith("-" + old) or old.endswith("-" + new):
                pairs.append((old, new))
                gained.remove(new)
                lost.remove(old)
                break
    return pairs


def labels_change(before: Iterable[str], after: Iterable[str]) -> str:
    """``+sub-fr, dub-de → semi-dub-de, -sub-en`` (a minus sign); "" when the same."""
    old, new = set(before), set(after)
    gained, lost = sorted(new - old), sorted(old - new)
    pairs = _pairs(gained, lost)
    parts = [f"+{label}" for label in gained]
    parts += [f"{a} \u2192 {b}" for a, b in pairs]
    parts += [f"{MINUS}{label}" for label in lost]
    return ", ".join(parts)
