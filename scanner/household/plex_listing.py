"""What every person's Plex step of one run shares (issue 83, part 4): the server's
library listed once, the accounts' tokens asked of plex.tv once, and each person's
parts read in batches across items.

Before, each person account's task reconnected, asked plex.tv, listed the whole library,
read each show's episodes and then each item's parts with its own request: for 1,000
films and 5 people, about 5,000 reads of parts on a first run.

- ``prepare(run_id)``: the run's fan-out task (tasks.set_run_person_tracks) finds,
  per Plex server, the items some account of the run will read (track_checks, as
  each account's task will), and only when there are some: connects once, lists the
  server's libraries once, pairs the items (matching.py), reads each show's episodes
  once, then asks plex.tv once for every such account's token. It keeps that
  as a ``Listing`` (ids only, no paths; compressed) in Django's cache (``CACHE_KEY``:
  the server's and the run's ids, and when the run was created: an id a database
  gives again never finds another run's listing) for ``LISTING_SECONDS``: Redis
  whenever workers may be on other machines (REDIS_URL, the broker's), else the files
  beside the embedded broker's, which every worker of that one machine reads. No
  process or disk of another worker is assumed: a task that finds no listing, or one
  that does not cover the items it reads (its person's languages changed meanwhile),
  lists for itself as before.
- The tokens in it are encrypted (scanner.crypto, as the server's own token is
  stored): whoever can decrypt them can decrypt the admin's token, which plex.tv
  trades for them, so they add nothing to what is at stake. A token plex.tv refused
  or failed to give is not in it: that account's task asks plex.tv itself and tells
  why; the other accounts' tokens are kept.
- Bounded and fenced as each account's own step: every request within the media
  servers' retry budget (retries.py) and the client's timeout; a server that refuses
  the key, answers 500 or does not answer in time keeps no listing and asks nothing of
  plex.tv (logged), and each account's task, listing for itself, stores that problem
  in its TrackRun (SERVER_KEY, SERVER_UNREACHABLE: the page's words). Nothing is
  written to Plex here: each selection is still sent under its account's lease.
- ``parts_in_batches``: an account's parts read with its own token (Plex keeps one
  selection per account: ``selected`` in the answer is that account's, and a share's
  filters hide items from it), ``batch`` ids a request across items
  (``/library/metadata/{id},{id},...``; plex_parts.batches bounds the URL too), each
  item handed on once all its ids were read. Setting stays per person, with their
  token (stream_choice.py).
"""

from __future__ import annotations

import functools
import logging
import pickle
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache

from scanner import crypto
from scanner.arr.paths import PathMapper
from scanner.errors import ConfigError
from scanner.household import track_checks
from scanner.household.track_checks import File
from scanner.media_servers.clients.base import (
    TRANSIENT_ERRORS,
    ItemGone,
    MediaServerError,
    ServerAccount,
    item_kind,
)
from scanner.media_servers.clients.plex import PlexClient
from scanner.media_servers.clients.plex_people import AccountTokenUnavailable
from scanner.media_servers.clients.plex_streams import PlexPart
from scanner.media_servers.connect import server_client
from scanner.media_servers.matching import local_file, match_items
from scanner.media_servers.writes.retries import retried, server_retry_policy
from scanner.media_servers.writes.tags import library_ids, local_item
from scanner.models import Media, MediaServer, PersonAccount, ScanRun

__all__ = [
    "CACHE_KEY",
    "LISTING_SECONDS",
    "Entry",
    "Listing",
    "list_items",
    "parts_in_batches",
    "prepare",
    "shared",
]

logger = logging.getLogger(__name__)

CACHE_KEY = "household:plex-listing:{server}:{run}:{created}"
# How long a run's listing is kept for its accounts' tasks (they run at once, workers
# allowing; a task later than this lists for itself).
LISTING_SECONDS = 3 * 3600


@dataclass(frozen=True)
class Entry:
    """One server item an item of Taggarr's is paired with: a movie's rating key, or a
    show's with the keys of its episodes whose files are Taggarr's."""

    server_id: str
    episodes: tuple[str, ...] | None = None  # None: a movie


@dataclass(frozen=True)
class Listing:
    """The items of one run on one server, paired and listed once for every account."""

    considered: frozenset[int]  # the Media ids it was made for (paired or not)
    items: dict[int, tuple[Entry, ...]]  # Media id -> its server items (a show twice: both)
    tokens: dict[int, str] = field(default_factory=dict)  # PersonAccount id -> encrypted


