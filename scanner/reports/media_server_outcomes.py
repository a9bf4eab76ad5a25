"""What a run did on each media server, in words: for its final figures, its error and
the log (the outcomes: scanner.media_servers.writes.tags)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext, ngettext_lazy


def media_server_text(outcome: dict[str, Any]) -> str:
    """``5 matched, 1 not found, 3 written, 0 errors`` (``2 refreshed`` too when it
    refreshes after NFO writes, ``5 original languages set`` on a Jellyfin 12 that set
    some, ``4 not tried`` when the connection stopped) and the
    connection's error; ``nothing written: <error>`` when it stopped before the server's
    items were read."""
    error = outcome.get("error")
    if error and not _listed(outcome):
        return gettext("nothing written: %(why)s") % {"why": error}
    shown = [key for key in COUNTED if key in ("matched", "unmatched", "written", "errors")
             or outcome.get(key) or (key == "refreshed" and key in outcome)]  # fmt: skip
    text = ", ".join(str(COUNTED[key] % {"count": outcome.get(key, 0)}) for key in shown)
    return gettext("%(counts)s; %(error)s") % {"counts": text, "error": error} if error else text


ALWAYS = ("matched", "unmatched", "written", "errors")
# Each count a fact of its own, through ngettext ("1 écrit", "3 écrits"), in this order.
COUNTED = {
    "matched": ngettext_lazy("%(count)d matched", "%(count)d matched", "count"),
    "unmatched": ngettext_lazy("%(count)d not found", "%(count)d not found", "count"),
    "written": ngettext_lazy("%(count)d written", "%(count)d written", "count"),
    "refreshed": ngettext_lazy("%(count)d refreshed", "%(count)d refreshed", "count"),
    "originals": ngettext_lazy(
        "%(count)d original language set", "%(count)d original languages set", "count"
    ),
    "errors": ngettext_lazy("%(count)d error", "%(count)d errors", "count"),
    "not_tried": ngettext_lazy("%(count)d not tried", "%(count)d not tried", "count"),
}


def media_server_problem(outcome: dict[str, Any]) -> str:
    """What failed on a media server, for the run's error, with the same counts as
    ``media_server_text``; "" when nothing did."""
    error = outcome.get("error")
    if error and not _listed(outcome):
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


def _listed(outcome: dict[str, Any]) -> bool:
    """Whether the server's items were read (and matched) before anything failed."""
    return bool(outcome.get("matched") or outcome.get("unmatched"))
