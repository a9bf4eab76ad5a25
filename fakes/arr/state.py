"""What the fake Sonarr/Radarr holds: its knobs, its library, its tags, and counters
of the requests it received. Thread-safe: the HTTP server answers on many threads.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, overload

from fakes.arr.commands import CommandLog
from fakes.arr.covers import CoverStore
from fakes.arr.episodes import EpisodeBook
from fakes.arr.history import History
from fakes.arr.languages import original_language
from fakes.arr.options import FakeArrOptions
from fakes.arr.profiles import quality_profile, serve_formats, serve_profiles
from fakes.arr.queue import QueueBook
from fakes.arr.releases import ReleaseBook, decisions
from fakes.arr.scoring import Decision, best
from fakes.arr.validation import ValidationFailedError, profile_id_failures, profile_missing

__all__ = ["EditorRejectedError", "FakeArrOptions", "FakeArrState", "PartialPut"]


@dataclass(frozen=True)
class PartialPut:
    """A PUT by id that left out fields of the stored object (a real *arr would lose data)."""

    item_id: int
    missing_keys: tuple[str, ...]


class EditorRejectedError(ValueError):
    """The editor request would fail as a whole (500) on the real server."""


@overload
def _copy(value: Mapping[str, Any]) -> dict[str, Any]: ...
@overload
def _copy(value: list[dict[str, Any]]) -> list[dict[str, Any]]: ...
def _copy(value: Mapping[str, Any] | list[dict[str, Any]]) -> Any:
    """A JSON round trip: callers never share mutable state with the server. An object
    comes back a dict, a list of objects a list of dicts."""
    return json.loads(json.dumps(value))


@dataclass
class _Store:
    items: dict[int, dict[str, Any]] = field(default_factory=dict)
    tags: dict[int, str] = field(default_factory=dict)
    episode_files: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    extra_files: dict[int, list[dict[str, Any]]] = field(default_factory=dict)  # Radarr
    partial_puts: list[PartialPut] = field(default_factory=list)
    # Every bulk-editor request taken: (item id, tag id, mode) for each item it named.
    tag_edits: list[tuple[int, int, str]] = field(default_factory=list)
    # Every profile the bulk editor set: (item id, quality profile id).
    profile_edits: list[tuple[int, int]] = field(default_factory=list)
    # Quality profiles and custom formats as stored (profiles.py); one profile with no
    # custom format scored, as a new Sonarr v4/Radarr has ("HD-1080p" is id 4 there;
    # 1 here, the samples' qualityProfileId).
    profiles: list[dict[str, Any]] = field(default_factory=lambda: [quality_profile(1, "HD-1080p")])
    custom_formats: list[dict[str, Any]] = field(default_factory=list)
    custom_formats_answer: bytes | None = None  # served as is instead, when set


class FakeArrState:
    def __init__(
        self,
        options: FakeArrOptions | None = None,
        items: Iterable[Mapping[str, Any]] = (),
        tags: Iterable[Mapping[str, Any]] = (),
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        self._lock = threading.RLock()
        self._options = options or FakeArrOptions()
        # Injected by tests so that simulated costs are recorded instead of waited out.
        self._sleep = sleep if sleep is not None else time.sleep
        self._stalls_released = threading.Event()
        self._stalled_series: set[int] = set()
        self._covers_stalled = False
        self._episode_lists_fail = False
        self._episode_lists_stalled = False
        self._stalled_editor_ids = self._options.stall_editor_ids
        self._stalling = threading.Condition()
        self._stalled = 0
        self._store = _Store()
        self._commands = CommandLog(self._options.app)
        self._episodes = EpisodeBook()
        self.history = History(self._options.app)  # GET /api/v3/history (history.py)
        self.queue = QueueBook(self._options)  # GET /api/v3/queue (queue.py)
        self.covers = CoverStore()  # posters and fanart (covers.py)
        self.releases = ReleaseBook()  # GET /api/v3/release and the searches' grabs (releases.py)
        self._file_statistics: dict[int, dict[str, int]] = {}  # per series, until its files change
        self._counters: Counter[tuple[str, str]] = Counter()
        self._routes: list[tuple[str, str]] = []  # every request's (method, route), in order
        self._connections = 0
        self._startup_left = self._options.startup_503
        self._restarting: dict[str, int] = {}  # path -> 503s each request of it gets
        self._tries: Counter[tuple[str, str]] = Counter()  # (path, query) -> 503s given
        self.set_items(items)
        self.set_tags(tags)

    # -- knobs and counters -----------------------------------------------------

    @property
    def options(self) -> FakeArrOptions:
        return self._options

    def count(self, method: str, route: str) -> None:
        with self._lock:
            self._counters[(method, route)] += 1
            self._routes.append((method, route))

    def routes(self) -> list[tuple[str, str]]:
        """Every request received, as (method, route template), in the order received."""
        with self._lock:
            return list(self._routes)

    def counters(self) -> dict[tuple[str, str], int]:
        """Requests received per (method, route template), e.g. ("PUT", "/api/v3/series/editor")."""
        with self._lock:
            return dict(self._counters)

    def count_connection(self) -> None:
        with self._lock:
            self._connections += 1

    def connections(self) -> int:
        """TCP connections accepted (a kept-alive one carries many requests)."""
        with self._lock:
            return self._connections

    def total_requests(self) -> int:
        with self._lock:
            return sum(self._counters.values())

    def reset_counters(self) -> None:
        with self._lock:
            self._counters.clear()
            self._routes.clear()
            self._connections = 0

    def pause(self, seconds: float) -> None:
        """A simulated cost (latency, per-item work), on the answering thread."""
        if seconds > 0:
            self._sleep(seconds)

    def stall(self) -> None:
        """Hold an answer back until release_stalls() or ``stall_s`` passes."""
        with self._stalling:
            self._stalled += 1
            self._stalling.notify_all()
        self._stalls_released.wait(self._options.stall_s)

    def wait_stalled(self, count: int, timeout: float) -> bool:
        """Block until ``count`` answers have been held back; false after ``timeout``."""
        with self._stalling:
            return self._stalling.wait_for(lambda: self._stalled >= count, timeout)

    @property
    def stalled(self) -> int:
        """The answers held back so far (released or not)."""
        with self._stalling:
            return self._stalled

    def release_stalls(self) -> None:
        self._stalls_released.set()

    def stall_editor(self, item_ids: Iterable[int]) -> None:
        """From now on an editor request naming one of these items is saved, then its
        answer held back until release_stalls() (or ``stall_s`` passes): what the option
        ``stall_editor_ids`` does, changed while the server runs, stalls armed again."""
        with self._stalling:
            self._stalled_editor_ids = frozenset(item_ids)
        self._stalls_released.clear()

    def stalls_editor(self, item_ids: Iterable[int]) -> bool:
        with self._stalling:
            return not self._stalled_editor_ids.isdisjoint(item_ids)

    def stall_episode_files(self, series_ids: set[int]) -> None:
        """From now on the episode files of these series are answered only once
        release_stalls() is called (or ``stall_s`` passes): a server that hangs."""
        with self._lock:
            self._stalled_series |= series_ids

    def stalls_episode_files(self, series_id: int) -> bool:
        with self._lock:
            return series_id in self._stalled_series

    def fail_episode_lists(self, failing: bool) -> None:
        """While ``failing``, every episode list (GET /api/v3/episode) ends in a 500, as an
        unhandled exception does on the real server (its error middleware's body)."""
        with self._lock:
            self._episode_lists_fail = failing

    def episode_lists_fail(self) -> bool:
        with self._lock:
            return self._episode_lists_fail

    def stall_episode_lists(self) -> None:
        """From now on every episode list (GET /api/v3/episode) is answered only once
        release_stalls() is called (or ``stall_s`` passes): a server that hangs."""
        with self._lock:
            self._episode_lists_stalled = True

    def stalls_episode_lists(self) -> bool:
        with self._lock:
            return self._episode_lists_stalled

    def stall_covers(self) -> None:
        """From now on every image (the mediacover route) is answered only once
        release_stalls() is called (or ``stall_s`` passes): a server that hangs."""
        with self._lock:
            self._covers_stalled = True

    def stalls_covers(self) -> bool:
        with self._lock:
            return self._covers_stalled

    def take_startup_503(self) -> bool:
        with self._lock:
            if self._startup_left <= 0:
                return False
            self._startup_left -= 1
            return True

    def unavailable(self, down: bool) -> None:
        """While ``down``, every /api request answers 503 "starting up" (a restart that
        takes as long as the caller says)."""
        with self._lock:
            self._startup_left = 10**9 if down else 0

    def restarting(self, path: str, answers: int) -> None:
        """From now on each distinct request for ``path`` (the same query: one series's
        episode files) answers 503 "starting up" its first ``answers`` times: a server
        that restarts while a scan asks it, the same for every asker whatever the order."""
        with self._lock:
            self._restarting[path] = answers

    def take_restart_503(self, path: str, query: str) -> bool:
        with self._lock:
            answers = self._restarting.get(path, 0)
            if self._tries[(path, query)] >= answers:
                return False
            self._tries[(path, query)] += 1
            return True

    # -- library ----------------------------------------------------------------

    def set_items(self, items: Iterable[Mapping[str, Any]]) -> None:
        with self._lock:
            self._store.items = {int(obj["id"]): _copy(obj) for obj in items}

    def items(self) -> list[dict[str, Any]]:
        """Stored objects, unfiltered (originalLanguage included even in v3 mode)."""
        with self._lock:
            return [_copy(self._store.items[key]) for key in sorted(self._store.items)]

    def item(self, item_id: int) -> dict[str, Any] | None:
        with self._lock:
            obj = self._store.items.get(item_id)
            return _copy(obj) if obj is not None else None

    def served(self, obj: dict[str, Any]) -> dict[str, Any]:
        """An object as this version shows it over the API: originalLanguage with this
        release's id for the stored name (English when it knows no such language),
        or none at all before Sonarr v4 and Radarr v4.1."""
        options = self._options
        obj = {**self._with_file_statistics(obj), "images": self.covers.images(int(obj["id"]))}
        if not options.reports_original_language:
            return {key: value for key, value in obj.items() if key != "originalLanguage"}
        if "originalLanguage" not in obj:
            return obj
        stored = obj["originalLanguage"]
        name = stored.get("name") if isinstance(stored, Mapping) else None
        served = original_language(options.app, options.version_tuple, name)
        return {**obj, "originalLanguage": served}

    def _with_file_statistics(self, obj: dict[str, Any]) -> dict[str, Any]:
        """A series whose episode files were set counts them as Sonarr does
        (src/NzbDrone.Core/SeriesStats/SeriesStatisticsRepository.cs: episodeFileCount,
        the episodes with a file; sizeOnDisk, the sum of its files' sizes), so a file
        added, replaced or deleted changes its statistics. Counted once per change of
        its files: a 10,000-series list is served often."""
        series_id = int(obj.get("id", 0))
        if self._options.app != "sonarr" or "statistics" not in obj:
            return obj
        with self._lock:
            files = self._store.episode_files.get(series_id)
            counted = self._file_statistics.get(series_id)
        if files is None:
            return obj
        if counted is None:
            with_file = [e for e in self.episodes(series_id) if e.get("hasFile")]
            counted = {
                "episodeFileCount": len(with_file),
                "sizeOnDisk": sum(int(file.get("size") or 0) for file in files),
            }
            with self._lock:
                self._file_statistics[series_id] = counted
        return {**obj, "statistics": {**obj["statistics"], **counted}}

    def put_item(self, item_id: int, sent: dict[str, Any]) -> dict[str, Any] | None:
        """Replace an item as the real PUT does; record it when fields were left out."""
        with self._lock:
            stored = self._store.items.get(item_id)
            if stored is None:
                return None
            missing = tuple(sorted(set(self.served(stored)) - set(sent)))
            saved = {**sent, "id": item_id}
            if missing:
                self._store.partial_puts.append(PartialPut(item_id, missing))
                # What the real server does with absent fields: defaults, i.e. data loss.
                saved.setdefault("monitored", False)
                if self._options.app == "sonarr":
                    saved.setdefault("seasons", [])
            if "originalLanguage" in stored and not self._options.reports_original_language:
                saved["originalLanguage"] = stored["originalLanguage"]
            self._store.items[item_id] = _copy(saved)
            return _copy(saved)

    def partial_puts(self) -> list[PartialPut]:
        with self._lock:
            return list(self._store.partial_puts)

    def edit_items(
        self,
        ids: list[int],
        tag_ids: list[int] | None,
        mode: str,
        quality_profile_id: int | None = None,
    ) -> list[dict[str, Any]]:
        """The bulk editor: all or nothing, like the real one. ``tag_ids`` None leaves the
        tags alone; ``quality_profile_id`` None leaves the profile alone.

        SeriesEditorController.SaveAll (Sonarr src/Sonarr.Api.V3/Series/ and
        src/Sonarr.Api.V5/Series/) and MovieEditorController.SaveAll (Radarr
        src/Radarr.Api.V3/Movies/): each item gets what the body has
        (``QualityProfileId.HasValue``, ``Tags != null``), then SeriesEditorValidator /
        MovieEditorValidator runs on it (``QualityProfileId``: ``ValidId()``, i.e.
        greater than 0, then QualityProfileExistsValidator), the first invalid item
        throws a ValidationException (400, that item's failures) before anything is
        saved (UpdateSeries / UpdateMovie come after the loop).
        """
        with self._lock:
            if len(set(ids)) != len(ids):
                raise EditorRejectedError("An item with the same key has already been added.")
            unknown = [item_id for item_id in ids if item_id not in self._store.items]
            if unknown:
                raise EditorRejectedError(
                    f"Sequence contains no matching element (id {unknown[0]})"
                )
            for item_id in ids:
                failures = self._editor_failures(self._store.items[item_id], quality_profile_id)
                if failures:
                    # Validated item by item, the first failure ends it: one item's errors.
                    raise ValidationFailedError(failures)
            failing = sorted(set(ids) & self._options.fail_put_ids)
            if failing:
                raise EditorRejectedError(f"Simulated failure for id {failing[0]}")
            updated = []
            if tag_ids is not None:
                self._store.tag_edits.extend((i, t, mode) for i in ids for t in tag_ids)
            if quality_profile_id is not None:
                self._store.profile_edits.extend((i, quality_profile_id) for i in ids)
            for item_id in ids:
                obj = self._store.items[item_id]
                if quality_profile_id is not None:
                    obj["qualityProfileId"] = quality_profile_id
                if tag_ids is not None:
                    obj["tags"] = sorted(_apply_tags(set(obj.get("tags", [])), tag_ids, mode))
                updated.append(_copy(obj))
            return updated

    def _editor_failures(
        self, obj: Mapping[str, Any], quality_profile_id: int | None
    ) -> list[dict[str, Any]]:
        """The editor validator's failures for one item once the body is applied: a sent
        profile id must be above 0 and exist; an item whose own profile is gone
        (``invalid_ids``) fails unless the body gives it another."""
        if quality_profile_id is None:
            return [profile_missing(obj)] if int(obj["id"]) in self._options.invalid_ids else []
        return profile_id_failures(quality_profile_id, self._profile_ids())

    def _profile_ids(self) -> set[int]:
        with self._lock:
            return {int(profile["id"]) for profile in self._store.profiles}

    def profile_ids(self) -> set[int]:
        """The ids of the quality profiles set (what QualityProfileExistsValidator asks)."""
        return self._profile_ids()

    def profile_edits(self, item_id: int) -> list[int]:
        """The profile ids the editor set on this item, in order, one per request."""
        with self._lock:
            return [p for i, p in self._store.profile_edits if i == item_id]

    def tag_edits(self, item_id: int) -> list[tuple[int, str]]:
        """The editor's changes to this item's tags, in order: (tag id, mode)."""
        with self._lock:
            return [(t, mode) for i, t, mode in self._store.tag_edits if i == item_id]

    # -- tags, episode files, commands -----------------------------------------

    # -- quality profiles and custom formats (profiles.py) -----------------------

    def set_profiles(self, profiles: Iterable[Mapping[str, Any]]) -> None:
        """Profiles made by profiles.quality_profile."""
        with self._lock:
            self._store.profiles = [_copy(profile) for profile in profiles]

    def set_custom_formats(self, formats: Iterable[Mapping[str, Any]]) -> None:
        """Formats made by profiles.language_format."""
        with self._lock:
            self._store.custom_formats = [_copy(cf) for cf in formats]

    def set_custom_formats_answer(self, body: bytes | None) -> None:
        """Serve ``body`` (200) for /api/v3/customformat: what a broken proxy answers."""
        with self._lock:
            self._store.custom_formats_answer = body

    def quality_profiles(self) -> list[dict[str, Any]]:
        options = self._options
        with self._lock:
            store = self._store
            return _copy(
                serve_profiles(
                    store.profiles, store.custom_formats, options.app, options.version_tuple
                )
            )

    def custom_formats(self) -> list[dict[str, Any]] | bytes:
        options = self._options
        with self._lock:
            if self._store.custom_formats_answer is not None:
                return self._store.custom_formats_answer
            return _copy(
                serve_formats(self._store.custom_formats, options.app, options.version_tuple)
            )

    def set_tags(self, tags: Iterable[Mapping[str, Any]]) -> None:
        with self._lock:
            self._store.tags = {int(tag["id"]): str(tag["label"]) for tag in tags}

    def tags(self) -> list[dict[str, Any]]:
        """Sorted by label, as TagService.All() does (OrderBy(t => t.Label))."""
        with self._lock:
            tags = [{"id": key, "label": label} for key, label in self._store.tags.items()]
            # .NET's culture order: case-insensitive first, lowercase before uppercase.
            return sorted(tags, key=lambda tag: (tag["label"].casefold(), tag["label"].swapcase()))

    def find_tag(self, label: str) -> dict[str, Any] | None:
        """Exact, case-sensitive look-up, as the real server does before inserting."""
        with self._lock:
            for tag_id, stored in self._store.tags.items():
                if stored == label:
                    return {"id": tag_id, "label": stored}
            return None

    def insert_tag(self, label: str) -> dict[str, Any] | None:
        """Store lowercased; None when that label exists (the UNIQUE constraint)."""
        with self._lock:
            lowered = label.lower()
            if lowered in self._store.tags.values():
                return None
            tag_id = max(self._store.tags, default=0) + 1
            self._store.tags[tag_id] = lowered
            return {"id": tag_id, "label": lowered}

    def set_episode_files(self, series_id: int, files: Iterable[Mapping[str, Any]]) -> None:
        with self._lock:
            self._store.episode_files[series_id] = [_copy(dict(f)) for f in files]
            self._file_statistics.pop(series_id, None)

    def replace_episode_files(self, files: Iterable[Mapping[str, Any]]) -> None:
        """Every series' episode files at once: a list of episodefile objects, each with
        its ``seriesId`` (what ``--episode-files`` loads)."""
        grouped: dict[int, list[dict[str, Any]]] = {}
        for file in files:
            grouped.setdefault(int(file["seriesId"]), []).append(_copy(dict(file)))
        with self._lock:
            self._store.episode_files = grouped
            self._file_statistics.clear()

    def set_extra_files(self, movie_id: int, relative_paths: Iterable[str]) -> None:
        """Radarr's extra files of a movie (subtitles here), as ExtraFileResource lists
        them: the path from the movie's folder, never the language (Radarr issue 5405)."""
        with self._lock:
            self._store.extra_files[movie_id] = [
                {
                    "id": movie_id * 1000 + number,
                    "movieId": movie_id,
                    "movieFileId": movie_id,
                    "relativePath": path,
                    "extension": "." + path.rsplit(".", 1)[-1],
                    "languageTags": [],
                    "type": "subtitle",
                }
                for number, path in enumerate(relative_paths, start=1)
            ]

    def extra_files(self, movie_id: int) -> list[dict[str, Any]]:
        with self._lock:
            return _copy(self._store.extra_files.get(movie_id, []))

    def episode_files(self, series_id: int) -> list[dict[str, Any]]:
        with self._lock:
            return _copy(self._store.episode_files.get(series_id, []))

    def all_episode_files(self) -> list[dict[str, Any]]:
        with self._lock:
            files = self._store.episode_files
            return _copy([file for key in sorted(files) for file in files[key]])

    def record_command(self, body: dict[str, Any]) -> dict[str, Any]:
        """Queue a command as the real server does (fakes.arr.commands); its resource.
        A search command grabs each named item's best release at once (releases.py)."""
        answer = self._commands.record(body)
        for item_id in self._searched_items(str(answer["name"]), body):
            chosen = self.best_release(item_id)
            if chosen is not None:
                self.releases.record_grab(item_id, chosen.title)
        return answer

    def _searched_items(self, name: str, body: Mapping[str, Any]) -> list[int]:
        """The items a search command names: SeriesSearch / SeasonSearch ``seriesId``,
        EpisodeSearch ``episodeIds`` (their series), MoviesSearch ``movieIds``; only those
        with releases set (a large library's search costs nothing more)."""
        offered = set(self.releases.item_ids())
        if not offered:
            return []
        if name in ("SeriesSearch", "SeasonSearch") and isinstance(body.get("seriesId"), int):
            return [int(body["seriesId"])]
        if name == "MoviesSearch":
            return [int(i) for i in body.get("movieIds") or []]
        if name == "EpisodeSearch":
            wanted = set(body.get("episodeIds") or [])
            return [
                item_id
                for item_id in sorted(offered)
                if any(e["id"] in wanted for e in self.episodes(item_id))
            ]
        return []

    # -- releases (releases.py, scoring.py) ---------------------------------------

    def set_releases(self, item_id: int, titles: Iterable[str], quality: str | None = None) -> None:
        """The releases the indexer offers for this item, in the indexer's order (the last
        tie-breaker); ``quality`` (a profiles.QUALITIES name) for all of them, else each
        title's parsed quality."""
        self.releases.set_releases(item_id, titles, quality)

    def set_multi_languages(self, names: Iterable[str]) -> None:
        """The indexer's "Multi Languages" setting: what a MULTi release holds
        (language names, "Original" allowed); none by default, as a new indexer."""
        self.releases.set_multi_languages(names)

    def grabs(self, item_id: int) -> list[str]:
        """The release titles searches grabbed for this item, in order."""
        return self.releases.grabs(item_id)

    def release_decisions(self, item_id: int) -> list[Decision] | None:
        """This item's releases judged with its current quality profile, prioritized;
        None when there is no such item. KeyError when its profile does not exist."""
        obj = self.item(item_id)
        if obj is None:
            return None
        item = self.served(obj)
        options = self._options
        profiles = {int(p["id"]): p for p in self.quality_profiles()}
        profile = profiles[int(item.get("qualityProfileId") or 0)]
        with self._lock:
            formats = serve_formats(self._store.custom_formats, options.app, options.version_tuple)
        if options.app == "sonarr" and options.legacy_v3:
            formats = []
        return decisions(
            self.releases.candidates(item_id),
            item=item,
            profile=profile,
            formats=formats,
            app=options.app,
            version=options.version_tuple,
            multi_languages=self.releases.multi_languages(),
        )

    def best_release(self, item_id: int) -> Decision | None:
        """What a search of this item would grab now (None: nothing approved)."""
        try:
            judged = self.release_decisions(item_id)
        except KeyError:
            return None
        return best(judged or [])

    def commands(self) -> list[dict[str, Any]]:
        """Every command received, its body as sent."""
        return self._commands.all()

    def set_episodes(self, series_id: int, episodes: Iterable[Mapping[str, Any]]) -> None:
        self._episodes.set_episodes(series_id, episodes)
        with self._lock:
            self._file_statistics.pop(series_id, None)

    def set_episode_monitored(
        self, series_id: int, season: int, number: int, *, monitored: bool
    ) -> None:
        """A person (un)monitors one episode in Sonarr (fakes.arr.episodes)."""
        self._episodes.set_monitored(series_id, season, number, monitored)

    def episodes(self, series_id: int) -> list[dict[str, Any]]:
        """The series' episodes (fakes.arr.episodes): set, or made from its files."""
        series = self.item(series_id)
        if series is None:
            return []
        return self._episodes.episodes(series, self.episode_files(series_id))


def _apply_tags(current: set[int], tag_ids: list[int], mode: str) -> set[int]:
    """ApplyTags.Add / Remove / Replace of the editors."""
    if mode == "add":
        return current | set(tag_ids)
    if mode == "remove":
        return current - set(tag_ids)
    return set(tag_ids)