def prepare(
    run_id: int, accounts: Iterable[int], progressed: Callable[[], None] = lambda: None
) -> int:
    """A listing per Plex server of the run's accounts that will read something, kept
    for their tasks; the listings kept. A server that fails is left to its accounts'
    tasks (they list for themselves and say what failed). ``progressed``: called as
    each show's episodes are read (the task's hold limit counts from there)."""
    run = ScanRun.objects.select_related("instance").filter(pk=run_id).first()
    if run is None:
        return 0
    by_server: dict[int, list[PersonAccount]] = {}
    for account in PersonAccount.objects.filter(pk__in=list(accounts)).select_related(
        "person", "media_server"
    ):
        by_server.setdefault(account.media_server_id, []).append(account)
    kept = 0
    for server_accounts in by_server.values():
        server = server_accounts[0].media_server
        scope = track_checks.scope_of(server, run)
        files = track_checks.files_of(scope)
        wanted: dict[int, set[int]] = {}
        for account in server_accounts:
            keys = track_checks.keys_to_read(account, run, files, every=False)
            if keys:
                wanted[account.pk] = set(keys)
        needed = set().union(*wanted.values()) if wanted else set()
        if not needed:
            continue  # nothing to read: neither plex.tv nor the server is asked
        listed = _prepare_server(
            server, run, scope, files, needed, server_accounts, wanted, progressed
        )
        if listed:
            kept += 1
    return kept


def _prepare_server(
    server: MediaServer,
    run: ScanRun,
    scope: Any,
    files: dict[int, dict[str, File]],
    needed: set[int],
    accounts: list[PersonAccount],
    wanted: dict[int, set[int]],
    progressed: Callable[[], None],
) -> bool:
    doing = f"media server {server.name}: tracks of run #{run.pk}"
    policy = server_retry_policy()
    try:
        client = server_client(server)
    except ConfigError as exc:
        logger.warning("%s: not listed once for all: %s", doing, exc)
        return False
    try:
        if not isinstance(client, PlexClient):
            return False
        media = {m.pk: m for m in scope if m.pk in needed}  # no list of ids in the SQL
        # The server first: when it fails (a refused key, a 500, no answer within the
        # retries), plex.tv is not asked and each account's task says why.
        try:
            items = list_items(client, server, media, files, policy, doing, progressed)
        except (MediaServerError, ConfigError) as exc:
            logger.warning("%s: not listed once for all (each account lists): %s", doing, exc)
            return False
        tokens = _tokens(client, [a for a in accounts if a.pk in wanted], policy, doing)
    finally:
        client.close()
    listing = Listing(frozenset(media), items, tokens)
    cache.set(_key(server, run), zlib.compress(pickle.dumps(listing)), LISTING_SECONDS)
    logger.info(
        "%s: listed once for %d accounts: %d of %d items paired",
        doing,
        len(wanted),
        len(items),
        len(media),
    )
    return True


def _tokens(
    client: PlexClient, accounts: list[PersonAccount], policy: Any, doing: str
) -> dict[int, str]:
    """The accounts' tokens from plex.tv, encrypted (the client asks plex.tv once for
    every account). One account's failure leaves out its token only (its task asks
    plex.tv again and says why: no token, a PIN, plex.tv's error); plex.tv not
    answering within the retries leaves out the rest (each task asks for itself)."""
    tokens: dict[int, str] = {}
    for account in accounts:
        listed = ServerAccount(account.account_id, account.account_name, account.account_kind)  # type: ignore[arg-type]
        try:
            pin = account.get_pin()
            token = retried(functools.partial(client.account_token, listed, pin=pin), policy, doing)
        except (ConfigError, AccountTokenUnavailable):
            continue  # said by the account's task, with its reason
        except TRANSIENT_ERRORS as exc:
            logger.warning("%s: plex.tv not asked for the other tokens: %s", doing, exc)
            break
        except MediaServerError as exc:
            logger.warning("%s: no token of %s: %s", doing, account.account_name, exc)
            continue
        tokens[account.pk] = crypto.encrypt(token)
    return tokens


def shared(server: MediaServer, run: ScanRun | None) -> Listing | None:
    """The run's listing of the server, if its fan-out kept one."""
    if run is None:
        return None
    packed = cache.get(_key(server, run))
    if not isinstance(packed, bytes):
        return None
    # Our own value, written by prepare (Django's cache pickles every value anyway).
    found = pickle.loads(zlib.decompress(packed))  # noqa: S301
    return found if isinstance(found, Listing) else None


