"""The item's original language on a Jellyfin 12 server (issue 70, item 3), set by the
tag write step beside the tags, under the connection's *Write tags*.

The value is the one the item's NFOs get (Media.original_to_write: a person's
override, else the *arr's; none while the *arr's English is in doubt), as the
two letters Jellyfin stores. The server lists each item's ``OriginalLanguage`` with
every read (DtoService fills it whatever ``Fields`` asks), so an item that holds it
already costs nothing; a write is the client's read-modify-write of the whole item, as
for tags (JellyfinClient.set_original_language).

Taggarr owns the item's value only while it holds the one Taggarr set last
(``ServerOriginal``, per item and server), as it owns only its managed tags and its own
``<originallanguage>`` (scanner.engine.nfo_original): it sets one where there is none,
replaces its own when the original changes, and never touches a value a provider (TMDb,
OMDb fill it) or a person set. It removes none: a known original that becomes doubtful
stays on the server as Taggarr last set it.

An older Jellyfin (10.x has no such member) and Emby: nothing is planned, nothing fails.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from scanner.media_servers.clients.base import MediaServerClient, ServerInfo, ServerItem
from scanner.media_servers.clients.jellyfin import JellyfinClient
from scanner.media_servers.clients.jellyfin_original import (
    original_language_settable,
    original_language_value,
)
from scanner.media_servers.matching import Match
from scanner.models import MediaServer, ServerOriginal
from scanner.pipeline.writers.writes import TagWrite


def sets_originals(server: MediaServer, client: MediaServerClient, info: ServerInfo) -> bool:
    """Whether this connection sets original languages: it writes tags, and the server
    is a Jellyfin 12 or later."""
    return (
        server.write_tags
        and isinstance(client, JellyfinClient)
        and original_language_settable(info)
    )


def owned_originals(server: MediaServer, writes: Iterable[TagWrite]) -> dict[int, str]:
    """media pk -> the value Taggarr set last on its items of ``server``."""
    pks = [w.media.pk for w in writes]
    rows = ServerOriginal.objects.filter(server=server, media_id__in=pks)
    return dict(rows.values_list("media_id", "language"))


def wanted_value(write: TagWrite, *, remove: bool) -> str | None:
    """The two letters to set on the item's server items; None: nothing to set (not
    known, in doubt, or a "remove" scan: it sets nothing of Taggarr's)."""
    code = None if remove else write.media.original_to_write
    if code is None:
        return None
    try:
        return original_language_value(code)
    except ValueError:
        return None


def to_set(item: ServerItem, wanted: str | None, ours: str | None) -> bool:
    """Whether ``item`` is to get ``wanted``: it holds another value that is Taggarr's,
    or none."""
    if wanted is None:
        return False
    have = item.original_language.casefold()
    if have == wanted.casefold():
        return False
    return not have or (ours is not None and have == ours.casefold())


def any_to_set(originals: Originals, matches: Iterable[Match]) -> bool:
    """Whether any matched item is to get its original language (then the server's
    version is read: only Jellyfin 12 takes it)."""
    return any(
        to_set(item, originals.wanted.get(m.local.key), originals.ours.get(m.local.key))
        for m in matches
        for item in m.server
    )


@dataclass(frozen=True, slots=True)
class ItemOriginal:
    """What one server item holds after the writes: ``sent`` (a write of ours reached
    it), ``value`` (its original language now, as far as Taggarr knows)."""

    value: str
    sent: bool = False


@dataclass(frozen=True, slots=True)
class Originals:
    """The original languages a Jellyfin connection is to set: per media pk, the wanted
    value (None: none to set) and the value Taggarr set last."""

    wanted: dict[int, str | None]
    ours: dict[int, str]


def owned_after(wanted: str | None, ours: str | None, items: Iterable[ItemOriginal]) -> str | None:
    """The value Taggarr owns on a media's server items after the run: ``wanted`` when
    they all hold it and it is Taggarr's (set now, or set before); else the old value
    while an item still holds it (a write that failed); else none (a provider's or a
    person's value, or nothing)."""
    held = list(items)
    values = {item.value.casefold() for item in held}
    ours_now = bool(wanted) and (ours or "").casefold() == (wanted or "").casefold()
    if (
        wanted
        and held
        and values == {wanted.casefold()}
        and (any(item.sent for item in held) or ours_now)
    ):
        return wanted
    if ours and ours.casefold() in values:
        return ours
    return None


def changed_owned(before: Mapping[int, str], after: Mapping[int, str | None]) -> dict[int, str]:
    """media pk -> the value to store ("": none) where it changed."""
    return {pk: value or "" for pk, value in after.items() if (value or "") != before.get(pk, "")}
