"""Each person's track in Plex (issue 70, items 2 and 4): for one person account on a
Plex server, every file Taggarr knows of the server's instances is read as that account
sees it, its streams matched to Taggarr's tracks (stream_match.py), the person's track
chosen (engine.track_choice, the file's tracks read as the dry run's report reads them:
reports.person_tracks), then either counted (a dry run: the server's
``set_person_tracks`` off) or set (stream_choice.apply_choice: only what changed is
sent; a choice the person made in Plex since Taggarr's is kept). No media file is
touched.

- The account's token comes from plex.tv for this run (``PlexClient.account_token``,
  with the account's PIN when one is saved for a protected Plex Home member): never
  stored, never logged, never a task's argument (the PIN neither: read here, from the
  account, encrypted at rest).
- Items: the instances' items paired with the server's (matching.py), as the tag
  writes pair them; a series' files by ``episode_files`` (server file -> episode), a
  movie's by its parts; a server file is Taggarr's after the path mappings.
- An uncertain match or choice sends nothing and is counted with its reason (the
  choice's Doubt or the match's MatchDoubt code).
- Transient failures (no answer, 502/503/504) are retried within the media servers'
  budget (retries.py); a part the server refuses (400, 404, 500) fails alone; a refused
  key or a server that stays unreachable stops the account's run (``problem``).

Each run stores one TrackRun per account and one TRACKS_SET event.
"""

from __future__ import annotations

import functools
import logging
import posixpath
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from scanner.arr.paths import PathMapper
from scanner.engine.listener import Listener
from scanner.engine.track_choice import ChoiceOutcome, TrackChoice
from scanner.errors import ConfigError
from scanner.media_servers.clients.base import (
    TRANSIENT_ERRORS,
    ItemGone,
    MediaServerError,
    ServerAccount,
    ServerErrorStatus,
    item_kind,
)
from scanner.media_servers.clients.plex import PlexClient
from scanner.media_servers.clients.plex_people import AccountTokenUnavailable
from scanner.media_servers.clients.plex_streams import SUBTITLES_OFF, PlexPart
from scanner.media_servers.connect import server_client
from scanner.media_servers.matching import match_items
from scanner.media_servers.stream_match import StreamMatch, match_streams
from scanner.media_servers.writes.events import problem_of
from scanner.media_servers.writes.retries import retried, server_retry_policy
from scanner.media_servers.writes.stream_choice import Selection, apply_choice, decide
from scanner.media_servers.writes.tags import library_ids, local_item
from scanner.models import (
    Event,
    Media,
    MediaFile,
    MediaServer,
    PersonAccount,
    ScanRun,
    TrackRun,
    TrackSetting,
)
from scanner.reports.person_tracks import FILE_FIELDS, choice_of_row, stored_tracks

