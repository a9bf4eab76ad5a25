"""The *arr's files of the items a run scans (arr and hybrid audio sources), and
Sonarr's episode list of its series (every audio source).

Radarr embeds each movie's file in its list, and a webhook carries the imported
files: the plan step puts those in the item's payload (``planned_payloads``). Sonarr
needs one ``episodefile`` request per series: the plan marks the item ``fetch`` and
the item step asks (``fetched``), so the requests go out while other items are being
judged and stored, spread over the workers or, inline, over the batches. The titles
and air dates the series page shows take one ``episode`` request, on the files source
too (``ask_episodes``): once per series, again only when its files changed or no list
is kept (``episodes_due``); its failure fails nothing (``_episodes``). A process
sends at most ``CONCURRENT_REQUESTS`` at once per instance (``ArrClients``), so a
large library is not asked one series after another and the *arr is not flooded, and
keeps those clients (``clients_for``) from batch to batch and task to task: a run's
thousands of requests go over a few kept-alive connections, not a new one (on a remote
*arr behind TLS, a new handshake) per batch or item.

An *arr that stops answering (a request that hangs to its read timeout, a refused
connection, a 5xx) is remembered by the clients and by the run
(scanner.pipeline.state.unreachable); from then on the process sends one request at a
time to it, to learn that it is back, and every other item of the run that comes to
ask raises ``ArrNotAsked`` at once, without a request and without waiting for a slot:
it waits for its retry, which never waits past the run's deadline. So an item waits
for a connection slot while holding its claim only while the *arr answers (each
request bounded by scanner.http.bounds, the wait by the few ahead of it), and that
wait is not in its budget: the budget counts from its first request (``asked_at`` of
``ArrUnanswered``). Taking the slot before the claim was the other choice; it would
hold a slot while the desk claims (a database round trip per item, and a slot held
through a database outage) and still wait as long once the *arr hangs.

A permanent answer about the item (400, 404: a series deleted since the plan listed
it, a body that is not JSON) is an answer: the item fails at once with it.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeGuard, TypeVar

from django.utils import timezone

from scanner.arr import ArrClient, ArrConfig, RadarrClient, SonarrClient
from scanner.arr.webhook_files import apply_changes
from scanner.connect.arr import arr_config, client_of
from scanner.errors import ArrNotAsked, ArrPermanentError, ArrTransientError, ArrUnanswered
from scanner.models import Instance, Media, ScanRun
from scanner.pipeline.scanning.sources import SourceItem
from scanner.pipeline.state import unreachable

if TYPE_CHECKING:
    from scanner.pipeline.scanning.stored import Stored

logger = logging.getLogger(__name__)

_Client = TypeVar("_Client", bound=ArrClient)

# At most this many episodefile requests at once per instance and process.
CONCURRENT_REQUESTS = 4
# Sonarr's episodes kept for a series' page at most (a daily show has a few thousand);
# past it, the rest of the answer is not read.
KEPT_EPISODES = 20_000
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
    work: Sequence[tuple[Stored, SourceItem]],
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
    asks = ("fetch", "fetch_subtitles", "ask_episodes")
    return bool(item_payload and any(item_payload.get(key) for key in asks))


class ArrClients:
    """Clients of one instance, each lent to one thread at a time, at most ``size`` at
    once: the bound on concurrent requests, with kept-alive connections reused. Once a
    request went unanswered, one at a time (``lend``)."""

    def __init__(self, config: ArrConfig, size: int = CONCURRENT_REQUESTS) -> None:
        self.config = config
        self._slots = threading.BoundedSemaphore(size)
        self._lock = threading.Lock()
        self._idle: list[ArrClient] = []
        self._made: list[ArrClient] = []
        self._out = 0
        self._returned_at = time.monotonic()
        self._unanswered: datetime | None = None  # this process's first unanswered request
        self._unanswered_words = ""  # what it was (the *arr and the request)
        self._probing = False  # a request is finding out whether the *arr is back

    def idle_seconds(self) -> float:
        """Since the last client came back; 0 while one is out."""
        with self._lock:
            return 0.0 if self._out else time.monotonic() - self._returned_at

    def unanswered(self, asked_at: datetime, error: ArrTransientError) -> None:
        with self._lock:
            if self._unanswered is None:
                self._unanswered, self._unanswered_words = asked_at, str(error)

    def silent(self) -> bool:
        """A request of this process went unanswered and none has been answered since."""
        with self._lock:
            return self._unanswered is not None

    def answered(self) -> bool:
        """A request was answered; whether this process thought the *arr silent."""
        with self._lock:
            was, self._unanswered = self._unanswered is not None, None
            self._unanswered_words = ""
            return was

    def _not_asked(self, silent_since: datetime | None) -> ArrNotAsked | None:
        """Why a request must not go out now (called under the lock): the *arr is known
        silent (here, or by the run: ``silent_since``) and another request is trying it,
        or the run's deadline has passed."""
        if silent_since is not None and unreachable.past_deadline(silent_since):
            # The run's deadline has passed: a request now could only end past it.
            return ArrNotAsked(self.config.display_name, silent_since, self._words())
        since = self._unanswered or silent_since
        if since is None or not self._probing:
            return None
        return ArrNotAsked(self.config.display_name, since, self._words())

    def _words(self) -> str:
        return self._unanswered_words or f"{self.config.display_name}: its requests went unanswered"

    @contextmanager
    def lend(self, silent_since: datetime | None = None) -> Iterator[ArrClient]:
        """A client, once a slot is free. While the *arr is known silent, only one
        request goes out at a time; any other raises ``ArrNotAsked`` at once."""
        with self._lock:
            refused = self._not_asked(silent_since)
        if refused is not None:
            raise refused
        with self._slots:  # waits while all of them are out (each request is bounded)
            with self._lock:
                refused = self._not_asked(silent_since)
                if refused is not None:
                    raise refused
                probe = self._probing = bool(self._unanswered or silent_since)
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
                    if probe:
                        self._probing = False
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
    clients: ArrClients, media: Media, item_payload: dict[str, Any], run: ScanRun
) -> tuple[dict[str, Any], int]:
    """The payload with the series' episode files and episodes from the *arr, and the
    requests sent.
    Raises ``ArrUnanswered`` (with when it was asked) when the *arr did not answer,
    ``ArrNotAsked`` when it was known silent and not asked, and its permanent answers
    (a series deleted meanwhile: 404; a refused key: ``ArrAuthError``) as they are.
    Sonarr's episode list alone (``ask_episodes``, any source) never raises: the item
    goes on without it (``_episodes``)."""
    if not (item_payload.get("fetch") or item_payload.get("fetch_subtitles")):
        return _episodes_only(clients, media, item_payload, run)
    fingerprint = item_payload.get("fingerprint", "")
    silent_since = run.arr_unanswered_since  # as the item's claim read it
    with clients.lend(silent_since) as client:
        before = client.requests_made
        asked_at = timezone.now()
        try:
            if item_payload.get("fetch"):
                sonarr = _lent_as(SonarrClient, client)
                files = sonarr.episode_files(media.known_arr_id)
                found = _payload(fingerprint, files, "")
            else:  # a movie: its file came with the list, its subtitle files did not
                found = _payload(fingerprint, item_payload.get("files"), "")
            if item_payload.get("fetch_subtitles"):
                radarr = _lent_as(RadarrClient, client)
                found["subtitle_files"] = radarr.subtitle_files(media.known_arr_id)
        except ArrTransientError as exc:
            clients.unanswered(asked_at, exc)
            raise ArrUnanswered(exc, asked_at) from None
        except ArrPermanentError:
            _answered(clients, run, silent_since)
            raise
        _answered(clients, run, silent_since)
        if item_payload.get("ask_episodes"):
            found |= _episodes(clients, client, media, fingerprint) or {}
        return found, client.requests_made - before


