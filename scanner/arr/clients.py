"""Sonarr and Radarr clients: what Taggarr reads from and writes to an *arr.

Every method costs a fixed number of requests, whatever the library size:
the library is one list request, tags one request, and tag changes one
editor request per (tag, action) and chunk of ids (a few more for each item the
editor refuses: scanner.arr.editor); the queue one request per page of the queue
(scanner.arr.queue), whatever the number of items asked about.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any, ClassVar

from scanner import outside_text
from scanner.arr import quality_profile_edit, queue
from scanner.arr import tags as tag_ops
from scanner.arr.base import BaseArrClient
from scanner.arr.config import ArrConfig
from scanner.arr.editor import DEFAULT_CHUNK_SIZE, TagChangeApplier, plan_editor_batches
from scanner.arr.history import is_id
from scanner.arr.media_info import ArrFile, parse_file
from scanner.arr.payloads import (
    ApplyResult,
    ArrItem,
    SystemStatus,
    TagAction,
    TagChange,
    UnusableItemError,
    has_original_language,
    parse_item,
    parse_version,
)
from scanner.arr.searches import ArrEpisode, command_id, parse_episodes, search_command
from scanner.errors import ArrPermanentError, ArrTransientError, ConfigError
from scanner.http.bounds import DEFAULT_PAGE_MB, MB
from scanner.http.json_kind import json_kind

logger = logging.getLogger(__name__)

STATUS_PATH = "/api/v3/system/status"
# One object's answer (/system/status, /series/{id}, /movie/{id}) is a few kilobytes
# (Sonarr/Sonarr src/Sonarr.Api.V3/Series/SeriesResource.cs: titles, an overview, a few
# image links, a small object per season); 1 MB leaves room for any real one, and keeps
# a hostile one far below the list's limit (TAGGARR_MAX_ANSWER_MB, read whole here).
ONE_OBJECT_BYTES = 1 * MB
COMMAND_PATH = "/api/v3/command"
# A page of the queue (scanner.arr.queue): at most what a media server's page may be.
QUEUE_PAGE_BYTES = DEFAULT_PAGE_MB * MB


class ArrClient(BaseArrClient):
    """What Sonarr and Radarr share; subclasses name the resource and the refresh command."""

    kind: ClassVar[str]
    resource: ClassVar[str]  # path segment: "series" | "movie"
    ids_field: ClassVar[str]  # editor body field: "seriesIds" | "movieIds"

    def __init__(self, config: ArrConfig) -> None:
        if config.kind != self.kind:
            raise ConfigError(f"instance {config.name!r} is a {config.kind}, not a {self.kind}")
        super().__init__(config)
        self._status: SystemStatus | None = None

    def system_status(self) -> SystemStatus:
        payload = self.get(STATUS_PATH, max_bytes=ONE_OBJECT_BYTES)
        if not isinstance(payload, dict) or not isinstance(payload.get("version"), str):
            raise self._shape_error("GET", STATUS_PATH, "no version in the answer", payload)
        version = outside_text.line(payload["version"])
        try:
            major, _minor = parse_version(version)
        except ValueError as exc:
            raise self._shape_error("GET", STATUS_PATH, str(exc), payload) from None
        app_name = payload.get("appName")
        self._status = SystemStatus(
            app_name=outside_text.line(app_name) if isinstance(app_name, str) else "",
            version=version,
            major=major,
            has_original_language=has_original_language(self.kind, version),
        )
        return self._status

    def list_items(self) -> list[ArrItem]:
        """The whole library in one request, decoded as it arrives (``get_array``); items
        without id or path are skipped (warning)."""
        return list(self.iter_items())

    def iter_items(self) -> Iterator[ArrItem]:
        """``list_items`` one item at a time, none kept: for a reader that needs a fact
        of the library, not the library (the connection test). The list is bounded per
        item, not as a whole (a 40,000-film Radarr is hundreds of MB): what is kept is
        the reader's. Left before its end, the rest is not read."""
        path = f"/api/v3/{self.resource}"
        for obj in self.get_array(path):
            try:
                yield parse_item(obj, kind=self.kind)
            except UnusableItemError as exc:
                logger.warning(
                    "%s: skipping a listed %s: %s", self.display_name, self.resource, exc
                )

    def get_item(self, item_id: int) -> ArrItem:
        path = f"/api/v3/{self.resource}/{item_id}"
        payload = self.get(path, max_bytes=ONE_OBJECT_BYTES)
        try:
            return parse_item(payload, kind=self.kind)
        except UnusableItemError as exc:
            raise self._shape_error("GET", path, str(exc), payload) from None

    def set_quality_profile(self, item_id: int, profile_id: int) -> None:
        """Give the item this quality profile: one PUT of the *arr's own editor
        (scanner.arr.quality_profile_edit; ``/api/v5`` on Sonarr v5). Read it back with
        ``get_item(item_id).quality_profile_id``."""
        if item_id <= 0 or profile_id <= 0:
            raise ValueError("an item id and a profile id are positive")
        quality_profile_edit.set_quality_profile(
            self,
            kind=self.kind,
            resource=self.resource,
            ids_field=self.ids_field,
            major=self.known_major(),
            item_id=item_id,
            profile_id=profile_id,
        )

    def known_major(self) -> int:
        """The *arr's major version (its system status, read once per client)."""
        return self._known_status().major

    def tags(self) -> dict[str, int]:
        """Every tag, lowercased label -> id (one request)."""
        return tag_ops.read_tags(self)

    def ensure_tags(self, labels: Iterable[str]) -> dict[str, int]:
        """Ids of the labels (lowercased); missing ones are created. 1 + (missing) requests."""
        return tag_ops.ensure_tags(self, labels)

    def apply_tag_changes(
        self,
        changes: Iterable[TagChange | tuple[int, int, TagAction]],
        known_ids: Iterable[int],
        *,
        chunk_size: int = DEFAULT_CHUNK_SIZE,
    ) -> ApplyResult:
        """Apply (item id, tag id, "add"|"remove") changes with the bulk editor.

        ``known_ids`` are the ids of the last ``list_items``; other ids are dropped
        because the editor would fail the whole chunk on them. Failures are
        recorded per item in the result (a chunk left unanswered as "unconfirmed":
        it may have been saved); only a rejected API key raises.
        """
        plan = plan_editor_batches(changes, known_ids, chunk_size)
        applier = TagChangeApplier(self, resource=self.resource, ids_field=self.ids_field)
        return applier.apply(plan)

    def refresh(self, item_ids: Iterable[int]) -> None:
        """Ask the *arr to refresh these items. Nothing is sent for no ids: an id-less
        refresh command would refresh the whole library."""
        ids = sorted(set(item_ids))
        if ids:
            for command in self._refresh_commands(ids):
                self.post(COMMAND_PATH, command)

    def _refresh_commands(self, ids: list[int]) -> list[dict[str, Any]]:
        raise NotImplementedError

    def search(self, ids: Iterable[int]) -> int | None:
        """Ask the *arr to search for these episodes (Sonarr) or movies (Radarr); the id of
        the queued command. Nothing is sent for no ids (an empty search is no search)."""
        wanted = list(ids)
        if not wanted:
            return None
        return command_id(self.post(COMMAND_PATH, search_command(self.kind, wanted)))

    def importing(self, item_ids: Iterable[int]) -> set[int]:
        """The items among ``item_ids`` (series for Sonarr, movies for Radarr) whose files
        the *arr is importing, or may import at any minute: a queue record in a writing
        state (scanner.arr.queue). One request per page of the queue (a page of 200
        records: one for a usual queue); nothing is asked for no ids. Raises ArrError
        when the queue cannot be read whole: no item is said free on a part of it."""
        wanted = {item for item in item_ids if is_id(item)}
        if not wanted:
            return set()
        ids = wanted if len(wanted) <= queue.MAX_FILTERED_IDS else None
        for _ in range(queue.TRIES):
            writing = self._queue_writing(ids)
            if writing is not None:
                return writing & wanted
        what = f"the queue changed while it was read, {queue.TRIES} times"
        raise ArrTransientError(self.redact(f"{self.display_name}: GET {queue.QUEUE_PATH}: {what}"))

    def _queue_writing(self, ids: set[int] | None) -> set[int] | None:
        """The items with a writing record, from every page of one read of the queue;
        None when it changed between two pages (a record gone moves the later ones up:
        one would be missed)."""
        path, writing, total = queue.QUEUE_PATH, set[int](), -1
        for number in range(1, queue.MAX_PAGES + 1):
            params = queue.query(self.kind, number, ids)
            answer = self.get(path, params, max_bytes=QUEUE_PAGE_BYTES)
            try:
                page = queue.parse_page(answer, self.kind)
            except queue.QueueShapeError as exc:
                raise self._shape_error("GET", path, str(exc), answer) from None
            if total < 0:
                total = page.total
                if total > queue.PAGE_SIZE * queue.MAX_PAGES:
                    most = queue.PAGE_SIZE * queue.MAX_PAGES
                    what = f"the queue holds {total} records, more than the {most} read"
                    raise ArrPermanentError(self.redact(f"{self.display_name}: GET {path}: {what}"))
            if page.page != number or page.total != total:
                return None
            expected = min(queue.PAGE_SIZE, total - (number - 1) * queue.PAGE_SIZE)
            if page.count < expected:  # GetQueue fills every page but the last
                what = f"page {number} holds {page.count} of its {expected} records"
                raise self._shape_error("GET", path, what, answer)
            writing |= page.writing
            if number * queue.PAGE_SIZE >= total:
                return writing
        return writing  # not reached: MAX_PAGES pages hold every record allowed

    def _known_status(self) -> SystemStatus:
        return self._status if self._status is not None else self.system_status()

    def _shape_error(self, method: str, path: str, what: str, payload: Any) -> ArrPermanentError:
        got = json_kind(payload)  # what it was, never what it said
        return ArrPermanentError(
            self.redact(f"{self.display_name}: {method} {path}: {what} (got {got})")
        )


