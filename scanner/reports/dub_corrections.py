"""A run's corrections in the reader's language: the items whose unchanged files were
judged otherwise, told on the run's page instead of as dub news (issue 68; the counts
and first titles are the run's summary, ``corrected``: scanner.pipeline.scanning.dub_news).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext, ngettext

REASONS = ("read", "judged")


def correction_lines(summary: dict[str, Any]) -> list[tuple[str, str]]:
    """``Corrected without news``: ``3 items corrected by reading their unchanged files:
    Akira, Coco, Dark``, a line per reason."""
    corrected = summary.get("corrected")
    if not isinstance(corrected, dict):
        return []
    lines = []
    for reason in REASONS:
        entry = corrected.get(reason)
        if not isinstance(entry, dict) or not isinstance(entry.get("count"), int):
            continue
        count = entry["count"]
        titles = [str(title) for title in entry.get("titles") or [] if title]
        if count < 1 or not titles:
            continue
        named = ", ".join(titles)
        if (rest := count - len(titles)) > 0:
            more = ngettext("%(shown)s and %(rest)d more", "%(shown)s and %(rest)d more", rest)
            named = more % {"shown": named, "rest": rest}
        lines.append((gettext("Corrected without news"), _sentence(reason, count, named)))
    return lines


def _sentence(reason: str, count: int, titles: str) -> str:
    if reason == "read":
        text = ngettext(
            "%(count)d item corrected by reading its unchanged files: %(titles)s",
            "%(count)d items corrected by reading their unchanged files: %(titles)s",
            count,
        )
    else:
        text = ngettext(
            "%(count)d item corrected by judging its unchanged files again: %(titles)s",
            "%(count)d items corrected by judging their unchanged files again: %(titles)s",
            count,
        )
    return text % {"count": count, "titles": titles}
