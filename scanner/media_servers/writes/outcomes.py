"""What a run did on one media server, as the writers return it (tags.py: the outcome,
a dict of counts and the connection's error) and as the log and the run's error say it
in English. The same figures in the reader's language are made where they are shown
(scanner.reports.media_server_outcomes.media_server_text): the pipeline and the writers
never import a words module (an import contract), they hand up these values.

An outcome's keys: ``matched``, ``unmatched``, ``written``, ``refreshed``, ``originals``
(Jellyfin 12's original languages set), ``errors``, ``not_tried`` (the connection
stopped), ``requests``, ``error`` (the connection's, in English)."""

from __future__ import annotations

from typing import Any

# The counts an outcome shows, in this order; ALWAYS shown, the others when they are not
# zero ("refreshed" whenever the server refreshes after NFO writes: the key is there).
COUNTED = ("matched", "unmatched", "written", "refreshed", "originals", "errors", "not_tried")
ALWAYS = ("matched", "unmatched", "written", "errors")

# Each count's English (singular, plural): the log's words; the pages' are msgids of the
# same text (scanner.reports.media_server_outcomes.COUNTED).
_ENGLISH = {
    "matched": ("matched", "matched"),
    "unmatched": ("not found", "not found"),
    "written": ("written", "written"),
    "refreshed": ("refreshed", "refreshed"),
    "originals": ("original language set", "original languages set"),
    "errors": ("error", "errors"),
    "not_tried": ("not tried", "not tried"),
}


def shown_counts(outcome: dict[str, Any]) -> list[str]:
    """The keys of ``COUNTED`` an outcome shows, in order."""
    return [
        key
        for key in COUNTED
        if key in ALWAYS or outcome.get(key) or (key == "refreshed" and key in outcome)
    ]


def listed(outcome: dict[str, Any]) -> bool:
    """Whether the server's items were read (and matched) before anything failed."""
    return bool(outcome.get("matched") or outcome.get("unmatched"))


def outcome_line(outcome: dict[str, Any]) -> str:
    """The log's line: ``5 matched, 1 not found, 3 written, 0 errors`` and the
    connection's error, or ``nothing written: <error>`` when it stopped before the
    server's items were read; word for word the pages' sentence in English."""
    error = outcome.get("error")
    if error and not listed(outcome):
        return f"nothing written: {error}"
    text = ", ".join(_count(key, outcome.get(key, 0)) for key in shown_counts(outcome))
    return f"{text}; {error}" if error else text


def media_server_problem(outcome: dict[str, Any]) -> str:
    """What failed on a media server, for the run's error (English, as the log), with
    the same counts as ``outcome_line``; "" when nothing did."""
    error = outcome.get("error")
    if error and not listed(outcome):
        return f"nothing written: {error}"
    failed, not_tried = outcome.get("errors", 0), outcome.get("not_tried", 0)
    if not (failed or not_tried or error):
        return ""
    done = sum(outcome.get(key, 0) for key in ("written", "refreshed", "originals"))
    sent = done + failed + not_tried
    text = f"{failed} of {sent} updates failed"
    if not_tried:
        text += f", {not_tried} not tried"
    return f"{text}: {error}" if error else text


def _count(key: str, count: int) -> str:
    one, many = _ENGLISH[key]
    return f"{count} {one if count == 1 else many}"