__all__ = [
    "FAILED",
    "KEPT",
    "NONE",
    "SENT",
    "TOKEN",
    "UNCERTAIN",
    "UNCHANGED",
    "AccountTracks",
    "accounts_to_set",
    "set_account_tracks",
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


@dataclass
class AccountTracks:
    """What one run did for one account."""

    dry_run: bool
    counts: Counter[str] = field(default_factory=Counter)
    doubts: Counter[str] = field(default_factory=Counter)
    problem: str = ""
    reason: str = ""  # the token's refusal code, with problem TOKEN


@dataclass(frozen=True)
class _File:
    pk: int
    row: tuple[Any, ...]  # FILE_FIELDS


def accounts_to_set(
    *, run_id: int | None = None, server: MediaServer | None = None, person_id: int | None = None
) -> list[int]:
    """The person accounts the step runs for: on the enabled Plex servers (the one
    given; those the run's instance feeds), of one person when given."""
    accounts = PersonAccount.objects.filter(
        media_server__enabled=True, media_server__kind=MediaServer.Kind.PLEX
    )
    if server is not None:
        accounts = accounts.filter(media_server=server)
    if run_id is not None:
        instance = ScanRun.objects.filter(pk=run_id).values_list("instance_id", flat=True)
        accounts = accounts.filter(media_server__instances__in=instance)
    if person_id is not None:
        accounts = accounts.filter(person_id=person_id)
    return list(accounts.order_by("pk").values_list("pk", flat=True).distinct())


def set_account_tracks(account_id: int, run_id: int | None = None) -> AccountTracks | None:
    """The step for one person account (the run's instance's items after a scan, the
    run's scope's when it has one, every instance's of the server on demand); None when
    there is nothing to do (the account or server gone, disabled, or not Plex)."""
    account = (
        PersonAccount.objects.select_related("person", "media_server").filter(pk=account_id).first()
    )
    if account is None:
        return None
    server = account.media_server
    if not server.enabled or server.kind != MediaServer.Kind.PLEX:
        return None
    run = ScanRun.objects.select_related("instance").filter(pk=run_id).first() if run_id else None
    # A dry-run scan writes nothing, to the media servers either.
    result = AccountTracks(dry_run=not server.set_person_tracks or bool(run and run.dry_run))
    started = timezone.now()
    try:
        client = server_client(server)
    except ConfigError as exc:
        result.problem = problem_of(exc)
    else:
        try:
            if isinstance(client, PlexClient):
                _run(client, server, account, run, result)
        finally:
            client.close()
    _store(account, run, result, started)
    return result


def _run(
    client: PlexClient,
    server: MediaServer,
    account: PersonAccount,
    run: ScanRun | None,
    result: AccountTracks,
) -> None:
    policy = server_retry_policy()
    doing = f"media server {server.name}: tracks of {account.account_name}"
    listener = account.person.listener()
    listed = ServerAccount(account.account_id, account.account_name, account.account_kind)  # type: ignore[arg-type]
    try:
        pin = account.get_pin()  # a protected home member's; read here, passed on only
        token = retried(lambda: client.account_token(listed, pin=pin), policy, doing)
    except ConfigError as exc:  # the PIN was saved with another encryption key
        result.problem = problem_of(exc)
        return
    except AccountTokenUnavailable as exc:
        result.problem, result.reason = TOKEN, exc.reason
        return
    except MediaServerError as exc:
        result.problem = problem_of(exc)
        return
    last = {s.part_id: s for s in TrackSetting.objects.filter(account=account).select_related(None)}
    try:
        for media, parts, files in _items(client, server, run, token, policy, doing):
            for part in parts:
                found = files.get(part.file)
                if found is not None:
                    _part(client, account, listener, media, part, parts, found, token, last, result)
    except (MediaServerError, ConfigError) as exc:
        result.problem = problem_of(exc)
        logger.warning("%s: stopped: %s", doing, exc)


def _items(
    client: PlexClient,
    server: MediaServer,
    run: ScanRun | None,
    token: str,
    policy: Any,
    doing: str,
) -> Iterator[tuple[Media, list[PlexPart], dict[str, _File]]]:
    """Per matched item: its parts as the account sees them and Taggarr's files by the
    server's path of each."""
    media = Media.objects.filter(instance__media_servers=server, files__isnull=False).distinct()
    if run is not None:
        media = media.filter(instance=run.instance)
        if run.scope:  # a webhook's or a write-now's run: its items only
            media = media.filter(run.instance.scope_filter(run.scope))
    items = {m.pk: m for m in media.select_related("instance")}
    if not items:
        return
    ids = retried(lambda: library_ids(client, server), policy, doing)
    kinds = {item_kind(m.kind) for m in items.values()}
    server_items = retried(lambda: list(client.items(ids, kinds)), policy, doing)
    mapper = PathMapper(server.path_mappings)
    matches, _ = match_items((local_item(m) for m in items.values()), server_items, mapper)
    for match in matches:
        item = items[match.local.key]
        files = _files(item)
        for server_item in match.server:
            if item.kind == Media.Kind.SERIES:
                show = functools.partial(client.episode_files, server_item.id)
                episodes = retried(show, policy, doing)
                keys = [
                    key for path, key in episodes.items() if _local(mapper, item, path) in files
                ]
            else:
                keys = [server_item.id]
            if not keys:
                continue
            parts = retried(functools.partial(client.parts, keys, token=token), policy, doing)
            by_file = {
                part.file: files[local]
                for part in parts
                if (local := _local(mapper, item, part.file)) in files
            }
            yield item, parts, by_file


def _files(media: Media) -> dict[str, _File]:
    rows = (
        MediaFile.objects.filter(media=media)
        .exclude(result=MediaFile.Result.ERROR)
        .exclude(audio_tracks=[])
        .values_list("pk", "path", *FILE_FIELDS)
    )
    return {row[1]: _File(row[0], tuple(row[2:])) for row in rows}


def _local(mapper: PathMapper, media: Media, server_path: str) -> str:
    """A server file as a MediaFile's path (relative to the item's folder; a movie's
    server path may be its folder's file)."""
    local = posixpath.normpath(mapper.to_local(server_path))
    folder = posixpath.normpath(media.path)
    if local.startswith(folder + "/"):
        return local[len(folder) + 1 :]
    return local


def _part(
    client: PlexClient,
    account: PersonAccount,
    listener: Listener,
    media: Media,
    part: PlexPart,
    parts: Sequence[PlexPart],
    file: _File,
    token: str,
    last: dict[int, TrackSetting],
    result: AccountTracks,
) -> None:
    choice = choice_of_row(listener, file.row)
    if choice.outcome == ChoiceOutcome.NONE:
        result.counts[NONE] += 1
        return
    if choice.outcome == ChoiceOutcome.UNCERTAIN or choice.audio is None:
        result.counts[UNCERTAIN] += 1
        result.doubts[str(choice.doubt or ChoiceOutcome.UNCERTAIN)] += 1
        return
    tracks = stored_tracks(file.row[2], file.row[3])
    matched = match_streams(part.file, [part], tracks.audio, tracks.subtitles)
    wanted, doubt = _wanted(choice, matched)
    if wanted is None:
        result.counts[UNCERTAIN] += 1
        result.doubts[doubt] += 1
        return
    before = last.get(part.id)
    previous = Selection(before.audio_stream, before.subtitle_stream) if before else None
    if result.dry_run:
        result.counts[decide(part, wanted, previous).outcome] += 1
        return
    policy = server_retry_policy()
    what = f"media server {account.media_server.name}: part {part.id}"
    try:
        outcome = apply_choice(
            client,
            part,
            token,
            wanted,
            previous,
            retrying=lambda call: retried(call, policy, what),
        )
    except TRANSIENT_ERRORS:
        raise  # the budget is spent: the server is down for this run
    except (ItemGone, ServerErrorStatus) as exc:
        logger.warning("%s: streams of %s not set: %s", what, media.title, exc)
        result.counts[FAILED] += 1
        return
    result.counts[outcome.outcome] += 1
    record = outcome.record or wanted
    TrackSetting.objects.update_or_create(
        account=account,
        part_id=part.id,
        defaults={
            "media_file_id": file.pk,
            "audio_stream": record.audio,
            "subtitle_stream": record.subtitle,
            "chosen_by": outcome.chosen_by,
            "set_at": before.set_at if before and outcome.outcome == KEPT else timezone.now(),
        },
    )


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


def _store(
    account: PersonAccount, run: ScanRun | None, result: AccountTracks, started: Any
) -> None:
    counts = {name: result.counts[name] for name in OUTCOMES if result.counts[name]}
    doubts = dict(sorted(result.doubts.items()))
    server = account.media_server
    message = (
        f"{server.name}: tracks of {account.person.name}"
        f"{' (dry run)' if result.dry_run else ''}: "
        + (", ".join(f"{n} {name}" for name, n in counts.items()) or "no file")
        + (f"; stopped: {result.problem}" if result.problem else "")
    )
    with transaction.atomic():
        TrackRun.objects.create(
            account=account,
            run=run,
            dry_run=result.dry_run,
            counts=counts,
            doubts=doubts,
            problem=result.problem,
            reason=result.reason,
            started_at=started,
            ended_at=timezone.now(),
        )
        Event.objects.create(
            instance=run.instance if run is not None else None,
            run=run,
            kind=Event.Kind.TRACKS_SET,
            message=message,
            data={
                "server": server.name,
                "person": account.person.name,
                "account": account.account_name,
                "dry_run": result.dry_run,
                "counts": counts,
                "doubts": doubts,
                "problem": result.problem,
                "reason": result.reason,
            },
        )
    logger.info("%s", message)
