"""The verdict's reason in the reader's language, rendered when a page is drawn.

The engine stores its reason as English text (``Media.verdict_reasons["summary"]``: the
history, the logs and the API keep it as it is) next to the facts it was decided from:
every counted file's languages, what it misses, what it has unasked, whether it is
wrong, whether it could be read. The sentence people read is made again from those
facts here, with gettext, following the rules' table (docs/tagging-rules.md, as
scanner/engine/verdict.py ``_decide`` words it). A reason without those facts (stored
before they were kept) is shown as it was stored."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext, pgettext

from scanner.engine.targets import ORIGINAL_ONLY
from scanner.language_names import inner_name, language_names


def reason_sentence(reasons: Mapping[str, Any] | None) -> str:
    """The reason without the tag it starts with (the page shows the tag as a badge)."""
    reasons = reasons if isinstance(reasons, Mapping) else {}
    summary = str(reasons.get("summary") or "")
    head, _, rest = summary.partition(": ")
    rows = [
        row
        for block in reasons.get("seasons") or []
        if isinstance(block, Mapping)
        for row in block.get("files") or []
        if isinstance(row, Mapping)
    ]
    sentence = _sentence(head, reasons, rows) if rows or head == "no change" else None
    return _wanted(head, reasons, sentence if sentence is not None else (rest or summary))


def _wanted(head: str, reasons: Mapping[str, Any], sentence: str) -> str:
    """The sentence with a person's word on the item's targets (Media.wanted), when it
    has one: "original only, chosen by alice on 26 November 2026"."""
    wanted = reasons.get("wanted")
    if not isinstance(wanted, Mapping) or head == "no change":
        return sentence
    try:
        at = parse_date(str(wanted.get("at") or ""))
    except ValueError:  # a well-formed date that is none
        at = None
    values = {
        "user": str(wanted.get("by") or "?"),
        "date": date_format(at, "DATE_FORMAT") if at else "?",
        "reason": sentence,
    }
    if wanted.get("mode") == ORIGINAL_ONLY:
        return gettext("original only, chosen by %(user)s on %(date)s") % values
    return gettext("%(reason)s (the item's own targets, chosen by %(user)s on %(date)s)") % values


def _sentence(head: str, reasons: Mapping[str, Any], rows: list[Mapping[str, Any]]) -> str | None:
    readable = [row for row in rows if not row.get("error")]
    total, errors = len(readable), len(rows) - len(readable)
    targets = _names(reasons.get("targets") or [])
    if head == "no change":
        if errors:
            return ngettext(
                "no change: no counted file could be read (%(count)d file with errors)",
                "no change: no counted file could be read (%(count)d files with errors)",
                errors,
            ) % {"count": errors}
        return gettext("no change: no counted file was found")
    if head == "none" and not reasons.get("targets"):
        original = reasons.get("original")
        name = inner_name(str(original)) if original else pgettext("an unknown language", "unknown")
        return gettext("no target besides the original language (%(language)s)") % {
            "language": name
        }
    if head == "none":
        return gettext("no file has any of the targets (%(targets)s)") % {"targets": targets}
    if head == "dub":
        if total == 1:
            return gettext("the only file has every target (%(targets)s)") % {"targets": targets}
        every = ngettext(
            "all %(total)d files have every target (%(targets)s)",
            "all %(total)d files have every target (%(targets)s)",
            total,
        )
        return every % {
            "total": total,
            "targets": targets,
        }
    if head == "wrong-dub":
        wrong = [row for row in readable if row.get("wrong")]
        others = _names([code for row in wrong for code in row.get("unexpected") or []])
        # One count per plural (issue 84): the files it is true of govern the sentence.
        return ngettext(
            "%(count)d file has other languages (%(others)s) and none of the targets (%(targets)s)",
            "%(count)d files have other languages (%(others)s) and none of the targets "
            "(%(targets)s)",
            len(wrong),
        ) % {"count": len(wrong), "others": others, "targets": targets}
    if head == "semi-dub":
        # One count per plural (issue 84): the files that lack a target govern it.
        missing = sum(1 for row in readable if row.get("missing"))
        return ngettext(
            "%(count)d file lacks at least one of the targets (%(targets)s)",
            "%(count)d files lack at least one of the targets (%(targets)s)",
            missing,
        ) % {"count": missing, "targets": targets}
    return None


def _names(codes: list[Any]) -> str:
    return language_names([str(code) for code in codes]) or "-"
