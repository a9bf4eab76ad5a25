"""The sentence of a TRACKS_SET event (one run of the step that sets each person's
track in Plex, for one account: scanner.household.plex_tracks), in the
reader's language: one sentence, the count of files as its noun's number. The event's
data and the person page's TrackRun are both read into one typed value first
(TrackRunFacts), so that both say a run alike."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext, gettext_lazy, ngettext

from scanner.models import event_data as codes

TOKEN = "token"  # noqa: S105 (the data's "problem": plex.tv handed out no token)

# Why plex.tv handed out no token (TrackRun.reason; the codes:
# scanner.media_servers.clients.plex_people.TokenRefusal): one whole sentence each.
TOKEN_SENTENCES = {
    "pin-required": gettext_lazy(
        "%(server)s: the tracks of %(person)s were not set: their Plex Home profile is "
        "protected by a PIN that Taggarr does not have or that is wrong"
    ),
    "not-shared": gettext_lazy(
        "%(server)s: the tracks of %(person)s were not set: this server is not shared with "
        "their account"
    ),
    "friend-no-token": gettext_lazy(
        "%(server)s: the tracks of %(person)s were not set: they are an invited friend, and "
        "since March 2026 plex.tv hands out no token of a server for invited friends"
    ),
    "unknown-account": gettext_lazy(
        "%(server)s: the tracks of %(person)s were not set: plex.tv does not know their "
        "account any more"
    ),
}
# plex.tv failed, not the server (scanner.media_servers.writes.events.problem_of).
PLEX_TV_SENTENCES = {
    codes.PLEX_TV_KEY: gettext_lazy(
        "%(server)s: the tracks of %(person)s were not set: plex.tv refused the token that "
        "the server accepts (plex.tv hands out people's tokens only for the server owner's)"
    ),
    codes.PLEX_TV_UNREACHABLE: gettext_lazy(
        "%(server)s: the tracks of %(person)s were not set: plex.tv, which hands out their "
        "token, did not answer or was out of service; Taggarr tries again after the next scan"
    ),
    codes.PLEX_TV_OTHER: gettext_lazy(
        "%(server)s: the tracks of %(person)s were not set: plex.tv refused to hand out "
        "their token (the log says why)"
    ),
}
# A refusal this version does not know (a newer one's row read by an older page).
TOKEN_OTHER = gettext_lazy(
    "%(server)s: the tracks of %(person)s were not set: plex.tv hands out no token of this "
    "server for their account"
)


@dataclass(frozen=True, slots=True)
class TrackRunFacts:
    """What one run of the step did for one account, as its sentence needs it.

    ``counts``: files per outcome ("sent", "kept", "unchanged", "uncertain", "failed");
    ``problem``: why the run stopped early (event_data's SERVER_* codes, or TOKEN with
    ``reason`` plex.tv's refusal)."""

    server: str
    person: str
    dry_run: bool = False
    counts: Mapping[str, int] = field(default_factory=dict)
    problem: str = ""
    reason: str = ""

    @classmethod
    def from_event_data(cls, data: Mapping[str, Any]) -> TrackRunFacts:
        """The facts an event's data keeps (any value of another type read as absent:
        the data is JSON, and an older or newer version may have written it)."""
        stored = data.get("counts")
        counts = stored if isinstance(stored, Mapping) else {}
        return cls(
            server=_text(data.get("server")),
            person=_text(data.get("person")),
            dry_run=data.get("dry_run") is True,
            counts={name: _count(counts.get(name)) for name in _NAMES},
            problem=_text(data.get("problem")),
            reason=_text(data.get("reason")),
        )


def tracks_set_text(facts: TrackRunFacts, problems: Mapping[str, Any]) -> str:
    """``problems``: the media servers' problems in words (event_sentences)."""
    values: dict[str, Any] = {
        "server": facts.server or "?",
        "person": facts.person or "?",
        **{name: _count(facts.counts.get(name)) for name in _NAMES},
    }
    if facts.problem == TOKEN:
        return str(TOKEN_SENTENCES.get(facts.reason, TOKEN_OTHER)) % values
    if facts.problem in PLEX_TV_SENTENCES:
        return str(PLEX_TV_SENTENCES[facts.problem]) % values
    if facts.problem:
        values["problem"] = problems.get(facts.problem) or problems[codes.SERVER_OTHER]
        return gettext("%(server)s: the tracks of %(person)s were not set: %(problem)s") % values
    values["count"] = values["sent"]
    if facts.dry_run:
        text = ngettext(
            "%(server)s, dry run: %(count)d file would be set to the track of %(person)s.",
            "%(server)s, dry run: %(count)d files would be set to the track of %(person)s.",
            values["count"],
        )
    else:
        text = ngettext(
            "%(server)s: %(count)d file set to the track of %(person)s.",
            "%(server)s: %(count)d files set to the track of %(person)s.",
            values["count"],
        )
    # Each other count in a sentence of its own (issue 84: one count per plural), said
    # when it is not zero.
    others = [
        ngettext(
            "%(count)d file was kept as its viewer chose.",
            "%(count)d files were kept as their viewers chose.",
            values["kept"],
        ),
        ngettext(
            "%(count)d file already had the right track.",
            "%(count)d files already had the right track.",
            values["unchanged"],
        ),
        ngettext(
            "%(count)d file was left alone: its tracks are uncertain.",
            "%(count)d files were left alone: their tracks are uncertain.",
            values["uncertain"],
        ),
    ]
    counts = [values["kept"], values["unchanged"], values["uncertain"]]
    if not facts.dry_run:
        others.append(
            ngettext(
                "Setting the track failed for %(count)d file.",
                "Setting the track failed for %(count)d files.",
                values["failed"],
            )
        )
        counts.append(values["failed"])
    sentences = [text % values]
    sentences += [other % {"count": n} for other, n in zip(others, counts, strict=True) if n]
    return " ".join(sentences)


_NAMES = ("sent", "kept", "unchanged", "uncertain", "failed")


def _count(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""
