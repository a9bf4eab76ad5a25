"""What a run did on each media server, in words: for its final figures, its error and
the log (the outcomes: scanner.media_servers.writes.tags)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext


def media_server_text(outcome: dict[str, Any]) -> str:
    """``5 matched, 1 not found, 3 written, 0 errors`` (``2 refreshed`` too when it
    refreshes after NFO writes, ``4 not tried`` when the connection stopped) and the
    connection's error; ``nothing written: <error>`` when it stopped before the server's
    items were read."""
    error = outcome.get("error")
    if error and not _listed(outcome):
        return gettext("nothing written: %(why)s") % {"why": error}
    values = {key: outcome.get(key, 0) for key in
              ("matched", "unmatched", "written", "refreshed", "errors", "not_tried")}  # fmt: skip
    if "refreshed" in outcome:
        text = gettext(
            "%(matched)d matched, %(unmatched)d not found, %(written)d written, "
            "%(refreshed)d refreshed, %(errors)d errors"
        )
    else:
        text = gettext(
            "%(matched)d matched, %(unmatched)d not found, %(written)d written, %(errors)d errors"
        )
    text %= values
    if outcome.get("not_tried"):
        text += ", " + gettext("%(not_tried)d not tried") % values
    return f"{text}; {error}" if error else text


def media_server_problem(outcome: dict[str, Any]) -> str:
    """What failed on a media server, for the run's error, with the same counts as
    ``media_server_text``; "" when nothing did."""
    error = outcome.get("error")
    if error and not _listed(outcome):
        return f"nothing written: {error}"
    failed, not_tried = outcome.get("errors", 0), outcome.get("not_tried", 0)
    if not (failed or not_tried or error):
        return ""
    sent = outcome.get("written", 0) + outcome.get("refreshed", 0) + failed + not_tried
    text = f"{failed} of {sent} updates failed"
    if not_tried:
        text += f", {not_tried} not tried"
    return f"{text}: {error}" if error else text


def _listed(outcome: dict[str, Any]) -> bool:
    """Whether the server's items were read (and matched) before anything failed."""
    return bool(outcome.get("matched") or outcome.get("unmatched"))
