"""Each person's track in Plex (issue 70, items 2 and 4): for one person account on a
Plex server, every file Taggarr knows of the server's instances is read as that account
sees it, its streams matched to Taggarr's tracks (stream_match.py), the person's track
chosen (engine.file_choice, the file's row read as the dry run reads it:
file_rows.py), then either counted (a dry run: the server's
``set_person_tracks`` off) or set (stream_choice.apply_choice: only what changed is
sent; a choice the person made in Plex since Taggarr's is kept). No media file is
touched.

- After a run, the server is listed and plex.tv asked once for all the run's accounts
  (plex_listing.py: the fan-out keeps the listing, the tokens encrypted, in the cache
  every worker reads); a task that finds none covering its items (on demand, or its
  person changed meanwhile) lists and asks for itself.
- The account's token comes from plex.tv for this run (``PlexClient.account_token``,
  with the account's PIN when one is saved for a protected Plex Home member): never
  logged, never a task's argument, kept only encrypted in the run's listing (the PIN
  neither: read here, from the account, encrypted at rest).
- Items: the instances' items paired with the server's (matching.py), as the tag
  writes pair them; a series' files by ``episode_files`` (server file -> episode), a
  movie's by its parts; a server file is Taggarr's after the path mappings. The parts
  are read with the account's own token (its ``selected`` streams, its share's
  filters), ``batch_size`` ids a request across items
  (plex_listing.parts_in_batches).
- An uncertain match or choice sends nothing and is counted with its reason (the
  choice's Doubt or the match's MatchDoubt code).
- Transient failures (no answer, 502/503/504) are retried within the media servers'
  budget (retries.py); a part the server refuses (400, 404, 500) fails alone; a refused
  key or a server that stays unreachable stops the account's run (``problem``).

Each run stores one TrackRun per account and one TRACKS_SET event.

- One task at a time per account (scanner.media_servers.writes.track_lease): a second
  task for an account whose step is held ends at once, asking the holder to run once
  more; the holder's writes are fenced by its token.
- After a scan, only the items whose choice may have changed are read
  (track_checks.py); on demand (the person page, the admin), every item is.
- An item's TrackSetting rows are stored in one statement, with its check.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from scanner.arr.paths import PathMapper
from scanner.errors import ConfigError
from scanner.household import plex_listing, track_checks
from scanner.household.plex_accounts import accounts_to_set as accounts_to_set
from scanner.household.plex_parts import (
    FAILED,
    KEPT,
    NONE,
    OUTCOMES,
    SENT,
    TOKEN,
    UNCERTAIN,
    UNCHANGED,
    AccountTracks,
    set_part,
    store_item,
)
from scanner.leases import new_token
from scanner.media_servers.clients.base import MediaServerError, ServerAccount
from scanner.media_servers.clients.plex import PlexClient
from scanner.media_servers.clients.plex_people import AccountTokenUnavailable
from scanner.media_servers.clients.plex_streams import PlexPart
from scanner.media_servers.connect import server_client
from scanner.media_servers.writes import track_lease
from scanner.media_servers.writes.events import problem_of
from scanner.media_servers.writes.retries import retried, server_retry_policy
from scanner.media_servers.writes.track_lease import TrackLeaseLost
from scanner.models import (
    Event,
    MediaServer,
    PersonAccount,
    ScanRun,
    TrackRun,
    TrackSetting,
)
from scanner.runtime.held_turns import take_turns

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


def set_account_tracks(
    account_id: int,
    run_id: int | None = None,
    *,
    token: int | None = None,
    every: bool | None = None,
    progressed: Callable[[], None] = lambda: None,
) -> AccountTracks | None:
    """The step for one person account (the run's instance's items after a scan, the
    run's scope's when it has one, every instance's of the server on demand); None when
    there is nothing to do (the account or server gone, disabled, or not Plex) or when
    another task holds the account's step (it runs once more for this one).

    ``token``: the lease's (a task's own, kept when its message comes again);
    ``every``: read every item, not only those whose choice may have changed (by
    default, on demand: without a run); ``progressed``: called as each item is stored
    (the task's hold limit counts from there: scanner.runtime.running)."""
    account = (
        PersonAccount.objects.select_related("person", "media_server").filter(pk=account_id).first()
    )
    if account is None:
        return None
    server = account.media_server
    if not server.enabled or server.kind != MediaServer.Kind.PLEX:
        return None
    run = ScanRun.objects.select_related("instance").filter(pk=run_id).first() if run_id else None
    held = _Held(account.pk, new_token() if token is None else token, progressed)
    rounds: list[AccountTracks] = []

    def turn() -> bool:
        if rounds:  # asked for again meanwhile: what changed is read
            account.person.refresh_from_db()  # their languages may have changed meanwhile
            _round(account, None, held, False)
        else:
            rounds.append(_round(account, run, held, run is None if every is None else every))
        return True

    try:
        # A dry-run scan's task asks the holder for nothing: its run once more would write.
        ask = run is None or not run.dry_run
        take_turns(track_lease.ACCOUNT, account.pk, held.token, turn, ask=ask)
    except TrackLeaseLost as exc:
        logger.warning(
            "media server %s: tracks of %s: superseded, nothing more written: %s",
            server.name,
            account.account_name,
            exc,
        )
        return None
    return rounds[0] if rounds else None


@dataclass(frozen=True)
class _Held:
    """The account's step as one task holds it."""

    account_id: int
    token: int
    progressed: Callable[[], None]

    def fence(self) -> None:
        """First in each write's transaction, and before each selection sent."""
        track_lease.hold(self.account_id, self.token)


def _round(account: PersonAccount, run: ScanRun | None, held: _Held, every: bool) -> AccountTracks:
    """One run of the step, held by ``token``; its TrackRun and event stored."""
    server = account.media_server
    # A dry-run scan writes nothing, to the media servers either.
    result = AccountTracks(dry_run=not server.set_person_tracks or bool(run and run.dry_run))
    started = timezone.now()
    read = True
    try:
        client = server_client(server)
    except ConfigError as exc:
        result.problem = problem_of(exc)
    else:
        try:
            if isinstance(client, PlexClient):
                read = _run(client, server, account, run, result, held, every or result.dry_run)
        finally:
            client.close()
    if read or result.problem:
        _store(account, run, result, started, held)
    else:  # the last run's counts and event still say what is set: no "0 files" after each scan
        logger.info(
            "media server %s: tracks of %s: nothing changed, nothing read",
            server.name,
            account.account_name,
        )
    return result


def _run(
    client: PlexClient,
    server: MediaServer,
    account: PersonAccount,
    run: ScanRun | None,
    result: AccountTracks,
    held: _Held,
    every: bool,
) -> bool:
    """False when no item needed reading (nothing asked of plex.tv or the server)."""
    policy = server_retry_policy()
    doing = f"media server {server.name}: tracks of {account.account_name}"
    listener = account.person.listener()
    scope = track_checks.scope_of(server, run)
    files = track_checks.files_of(scope)
    keys = track_checks.keys_to_read(account, run, files, every=every, listener=listener)
    if not keys:
        return False  # nothing to read: not even the account's token is asked for
    listing = plex_listing.shared(server, run)
    token = plex_listing.shared_token(listing, account)
    if listing is not None and not keys.keys() <= listing.considered:
        listing = None  # made for fewer items (the person changed meanwhile): list here
    if not token:
        try:
            token = _token(client, account, policy, doing)
        except ConfigError as exc:  # the PIN was saved with another encryption key
            result.problem = problem_of(exc)
            return True
        except AccountTokenUnavailable as exc:
            result.problem, result.reason = TOKEN, exc.reason
            logger.warning("%s: no token: %s", doing, exc)
            return True
        except MediaServerError as exc:  # plex.tv's failures name plex.tv (its source)
            result.problem = problem_of(exc)
            logger.warning("%s: stopped: %s", doing, exc)
            return True
    last = {s.part_id: s for s in TrackSetting.objects.filter(account=account).select_related(None)}
    items = {m.pk: m for m in scope.select_related("instance") if m.pk in keys}
    fence = held.fence
    try:
        if listing is None:
            entries = plex_listing.list_items(
                client, server, items, files, policy, doing, held.progressed
            )
        else:
            entries = listing.items

        def read(ids: list[str]) -> list[PlexPart]:
            return retried(functools.partial(client.parts, ids, token=token), policy, doing)

        mapper = PathMapper(server.path_mappings)
        batches = plex_listing.parts_in_batches(
            read, items, entries, files, mapper, client.batch_size
        )
        for item, parts, found in batches:
            fence()  # before anything of the item is sent: still the holder
            settings: list[TrackSetting] = []
            failed = False
            for part in parts:
                file = found.get(part.file)
                if file is not None:
                    setting = set_part(
                        client, account, listener, item, part, file, token, last, result, fence
                    )
                    failed = failed or setting is False
                    if isinstance(setting, TrackSetting):
                        settings.append(setting)
            read_files = {file.pk for file in found.values()}
            whole = not failed and read_files >= {file.pk for file in files[item.pk].values()}
            done = {item.pk: keys[item.pk]} if whole and not result.dry_run else {}
            store_item(account, settings, done, fence)
            held.progressed()  # an item stored: the step is not hung (its hold limit)
    except (MediaServerError, ConfigError) as exc:
        result.problem = problem_of(exc)
        logger.warning("%s: stopped: %s", doing, exc)
    return True


def _token(client: PlexClient, account: PersonAccount, policy: Any, doing: str) -> str:
    """The account's token, from plex.tv (a protected home member's PIN read here,
    passed on only)."""
    listed = ServerAccount(account.account_id, account.account_name, account.account_kind)  # type: ignore[arg-type]
    pin = account.get_pin()
    return retried(lambda: client.account_token(listed, pin=pin), policy, doing)


def _store(
    account: PersonAccount, run: ScanRun | None, result: AccountTracks, started: Any, held: _Held
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
        held.fence()  # a superseded holder stores no run
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
