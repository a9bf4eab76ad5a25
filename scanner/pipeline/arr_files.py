"""The *arr's files of the items a run scans, fetched by the plan step (arr and hybrid
audio sources): Radarr embeds each movie's file in its list; Sonarr needs one
``episodefile`` request per series, sent a few at a time so a large library does not
wait on one request after another (and the *arr is not flooded)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from scanner.arr.webhook_files import apply_changes
from scanner.arr_access import arr_client
from scanner.errors import ArrAuthError, ArrPermanentError
from scanner.models import Instance, Media
from scanner.pipeline.sources import SourceItem

# At most this many episodefile requests at once per instance.
CONCURRENT_REQUESTS = 4


def payload(source: SourceItem, files: Sequence[Any] | None, error: str = "") -> dict[str, Any]:
    """What a scan item carries: the *arr's fingerprint and files (or why there are none)."""
    listed = None
    if files is not None:
        listed = [file if isinstance(file, dict) else file.to_dict() for file in files]
    return {"fingerprint": source.files_fingerprint, "files": listed, "error": error}


def fetch_arr_files(
    instance: Instance,
    work: Sequence[tuple[Media, SourceItem]],
    changes: Mapping[str, list[dict[str, Any]]] | None = None,
) -> tuple[dict[int, dict[str, Any]], int]:
    """Media pk -> scan item payload, and the requests sent. ``changes`` (*arr id ->
    file changes, from webhooks) apply to an item's files as last seen: no request."""
    payloads: dict[int, dict[str, Any]] = {}
    asking: list[tuple[Media, SourceItem]] = []
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
            asking.append((media, source))
    if not asking:
        return payloads, 0
    requests = 0

    def share(pairs: Sequence[tuple[Media, SourceItem]]) -> tuple[dict[int, dict[str, Any]], int]:
        client = arr_client(instance)  # one per thread: a session is not shared across threads
        try:
            fetched = {media.pk: _files_of(client, media, source) for media, source in pairs}
            return fetched, client.requests_made
        finally:
            client.close()

    shares = [asking[start::CONCURRENT_REQUESTS] for start in range(CONCURRENT_REQUESTS)]
    with ThreadPoolExecutor(CONCURRENT_REQUESTS, thread_name_prefix="taggarr-arr") as pool:
        for fetched, sent in pool.map(share, [pairs for pairs in shares if pairs]):
            payloads.update(fetched)
            requests += sent
    return payloads, requests


def _files_of(client: Any, media: Media, source: SourceItem) -> dict[str, Any]:
    try:
        return payload(source, client.episode_files(media.arr_id))
    except ArrPermanentError as exc:
        if isinstance(exc, ArrAuthError):
            raise  # the whole instance's problem
        # this item's (a series deleted meanwhile): the item step reports it
        return payload(source, None, str(exc))


def _known_files(media: Sequence[Media]) -> dict[int, list[dict[str, Any]]]:
    """The *arr's files of these items as the last scan saw them (loaded only here:
    planning never reads them otherwise)."""
    if not media:
        return {}
    rows = Media.objects.filter(pk__in=[m.pk for m in media], arr_files__isnull=False)
    return dict(rows.values_list("pk", "arr_files"))
