"""What a run did on each media server, in words: for its final figures, its error and
the log (the outcomes: scanner.media_servers.writes.tags)."""

from __future__ import annotations

from typing import Any


def media_server_text(outcome: dict[str, Any]) -> str:
    """``5 matched, 1 not found, 3 written, 0 errors`` (``2 refreshed`` too when it
    refreshes after NFO writes, ``4 not tried`` when the connection stopped) and the
    connection's error; ``nothing written: <error>`` when it stopped before the server's
    items were read."""
    error = outcome.get("error")
    if error and not _listed(outcome):
        return f"nothing written: {error}"
    refreshed = f"{outcome['refreshed']} refreshed, " if "refreshed" in outcome else ""
    not_tried = f", {outcome['not_tried']} not tried" if outcome.get("not_tried") else ""
    text = (
        f"{outcome.get('matched', 0)} matched, {outcome.get('unmatched', 0)} not found, "
        f"{outcome.get('written', 0)} written, {refreshed}{outcome.get('errors', 0)} errors"
        f"{not_tried}"
    )
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