def _episodes_only(
    clients: ArrClients, media: Media, item_payload: dict[str, Any], run: ScanRun
) -> tuple[dict[str, Any], int]:
    """The payload with Sonarr's episode list, when that is all the item asks (the files
    source, or files known without a request). While the *arr is known silent (here: a
    request went unanswered; or by the run) it is not asked: the item goes on without
    the list, and the next scan asks again. Kept clients unused for
    ``KEPT_IDLE_SECONDS`` are made again (``clients_for``), which try it once more: a
    hung Sonarr costs a process one read timeout a minute, not one per series."""
    found = {key: value for key, value in item_payload.items() if key != "ask_episodes"}
    silent_since = run.arr_unanswered_since
    if clients.silent():
        logger.info("%s: episode list not asked (its *arr left a request unanswered)", media)
        return found, 0
    try:
        with clients.lend(silent_since) as client:
            before = client.requests_made
            listed = _episodes(clients, client, media, item_payload.get("fingerprint", ""))
            if listed is not None:  # answered, with the list or a refusal
                _answered(clients, run, silent_since)
            return found | (listed or {}), client.requests_made - before
    except ArrNotAsked as exc:
        logger.info("%s: episode list not asked (%s)", media, exc)
        return found, 0


def _episodes(
    clients: ArrClients, client: ArrClient, media: Media, fingerprint: str
) -> dict[str, Any] | None:
    """The series' episodes as its page shows them (number, title, air date, monitored),
    at most ``KEPT_EPISODES``, and the mark the plan compares (``episodes_due``). None
    when Sonarr did not answer, nothing when it refused or failed on this series (a 500):
    the episode list is no part of the verdict, so its failure fails nothing, and the
    page keeps what it had until a scan gets it. A request that went unanswered is
    remembered by the clients (``_episodes_only`` then asks no more), so that each
    series does not wait its timeout in turn."""
    asked_at = timezone.now()
    try:
        sonarr = _lent_as(SonarrClient, client)
        shown = [e.shown() for e in sonarr.episodes(media.known_arr_id, limit=KEPT_EPISODES)]
    except ArrTransientError as exc:
        logger.warning("%s: no episode list this scan (%s); the next scan asks again", media, exc)
        if exc.status == 500:  # an unhandled exception: its answer about this series
            return {}
        clients.unanswered(asked_at, exc)
        return None
    except ArrPermanentError as exc:
        logger.warning("%s: no episode list this scan (%s); the next scan asks again", media, exc)
        return {}
    return {"episodes": shown, "episodes_mark": episodes_mark(fingerprint)}


