"""One Plex part's selection for one person (plex_tracks.py runs it per part of each
item it reads): the choice made from the file's stored tracks (the engine's decision,
engine.file_choice, from the row read as file_rows.py reads it), the part's streams
matched to the tracks (stream_match.py), then counted (a dry run) or sent when it
changed, through the lease's fence (scanner.media_servers.writes.track_lease), and the
row to store: an item's rows go in one statement with its check (track_checks.py)."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from scanner.engine.listener import Listener
from scanner.engine.track_choice import ChoiceOutcome, TrackChoice
from scanner.household import track_checks
from scanner.household.file_rows import choice_of_row, stored_tracks
from scanner.household.stream_choice import Selection, apply_choice, decide
from scanner.household.stream_match import StreamMatch, match_streams
from scanner.household.track_checks import File
from scanner.media_servers.clients.base import TRANSIENT_ERRORS, ItemGone, ServerErrorStatus
from scanner.media_servers.clients.plex import PlexClient
from scanner.media_servers.clients.plex_streams import SUBTITLES_OFF, PlexPart
from scanner.media_servers.writes.retries import retried, server_retry_policy
from scanner.models import Media, PersonAccount, TrackSetting
from scanner.models.bulk import upsert

__all__ = [
    "EXTERNAL_AUDIO",
    "FAILED",
    "KEPT",
    "NONE",
    "OUTCOMES",
    "SENT",
    "TOKEN",
    "UNCERTAIN",
    "UNCHANGED",
    "AccountTracks",
    "set_part",
    "store_item",
]

logger = logging.getLogger(__name__)

# The outcomes counted per part (TrackRun.counts): a dry run's SENT is "would send".
SENT, KEPT, UNCHANGED, UNCERTAIN, NONE, FAILED = (
    "sent",
    "kept",
    "unchanged",
    "uncertain",
    "none",
    "failed",
)
OUTCOMES = (SENT, KEPT, UNCHANGED, UNCERTAIN, NONE, FAILED)
TOKEN = "token"  # noqa: S105 (TrackRun.problem: plex.tv handed out no token for the account)
# Why an UNCERTAIN part was sent nothing (TrackRun.doubts, household.track_reasons): the
# track chosen is an audio file beside the video, which Plex does not play
# (docs/tagging-rules.md, "External audio files").
EXTERNAL_AUDIO = "external-audio"


@dataclass
class AccountTracks:
    """What one run did for one account."""

    dry_run: bool
    counts: Counter[str] = field(default_factory=Counter)
    doubts: Counter[str] = field(default_factory=Counter)
    problem: str = ""
    reason: str = ""  # the token's refusal code, with problem TOKEN


def set_part(
    client: PlexClient,
    account: PersonAccount,
    listener: Listener,
    media: Media,
    part: PlexPart,
    file: File,
    token: str,
    last: dict[int, TrackSetting],
    result: AccountTracks,
    fence: Callable[[], None],
) -> TrackSetting | bool:
    """The part's outcome counted; the row to store when a selection was set or kept,
    False when it failed, True when there is nothing to store."""
    choice = choice_of_row(listener, file.row)
    if choice.outcome == ChoiceOutcome.NONE:
        result.counts[NONE] += 1
        return True
    if choice.audio_file is not None:  # an audio file beside the video: Plex plays none
        result.counts[UNCERTAIN] += 1
        result.doubts[EXTERNAL_AUDIO] += 1
        return True
    if choice.outcome == ChoiceOutcome.UNCERTAIN or choice.audio is None:
        result.counts[UNCERTAIN] += 1
        result.doubts[str(choice.doubt or ChoiceOutcome.UNCERTAIN)] += 1
        return True
    tracks = stored_tracks(file.row[2], file.row[3])
    matched = match_streams(part.file, [part], tracks.audio, tracks.subtitles)
    wanted, doubt = _wanted(choice, matched)
    if wanted is None:
        result.counts[UNCERTAIN] += 1
        result.doubts[doubt] += 1
        return True
    before = last.get(part.id)
    previous = Selection(before.audio_stream, before.subtitle_stream) if before else None
    if result.dry_run:
        result.counts[decide(part, wanted, previous).outcome] += 1
        return True
    policy = server_retry_policy()
    what = f"media server {account.media_server.name}: part {part.id}"

    def fenced(call: Callable[[], None]) -> None:
        fence()  # the selection is sent only while the token holds the step
        retried(call, policy, what)

    try:
        outcome = apply_choice(client, part, token, wanted, previous, retrying=fenced)
    except TRANSIENT_ERRORS:
        raise  # the budget is spent: the server is down for this run
    except (ItemGone, ServerErrorStatus) as exc:
        logger.warning("%s: streams of %s not set: %s", what, media.title, exc)
        result.counts[FAILED] += 1
        return False
    result.counts[outcome.outcome] += 1
    record = outcome.record or wanted
    return TrackSetting(
        account=account,
        part_id=part.id,
        media_file_id=file.pk,
        audio_stream=record.audio,
        subtitle_stream=record.subtitle,
        chosen_by=outcome.chosen_by,
        set_at=before.set_at if before and outcome.outcome == KEPT else timezone.now(),
    )


def store_item(
    account: PersonAccount,
    settings: list[TrackSetting],
    done: dict[int, str],
    fence: Callable[[], None],
) -> None:
    """The item's selections (one statement) and its check, under the lease."""
    with transaction.atomic():
        fence()
        upsert(
            settings,
            unique_fields=["account", "part_id"],
            update_fields=[
                "media_file", "audio_stream", "subtitle_stream", "chosen_by", "set_at",
            ],
        )  # fmt: skip
        if done:
            track_checks.store_checks(account, done)


def _wanted(choice: TrackChoice, matched: StreamMatch) -> tuple[Selection | None, str]:
    """The streams to select for the choice, or None and why the match is not certain."""
    audio = matched.audio.get(choice.audio) if choice.audio is not None else None
    if not matched.audio_certain() or audio is None:
        return None, _doubt(matched, ("audio", "part"))
    subtitle = choice.subtitle
    if subtitle is None:
        return Selection(audio, None), ""
    if subtitle.off:
        return Selection(audio, SUBTITLES_OFF), ""
    if not matched.subtitles_certain():
        return None, _doubt(matched, ("subtitle",))
    found = (
        matched.subtitles.get(subtitle.position)
        if subtitle.position is not None
        else matched.sidecars.get(subtitle.file or "")
    )
    if found is None:
        return None, "no-candidate"
    return Selection(audio, found), ""


def _doubt(matched: StreamMatch, kinds: tuple[str, ...]) -> str:
    return next((d.code for d in matched.doubts if d.kind in kinds), "part-not-found")
