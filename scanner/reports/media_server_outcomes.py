"""What a run did on each media server, in words: for its final figures on the pages
(the outcomes, values: scanner.media_servers.writes.tags returns them, and
scanner.media_servers.writes.outcomes says them in English for the log and the run's
error)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext, ngettext_lazy

from scanner.media_servers.writes.outcomes import listed, shown_counts


def media_server_text(outcome: dict[str, Any]) -> str:
    """``5 matched, 1 not found, 3 written, 0 errors`` (``2 refreshed`` too when it
    refreshes after NFO writes, ``5 original languages set`` on a Jellyfin 12 that set
    some, ``4 not tried`` when the connection stopped) and the
    connection's error; ``nothing written: <error>`` when it stopped before the server's
    items were read."""
    error = outcome.get("error")
    if error and not listed(outcome):
        return gettext("nothing written: %(why)s") % {"why": error}
    shown = shown_counts(outcome)
    text = ", ".join(str(COUNTED[key] % {"count": outcome.get(key, 0)}) for key in shown)
    return gettext("%(counts)s; %(error)s") % {"counts": text, "error": error} if error else text


# Each count a fact of its own, through ngettext ("1 écrit", "3 écrits"), in the order of
# scanner.media_servers.writes.outcomes.COUNTED.
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
