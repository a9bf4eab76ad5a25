"""The *arr's files of the items a run scans (arr and hybrid audio sources).

Radarr embeds each movie's file in its list, and a webhook carries the imported
files: the plan step puts those in the item's payload (``planned_payloads``). Sonarr
needs one ``episodefile`` request per series: the plan marks the item ``fetch`` and
the item step asks (``fetched``), so the requests go out while other items are being
judged and stored, spread over the workers or, inline, over the batches. A process
sends at most ``CONCURRENT_REQUESTS`` at once per instance (``ArrClients``), so a
large library is not asked one series after another and the *arr is not flooded, and
keeps those clients (``clients_for``) from batch to batch and task to task: a run's
thousands of requests go over a few kept-alive connections, not a new one (on a remote
*arr behind TLS, a new handshake) per batch or item.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, TypeGuard, TypeVar

from scanner.arr import ArrClient, ArrConfig, RadarrClient, SonarrClient
from scanner.arr.webhook_files import apply_changes
from scanner.connect.arr import arr_config, client_of
from scanner.errors import ArrAuthError, ArrPermanentError
from scanner.models import Instance, Media
from scanner.pipeline.scanning.sources import SourceItem

_Client = TypeVar("_Client", bound=ArrClient)

# At most this many episodefile requests at once per instance and process.
CONCURRENT_REQUESTS = 4
# Kept clients unused this long are made again: between runs a proxy or a firewall may
# have dropped their connections without a word, which would cost a read timeout.
KEPT_IDLE_SECONDS = 60.0


def payload(
    source: SourceItem, files: Sequence[Any] | None, error: str = "", *, fetch: bool = False
) -> dict[str, Any]:
    """What a scan item carries: the *arr's fingerprint and files (or why there are none,
    or ``fetch``: the item step asks the *arr for them)."""
    return _payload(source.files_fingerprint, files, error) | ({"fetch": True} if fetch else {})


def _payload(fingerprint: str, files: Sequence[Any] | None, error: str) -> dict[str, Any]:
    listed = None
    if files is not None:
        listed = [file if isinstance(file, dict) else file.to_dict() for file in files]
    return {"fingerprint": fingerprint, "files": listed, "error": error}


def planned_payloads(
    work: Sequence[tuple[Media, SourceItem]],
    changes: Mapping[str, list[dict[str, Any]]] | None = None,
    *,
    subtitles: bool = False,
) -> dict[int, dict[str, Any]]:
    """Media pk -> scan item payload, without a request. ``changes`` (*arr id -> file
    changes, from webhooks) apply to an item's files as last seen. ``subtitles``: a
    movie's item asks Radarr for its subtitle files too."""
    payloads: dict[int, dict[str, Any]] = {}
    known = _known_files([media for media, _ in work if changes and str(media.arr_id) in changes])
    for media, source in work:
        item_changes = (changes or {}).get(str(media.arr_id))
        if item_changes is not None and media.pk in known:
            payloads[media.pk] = payload(source, apply_changes(known[media.pk], item_changes))
        elif source.arr_files is not None:  # Radarr: in the list already
            payloads[media.pk] = payload(source, source.arr_files)
        elif source.file_count == 0:  # no file: nothing to ask for
            payloads[media.pk] = payload(source, [])
        else:
            payloads[media.pk] = payload(source, None, fetch=True)
        if subtitles and media.kind == Media.Kind.MOVIE and payloads[media.pk]["files"]:
            payloads[media.pk]["fetch_subtitles"] = True
    return payloads


def needs_fetch(item_payload: dict[str, Any] | None) -> TypeGuard[dict[str, Any]]:
    return bool(item_payload and (item_payload.get("fetch") or item_payload.get("fetch_subtitles")))