def episodes_mark(fingerprint: str) -> str:
    """What ``Media.episodes_fingerprint`` keeps: the *arr's word on the series' files
    when its episode list was read, never empty ("" says no list is kept, and a Sonarr
    that sends no statistics gives an empty word)."""
    return f"@{fingerprint}"


def episodes_due(media: Stored, source: SourceItem) -> bool:
    """Whether a scan asks Sonarr for the series' episode list (its page's titles, air
    dates, specials and unmonitored seasons), on every audio source: when none is kept
    or the series' files changed since it was read. An unchanged series is not asked."""
    return (
        media.kind == Media.Kind.SERIES
        and media.arr_id is not None
        and media.episodes_fingerprint != episodes_mark(source.files_fingerprint)
    )


def with_episodes(
    payloads: dict[int, dict[str, Any]], work: Sequence[tuple[Stored, SourceItem]]
) -> dict[int, dict[str, Any]]:
    """The payloads with ``ask_episodes`` on the series whose list is due; a series of
    the files source gets a payload for it alone (no files: its folder is read)."""
    for media, source in work:
        if episodes_due(media, source):
            item = payloads.setdefault(media.pk, _payload(source.files_fingerprint, None, ""))
            item["ask_episodes"] = True
    return payloads


def _answered(clients: ArrClients, run: ScanRun, silent_since: datetime | None) -> None:
    if clients.answered() or silent_since is not None:
        unreachable.answered(run.pk)


def _lent_as(kind: type[_Client], client: ArrClient) -> _Client:
    """The lent client as the plan expects it: ``fetch`` marks Sonarr's series,
    ``fetch_subtitles`` Radarr's movies."""
    if not isinstance(client, kind):
        raise TypeError(f"a {kind.__name__} was expected, not a {type(client).__name__}")
    return client


def _known_files(media: Sequence[Stored]) -> dict[int, list[dict[str, Any]]]:
    """The *arr's files of these items as the last scan saw them (loaded only here:
    planning never reads them otherwise)."""
    if not media:
        return {}
    rows = Media.objects.filter(pk__in=[m.pk for m in media], arr_files__isnull=False)
    return {pk: files for pk, files in rows.values_list("pk", "arr_files") if files is not None}