def _key(server: MediaServer, run: ScanRun) -> str:
    return CACHE_KEY.format(server=server.pk, run=run.pk, created=run.created_at.timestamp())


def shared_token(listing: Listing | None, account: PersonAccount) -> str:
    """The account's token from the listing, "" when it has none (or it was encrypted
    with another key)."""
    encrypted = listing.tokens.get(account.pk) if listing is not None else None
    if not encrypted:
        return ""
    try:
        return crypto.decrypt(encrypted, what="a person's Plex token")
    except ConfigError:
        return ""


def list_items(
    client: PlexClient,
    server: MediaServer,
    media: dict[int, Media],
    files: dict[int, dict[str, File]],
    policy: Any,
    doing: str,
    progressed: Callable[[], None] = lambda: None,
) -> dict[int, tuple[Entry, ...]]:
    """``media`` paired with the server's items (one listing of its libraries), a
    show's episodes read once (one request per show, ``progressed`` called after
    each): only those of Taggarr's files."""
    if not media:
        return {}
    ids = retried(lambda: library_ids(client, server), policy, doing)
    kinds = {item_kind(m.kind) for m in media.values()}
    server_items = retried(lambda: list(client.items(ids, kinds)), policy, doing)
    mapper = PathMapper(server.path_mappings)
    matches, _ = match_items((local_item(m) for m in media.values()), server_items, mapper)
    found: dict[int, tuple[Entry, ...]] = {}
    for match in matches:
        item = media[match.local.key]
        mine = files.get(item.pk, {})
        entries = []
        for server_item in match.server:  # the same show in two libraries: both
            if item.kind != Media.Kind.SERIES:
                entries.append(Entry(server_item.id))
                continue
            show = functools.partial(client.episode_files, server_item.id)
            try:
                episodes = retried(show, policy, doing)
            except ItemGone:  # deleted since the listing: its files are not read
                continue
            finally:
                progressed()
            entries.append(
                Entry(
                    server_item.id,
                    tuple(
                        key
                        for path, key in episodes.items()
                        if local_file(path, item.path, mapper) in mine
                    ),
                )
            )
        found[item.pk] = tuple(entries)
    return found


def parts_in_batches(
    read: Callable[[list[str]], list[PlexPart]],
    items: dict[int, Media],
    entries: dict[int, tuple[Entry, ...]],
    files: dict[int, dict[str, File]],
    mapper: PathMapper,
    batch: int,
) -> Iterator[tuple[Media, list[PlexPart], dict[str, File]]]:
    """Per paired item of ``items``: its parts as ``read`` gives them (one account's
    token) and Taggarr's files by the server's path of each; ``read`` is called with
    ``batch`` ids at a time across items (the last call with what is left), and an item
    is handed on as soon as all its ids were read (nothing kept after it)."""
    batch = max(1, batch)
    waiting: deque[tuple[Media, list[str]]] = deque()  # items whose ids are not all read yet
    pending: list[str] = []  # ids not sent yet, in order
    read_parts: dict[str, list[PlexPart]] = {}
    done: set[str] = set()

    def ready() -> Iterator[tuple[Media, list[PlexPart], dict[str, File]]]:
        while waiting and all(key in done for key in waiting[0][1]):
            item, keys = waiting.popleft()
            parts = [part for key in keys for part in read_parts.pop(key, ())]
            mine = files.get(item.pk, {})
            by_file = {
                part.file: mine[local]
                for part in parts
                if (local := local_file(part.file, item.path, mapper)) in mine
            }
            for key in keys:
                done.discard(key)
            if parts:
                yield item, parts, by_file

    def send(keys: list[str]) -> None:
        for part in read(keys):
            read_parts.setdefault(part.item_id, []).append(part)
        done.update(keys)

    for pk, item in items.items():
        keys = [
            key
            for entry in entries.get(pk, ())
            for key in ([entry.server_id] if entry.episodes is None else entry.episodes)
        ]
        keys = list(dict.fromkeys(keys))
        if not keys:
            continue
        waiting.append((item, keys))
        pending += keys
        while len(pending) >= batch:
            send(pending[:batch])
            del pending[:batch]
            yield from ready()
    if pending:
        send(pending[:])
    yield from ready()
