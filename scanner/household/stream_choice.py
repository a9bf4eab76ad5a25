"""Setting one person's audio and subtitle stream of one Plex part: what to send, and
sending it (issue 70: "only what changed is sent; a person's manual choice made in Plex
after Taggarr's is kept: read the stream's ``selected`` before writing and record who
chose"). No Django: the caller reads the part as the person sees it
(``PlexClient.parts(..., token=...)``), knows what Taggarr set last time for this
person and part, and stores what this returns.

- ``unchanged``: the person already plays what Taggarr wants; nothing is sent.
- ``kept``: what the person plays is not what Taggarr set last time: they chose in
  Plex since; nothing is sent, and their choice stays (``chosen_by="person"``). One
  kind changed by hand keeps both: a person who picked the Japanese audio picked its
  subtitles with it.
- ``sent``: one PUT with only the kinds that change (``allParts=1``).

The first time (``last`` None) Taggarr cannot tell a choice made by hand from Plex's
default and sets what it wants.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, Protocol

from scanner.media_servers.clients.plex_streams import PlexPart

__all__ = ["ChoiceOutcome", "Selection", "StreamSelector", "apply_choice", "decide"]

Outcome = Literal["unchanged", "kept", "sent"]
ChosenBy = Literal["taggarr", "person"]


@dataclass(frozen=True)
class Selection:
    """An audio and a subtitle stream id; None: not set (wanted: leave it as it is);
    a subtitle of ``plex_streams.SUBTITLES_OFF`` (0): no subtitles."""

    audio: int | None = None
    subtitle: int | None = None


@dataclass(frozen=True)
class ChoiceOutcome:
    outcome: Outcome
    part_id: int
    sent: Selection  # what the PUT carried (nothing unless ``sent``)
    playing: Selection  # what the person plays afterwards
    chosen_by: ChosenBy
    # What to store as "Taggarr set last time": the wanted streams when sent or
    # unchanged, the previous record when kept (the person's choice is theirs).
    record: Selection | None


class StreamSelector(Protocol):
    def select_streams(
        self,
        part_id: int,
        *,
        token: str | None,
        audio: int | None = None,
        subtitle: int | None = None,
    ) -> None: ...


def decide(part: PlexPart, wanted: Selection, last: Selection | None) -> ChoiceOutcome:
    """What to do for the part as the person sees it now (``selected`` is theirs)."""
    playing = Selection(part.selected_audio(), part.selected_subtitle())
    if last is not None and _changed_by_hand(playing, last):
        return ChoiceOutcome("kept", part.id, Selection(), playing, "person", last)
    send = Selection(
        wanted.audio if wanted.audio is not None and wanted.audio != playing.audio else None,
        wanted.subtitle
        if wanted.subtitle is not None and wanted.subtitle != playing.subtitle
        else None,
    )
    record = Selection(
        wanted.audio if wanted.audio is not None else (last.audio if last else None),
        wanted.subtitle if wanted.subtitle is not None else (last.subtitle if last else None),
    )
    if send == Selection():
        return ChoiceOutcome("unchanged", part.id, send, playing, "taggarr", record)
    after = Selection(
        send.audio if send.audio is not None else playing.audio,
        send.subtitle if send.subtitle is not None else playing.subtitle,
    )
    return ChoiceOutcome("sent", part.id, send, after, "taggarr", record)


def apply_choice(
    client: StreamSelector,
    part: PlexPart,
    token: str | None,
    wanted: Selection,
    last: Selection | None,
    *,
    retrying: Callable[[Callable[[], None]], None] = lambda call: call(),
) -> ChoiceOutcome:
    """``decide``, then the one PUT when something is to send, through ``retrying``
    (the write step passes ``writes.retries.retried`` with its budget: the client
    sends each request once). Raises what the client raises (ItemGone, ...)."""
    outcome = decide(part, wanted, last)
    if outcome.outcome == "sent":
        sent = outcome.sent

        def send() -> None:
            client.select_streams(part.id, token=token, audio=sent.audio, subtitle=sent.subtitle)

        retrying(send)
    return outcome


def _changed_by_hand(playing: Selection, last: Selection) -> bool:
    audio_moved = last.audio is not None and playing.audio != last.audio
    subtitle_moved = last.subtitle is not None and playing.subtitle != last.subtitle
    return audio_moved or subtitle_moved