class SonarrClient(ArrClient):
    kind = "sonarr"
    resource = "series"
    ids_field = "seriesIds"

    def _refresh_commands(self, ids: list[int]) -> list[dict[str, Any]]:
        if self._known_status().major >= 4:
            return [{"name": "RefreshSeries", "seriesIds": ids}]
        # Sonarr v3 only knows one seriesId per command.
        return [{"name": "RefreshSeries", "seriesId": item_id} for item_id in ids]

    def episode_files(self, series_id: int) -> list[ArrFile]:
        """Every episode file of a series with the media info Sonarr read (one request)."""
        rows = self.get_array("/api/v3/episodefile", params={"seriesId": series_id})
        return [parsed for parsed in map(parse_file, rows) if parsed is not None]

    def episodes(self, series_id: int, limit: int | None = None) -> list[ArrEpisode]:
        """A series' episodes with their ids (one request); the first ``limit`` rows of
        the answer only, when given (the rest is not read)."""
        rows = self.get_array("/api/v3/episode", params={"seriesId": series_id})
        return parse_episodes(islice(rows, limit))


class RadarrClient(ArrClient):
    kind = "radarr"
    resource = "movie"
    ids_field = "movieIds"

    def _refresh_commands(self, ids: list[int]) -> list[dict[str, Any]]:
        return [{"name": "RefreshMovie", "movieIds": ids}]

    def subtitle_files(self, movie_id: int) -> list[str]:
        """The movie's sidecar subtitles as Radarr lists its extra files (one request):
        their paths from the movie's folder. Radarr does not say their language right
        (its parser reads ``X.en.hi.srt`` as Hindi): the names are parsed as the rules say."""
        paths = (
            outside_text.relative_path(entry["relativePath"])
            for entry in self.get_array("/api/v3/extrafile", params={"movieId": movie_id})
            if isinstance(entry, dict)
            and entry.get("type") == "subtitle"
            and isinstance(entry.get("relativePath"), str)
        )
        return sorted(path for path in paths if path is not None)  # none outside the movie


def make_client(config: ArrConfig) -> ArrClient:
    """The client for ``config.kind``."""
    client_class = SonarrClient if config.kind == "sonarr" else RadarrClient
    return client_class(config)
