"""The answer's decision (issue 72): whether an ask is answered now — its asker read,
its item matched and, for a request, available — and, from where the item stands, what
changed since Seerr was last told: nothing, the language there from the start (ended
unsaid), or a change to tell."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from scanner.models import Media, SeerrAsk
from scanner.seerr import heard
from scanner.seerr.asker import read_asker
from scanner.seerr.standing import MISSING, in_library


class Outcome(StrEnum):
    """What an answer did (the task's log; ``commented`` and ``resolved`` told Seerr)."""

    NOTHING = "nothing"  # no open ask, its connection off, or its item not matched yet
    NO_PERSON = "no person"  # its asker is linked to no person with languages: ended
    NOT_AVAILABLE = "not available yet"  # a request answered once available
    UNCHANGED = "unchanged"  # Seerr was told this standing already
    PRESENT = "present"  # a request whose language was there from the start: ended
    ELSEWHERE = "answered elsewhere"  # another worker is telling this change
    COMMENTED = "commented"
    RESOLVED = "resolved"  # the language arrived: said, and the issue resolved


@dataclass(frozen=True)
class Change:
    """A change of standing to tell Seerr."""

    standing: heard.Standing
    before: str  # what Seerr was told last ("" nothing yet)
    done: bool  # the language is there: the ask ends once Seerr took it
    arrived: bool  # it came after it was missing: said so, and the issue resolved


def open_ask(ask_id: int) -> SeerrAsk | None:
    """The ask, with its connection, item and asker, when it is still followed."""
    return (
        SeerrAsk.objects.select_related("connection", "media__instance", "asker__person")
        .filter(pk=ask_id, done=False)
        .first()
    )


def ready(ask: SeerrAsk) -> Outcome | Media:
    """The item to answer for, or why the ask is not answered now: its connection is off,
    its asker (read from Seerr once: raises SeerrError when Seerr could not be asked) has
    no person, its item is not matched yet, or a request's item is not available yet."""
    if not ask.connection.active:
        return Outcome.NOTHING
    if ask.seasons is None or ask.asker is None:
        unfollowed = read_asker(ask)
        if unfollowed:
            return Outcome(unfollowed)
    media = ask.media
    if media is None:
        return Outcome.NOTHING
    if ask.kind == SeerrAsk.Kind.REQUEST and not (ask.available or in_library(media)):
        return Outcome.NOT_AVAILABLE
    return media


def decide(ask: SeerrAsk, standing: heard.Standing, *, untold: bool = False) -> Outcome | Change:
    """What the item's standing asks of the answer: nothing when Seerr was told it (and
    no quality profile set for the ask is ``untold``: then that is the change), the ask
    ended unsaid when a request's language was there before anything was said, else the
    change to tell."""
    before = ask.said
    if standing.state == before and not untold:
        return Outcome.UNCHANGED
    if standing.state == heard.PRESENT and ask.kind == SeerrAsk.Kind.REQUEST and not before:
        return Outcome.PRESENT
    done = standing.state == heard.PRESENT
    return Change(standing, before, done=done, arrived=done and before in MISSING)


def end_present(ask: SeerrAsk) -> None:
    """A request whose language was there from the start: nothing said, the ask ended."""
    SeerrAsk.objects.filter(pk=ask.pk).update(said=heard.PRESENT, done=True)
