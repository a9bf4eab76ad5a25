"""Which items the step that sets a person's tracks reads (plex_tracks.py): only those
whose choice may have changed since it last read them for the account.

An item's key hashes what the choice of its files' tracks is made from: its files' rows
as the choice reads them (file_rows.FILE_FIELDS: the tracks, the item's
original language, its settled varieties ...), each file's id, path, size and time (a
file replaced by another with the same tracks may be another part in Plex), and the
person's languages and want for the item, with the account's id on the server (a
relinked account is another listener). The step stores the key once it has read every
file of the item (TrackCheck) and reads the item again only when its key differs: a
file changed, was added or removed, the person's languages or wants changed, or the
account was linked anew. An item never read for the account has no key: it is read. An
item whose files the server did not all list (not yet in Plex), or where a selection
failed, keeps its old key: it is read again next time. A dry run reads every item and
stores no key (nothing was set).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from scanner.engine.listener import Listener
from scanner.household.file_rows import FILE_FIELDS
from scanner.models import Media, MediaFile, MediaServer, PersonAccount, ScanRun, TrackCheck
from scanner.models.bulk import upsert

__all__ = [
    "File",
    "checked_keys",
    "files_of",
    "item_key",
    "keys_to_read",
    "scope_of",
    "store_checks",
]


@dataclass(frozen=True)
class File:
    pk: int
    row: tuple[Any, ...]  # FILE_FIELDS
    stamp: tuple[int, int] = (0, 0)  # its size and modification time: a file replaced


def files_of(media: QuerySet[Media]) -> dict[int, dict[str, File]]:
    """The files the choice reads (readable, with audio tracks) of ``media``'s items, by
    item, then by path (relative to the item's folder): one query, the items a
    subquery (no list of ids, however large the library)."""
    rows = (
        MediaFile.objects.filter(media__in=media.values("pk"))
        .exclude(result=MediaFile.Result.ERROR)
        .exclude(audio_tracks=[])
        .order_by("media_id", "path")
        .values_list("pk", "path", "size", "mtime_ns", *FILE_FIELDS)
    )
    found: dict[int, dict[str, File]] = {}
    for row in rows:
        found.setdefault(row[4], {})[row[1]] = File(row[0], tuple(row[4:]), (row[2], row[3]))
    return found


def item_key(
    account: PersonAccount, listener: Listener, media_id: int, files: dict[str, File]
) -> str:
    """What the choice of the item's tracks for the account is made from, hashed."""
    what = [
        account.account_id,
        list(listener.languages),
        sorted(listener.wants.items()),
        listener.item_wants.get(media_id),
        [[file.pk, path, list(file.stamp), list(file.row)] for path, file in sorted(files.items())],
    ]
    text = json.dumps(what, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def checked_keys(account: PersonAccount) -> dict[int, str]:
    """The key each item had when the step last read all of it for the account."""
    rows = TrackCheck.objects.filter(account=account).values_list("media_id", "key")
    return dict(rows)


def store_checks(account: PersonAccount, keys: dict[int, str]) -> None:
    """The items read whole, with the key they were read with (one statement)."""
    now = timezone.now()
    upsert(
        [
            TrackCheck(account=account, media_id=media_id, key=key, checked_at=now)
            for media_id, key in keys.items()
        ],
        unique_fields=["account", "media"],
        update_fields=["key", "checked_at"],
    )


def keys_to_read(
    account: PersonAccount,
    run: ScanRun | None,
    files: dict[int, dict[str, File]],
    *,
    every: bool,
    listener: Listener | None = None,
) -> dict[int, str]:
    """The items of ``files`` the step reads for the account, with their check's key:
    every one on demand and in a dry run, else those whose key changed."""
    server = account.media_server
    every = every or not server.set_person_tracks or bool(run and run.dry_run)
    listener = listener or account.person.listener()
    keys = {pk: item_key(account, listener, pk, item_files) for pk, item_files in files.items()}
    if not every:
        checked = checked_keys(account)
        keys = {pk: key for pk, key in keys.items() if checked.get(pk) != key}
    return keys


def scope_of(server: MediaServer, run: ScanRun | None) -> QuerySet[Media]:
    """The items the step may read: the server's instances' (the run's instance's, its
    scope's when it has one)."""
    media = Media.objects.filter(instance__media_servers=server, files__isnull=False).distinct()
    if run is not None:
        media = media.filter(instance=run.instance)
        if run.scope:  # a webhook's or a write-now's run: its items only
            media = media.filter(run.instance.scope_filter(run.scope))
    return media