class ArrClients:
    """Clients of one instance, each lent to one thread at a time, at most ``size`` at
    once: the bound on concurrent requests, with kept-alive connections reused."""

    def __init__(self, config: ArrConfig, size: int = CONCURRENT_REQUESTS) -> None:
        self.config = config
        self._slots = threading.BoundedSemaphore(size)
        self._lock = threading.Lock()
        self._idle: list[ArrClient] = []
        self._made: list[ArrClient] = []
        self._out = 0
        self._returned_at = time.monotonic()

    def idle_seconds(self) -> float:
        """Since the last client came back; 0 while one is out."""
        with self._lock:
            return 0.0 if self._out else time.monotonic() - self._returned_at

    @contextmanager
    def lend(self) -> Iterator[ArrClient]:
        with self._slots:  # waits while all of them are out
            with self._lock:
                client = self._idle.pop() if self._idle else None
                self._out += 1
            try:
                if client is None:
                    client = client_of(self.config)
                    with self._lock:
                        self._made.append(client)
                yield client
            finally:
                with self._lock:
                    self._out -= 1
                    self._returned_at = time.monotonic()
                    if client is not None:
                        self._idle.append(client)

    def close(self) -> None:
        with self._lock:
            for client in self._made:
                client.close()


_kept: dict[int, ArrClients] = {}  # instance pk -> this process's clients of it
_kept_lock = threading.Lock()


def clients_for(instance: Instance) -> ArrClients:
    """This process's clients of the instance, made again when its connection settings
    (URL, API key, timeouts) changed or they sat unused for ``KEPT_IDLE_SECONDS``; the
    old ones are closed (a request under way finishes first)."""
    config = arr_config(instance)
    with _kept_lock:
        kept = _kept.get(instance.pk)
        if kept is None or kept.config != config or kept.idle_seconds() > KEPT_IDLE_SECONDS:
            if kept is not None:
                kept.close()
            kept = _kept[instance.pk] = ArrClients(config)
        return kept


def _forget_kept() -> None:
    """In a forked child: the parent's connections are not this process's to use."""
    global _kept_lock
    _kept.clear()
    _kept_lock = threading.Lock()


os.register_at_fork(after_in_child=_forget_kept)


def fetched(
    clients: ArrClients, media: Media, item_payload: dict[str, Any]
) -> tuple[dict[str, Any], int]:
    """The payload with the series' episode files from the *arr, and the requests sent.
    An error of this item (a series deleted meanwhile) becomes the payload's error, for
    the item to report; a refused API key (changed since the plan listed the series
    with it) and an *arr that does not answer are raised, for the retry policy."""
    fingerprint = item_payload.get("fingerprint", "")
    with clients.lend() as client:
        before = client.requests_made
        try:
            if item_payload.get("fetch"):
                files = _lent_as(SonarrClient, client).episode_files(media.known_arr_id)
                found = _payload(fingerprint, files, "")
            else:  # a movie: its file came with the list, its subtitle files did not
                found = _payload(fingerprint, item_payload.get("files"), "")
            if item_payload.get("fetch_subtitles"):
                radarr = _lent_as(RadarrClient, client)
                found["subtitle_files"] = radarr.subtitle_files(media.known_arr_id)
        except ArrPermanentError as exc:
            if isinstance(exc, ArrAuthError):
                raise
            found = _payload(fingerprint, None, str(exc))
        return found, client.requests_made - before


def _lent_as(kind: type[_Client], client: ArrClient) -> _Client:
    """The lent client as the plan expects it: ``fetch`` marks Sonarr's series,
    ``fetch_subtitles`` Radarr's movies."""
    if not isinstance(client, kind):
        raise TypeError(f"a {kind.__name__} was expected, not a {type(client).__name__}")
    return client


def _known_files(media: Sequence[Media]) -> dict[int, list[dict[str, Any]]]:
    """The *arr's files of these items as the last scan saw them (loaded only here:
    planning never reads them otherwise)."""
    if not media:
        return {}
    rows = Media.objects.filter(pk__in=[m.pk for m in media], arr_files__isnull=False)
    return {pk: files for pk, files in rows.values_list("pk", "arr_files") if files is not None}
