"""The sentence of a TRACKS_SET event (one run of the step that sets each person's
track in Plex, for one account: scanner.media_servers.writes.person_tracks), in the
reader's language: one sentence, the count of files as its noun's number."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext, ngettext

from scanner.models import event_data as codes

TOKEN = "token"  # noqa: S105 (the data's "problem": plex.tv handed out no token)


def tracks_set_text(data: Mapping[str, Any], problems: Mapping[str, Any]) -> str:
    """``problems``: the media servers' problems in words (event_sentences)."""
    stored = data.get("counts")
    counts: Mapping[str, Any] = stored if isinstance(stored, dict) else {}
    values: dict[str, Any] = {
        "server": data.get("server") or "?",
        "person": data.get("person") or "?",
        **{name: _count(counts.get(name)) for name in _NAMES},
    }
    problem = str(data.get("problem") or "")
    if problem == TOKEN:
        return (
            gettext(
                "%(server)s: the tracks of %(person)s were not set: plex.tv hands out no "
                "token of this server for their account"
            )
            % values
        )
    if problem:
        values["problem"] = problems.get(problem) or problems[codes.SERVER_OTHER]
        return gettext("%(server)s: the tracks of %(person)s were not set: %(problem)s") % values
    values["count"] = values["sent"]
    if data.get("dry_run"):
        text = ngettext(
            "%(server)s, dry run: %(count)d file would be set to the track of %(person)s "
            "(kept as chosen: %(kept)d, already right: %(unchanged)d, uncertain: "
            "%(uncertain)d).",
            "%(server)s, dry run: %(count)d files would be set to the track of %(person)s "
            "(kept as chosen: %(kept)d, already right: %(unchanged)d, uncertain: "
            "%(uncertain)d).",
            values["count"],
        )
    else:
        text = ngettext(
            "%(server)s: %(count)d file set to the track of %(person)s (kept as chosen: "
            "%(kept)d, already right: %(unchanged)d, uncertain: %(uncertain)d, failed: "
            "%(failed)d).",
            "%(server)s: %(count)d files set to the track of %(person)s (kept as chosen: "
            "%(kept)d, already right: %(unchanged)d, uncertain: %(uncertain)d, failed: "
            "%(failed)d).",
            values["count"],
        )
    return text % values


_NAMES = ("sent", "kept", "unchanged", "uncertain", "failed")


def _count(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0
