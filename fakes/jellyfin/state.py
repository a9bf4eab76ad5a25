"""What the fake Jellyfin holds: its release, items (series, seasons, episodes,
movies), libraries and one administrator, the knobs tests turn, and counters of what
it was asked and what it saved. Thread-safe: the HTTP server answers on many threads.
routes.py turns requests into calls of the ``answer_*`` methods.
"""

from __future__ import annotations

import copy
import hashlib
import threading
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from fakes.jellyfin import images as image_api
from fakes.jellyfin import parental, users
from fakes.jellyfin.releases import DEFAULT_VERSION, release
from fakes.jellyfin.samples import DEFAULT_LIBRARIES
from fakes.jellyfin.updates import UpdateRefused

USER_ID = "5a7c1e0f9b2d4e6f8a1b3c5d7e9f0a2b"
SERVER_ID = "f0e1d2c3b4a5968778695a4b3c2d1e0f"
TOP_LEVEL = ("Series", "Movie")


class FakeJellyfinState:
    def __init__(
        self,
        *,
        token: str,
        items: Iterable[Mapping[str, Any]] = (),
        libraries: Iterable[Mapping[str, Any]] = DEFAULT_LIBRARIES,
        version: str = DEFAULT_VERSION,
        legacy_auth: bool | None = None,
    ) -> None:
        self.token = token
        self.release = release(version)  # ValueError for a version it does not play
        self.version = self.release.version
        # EnableLegacyAuthorization; releases before 10.11 have no switch (always on).
        self.legacy_auth = (
            self.release.legacy_auth
            if legacy_auth is None or not self.release.has_legacy_switch
            else legacy_auth
        )
        self.lock = threading.RLock()
        self._items = {str(item["Id"]): copy.deepcopy(dict(item)) for item in items}
        self._children: dict[str, list[str]] = {}  # series id -> its seasons' and episodes'
        for item in self._items.values():
            if item.get("SeriesId"):
                self._children.setdefault(str(item["SeriesId"]), []).append(str(item["Id"]))
        self.libraries = [copy.deepcopy(dict(library)) for library in libraries]
        self._counters: Counter[tuple[str, str]] = Counter()
        self._auth_modes: Counter[str] = Counter()
        self._saves: Counter[str] = Counter()
        self._nfo_writes: Counter[str] = Counter()
        self._vanished: set[str] = set()
        self._failing: dict[str, int] = {}  # item id -> the status its requests get
        self._failing_next: list[int] = []  # the statuses of the next requests
        self._garbled_next: list[bytes] = []  # the bodies of the next requests
        self._listed_types: list[str] = []
        self._refreshed: list[tuple[str, str]] = []
        self.user_folders: list[str] | None = None  # None: every library
        self._users: dict[str, dict[str, Any]] = {}  # id -> the users but the administrator
        # (user id, item id) -> UserItemData's AudioStreamIndex, SubtitleStreamIndex
        self._remembered: dict[tuple[str, str], tuple[int | None, int | None]] = {}
        self._images: dict[str, list[image_api.StoredImage]] = {}  # item id -> ImageInfos' order
        self._image_ticks = 0  # the last image's DateModified (.NET ticks), never twice
        self._image_writes: list[tuple[str, str, str]] = []
        self._user_tokens: dict[str, str] = {}  # access token -> user id

    # -- for tests ------------------------------------------------------------------

    def items(self) -> list[dict[str, Any]]:
        with self.lock:
            return copy.deepcopy(list(self._items.values()))

    def item(self, item_id: str) -> dict[str, Any]:
        with self.lock:
            return copy.deepcopy(self._items[item_id])

    def tags(self) -> dict[str, set[str]]:
        """Name -> tags, of the series and movies."""
        return {
            item["Name"]: set(item.get("Tags") or [])
            for item in self.items()
            if item["Type"] in TOP_LEVEL
        }

    def tags_by_id(self) -> dict[str, set[str]]:
        """Id -> tags, of every item (seasons and episodes too)."""
        return {item["Id"]: set(item.get("Tags") or []) for item in self.items()}

    def children(self, series_id: str) -> list[dict[str, Any]]:
        """The seasons and episodes of a series."""
        return [item for item in self.items() if item.get("SeriesId") == series_id]

    def add(self, item: Mapping[str, Any]) -> None:
        """A new item, as a library scan adds one (an episode imported later)."""
        with self.lock:
            self._items[str(item["Id"])] = copy.deepcopy(dict(item))
            if item.get("SeriesId"):
                self._children.setdefault(str(item["SeriesId"]), []).append(str(item["Id"]))

    def add_user(
        self,
        name: str,
        *,
        allowed_tags: Iterable[str] = (),
        blocked_tags: Iterable[str] = (),
        playback: Mapping[str, Any] | None = None,
        disabled: bool = False,
    ) -> str:
        """A user who is not an administrator, with every library, the parental tag
        limits given (parental.py: ValueError for one the release has not got) and
        his Configuration with ``playback``'s members (users.py); its id."""
        allowed, blocked = list(allowed_tags), list(blocked_tags)
        parental.check_policy(self.release.key, allowed, blocked)
        user_id = hashlib.md5(name.encode(), usedforsecurity=False).hexdigest()
        policy: dict[str, Any] = {
            "IsAdministrator": False, "IsDisabled": disabled, "EnableAllFolders": True,
            "EnabledFolders": [], "BlockedTags": blocked,
        }  # fmt: skip
        if parental.RULES.get(self.release.key, ("", False))[1]:
            policy["AllowedTags"] = allowed
        with self.lock:
            self._users[user_id] = {
                "Name": name, "Id": user_id, "Policy": policy,
                "Configuration": users.configuration(playback),
            }  # fmt: skip
        return user_id

    def users(self) -> list[dict[str, Any]]:
        """The users but the administrator, as ``GET /Users`` lists them."""
        with self.lock:
            return copy.deepcopy(list(self._users.values()))

    def configuration_of(self, user_id: str) -> dict[str, Any] | None:
        """A user's Configuration (the administrator's: a new user's); None: no such user."""
        with self.lock:
            if user_id == USER_ID:
                return users.configuration()
            user = self._users.get(user_id)
            return copy.deepcopy(user["Configuration"]) if user is not None else None

    def set_streams(self, item_id: str, streams: Iterable[Mapping[str, Any]]) -> None:
        """The item's MediaStreams as the server's probe stored them (tests/jellyfin_streams.py
        reads them from a real file): its first media source's (one is made from the
        item's Path when it has none) and the item's own ``MediaStreams``."""
        with self.lock:
            item = self._items[item_id]
            listed = [copy.deepcopy(dict(stream)) for stream in streams]
            sources = item.get("MediaSources") or [
                {
                    "Id": f"{item_id}-source",
                    "Path": item.get("Path"),
                    "Container": str(item.get("Path") or "").rpartition(".")[2] or None,
                }
            ]
            sources[0] = {**sources[0], "MediaStreams": listed}
            item["MediaSources"] = sources
            item["MediaStreams"] = copy.deepcopy(listed)

    def remember_tracks(
        self, user_id: str, item_id: str, *, audio: int | None = None, subtitle: int | None = None
    ) -> None:
        """The tracks the user picked on the item in a player (UserItemData's
        AudioStreamIndex and SubtitleStreamIndex, -1: subtitles off), as the playback
        reports of a client save them."""
        with self.lock:
            self._remembered[(user_id, item_id)] = (audio, subtitle)

    def remembered(self, user_id: str, item_id: str) -> tuple[int | None, int | None]:
        with self.lock:
            return self._remembered.get((user_id, item_id), (None, None))

    def update(self, item_id: str, **fields: Any) -> None:
        """Change an item as a person would in the server's editor."""
        with self.lock:
            self._items[item_id].update(copy.deepcopy(fields))

    def delete(self, item_id: str) -> None:
        with self.lock:
            del self._items[item_id]
            self._images.pop(item_id, None)

    def vanish(self, item_id: str) -> None:
        """Listed by a ``GET /Items`` of a type or library, gone when asked for by id,
        read or written: deleted between the listing and the write."""
        with self.lock:
            self._vanished.add(item_id)

    def fail_item(self, item_id: str, status: int | None) -> None:
        """Answer ``status`` (500, 400, 401 ...) to every read by id, update and refresh
        of the item, still listed: a server failing on that one item. None ends it."""
        with self.lock:
            if status is None:
                self._failing.pop(item_id, None)
            else:
                self._failing[item_id] = status

    def fail_requests(self, status: int, times: int) -> None:
        """Answer the next ``times`` authorised requests with ``status`` (503: a server
        that is starting, behind its proxy)."""
        with self.lock:
            self._failing_next = [status] * times

    def garble_requests(self, body: bytes, times: int) -> None:
        """Answer the next ``times`` authorised requests 200 with ``body`` as it is (JSON
        nested too deep, or no JSON at all: a broken server, or another program)."""
        with self.lock:
            self._garbled_next = [body] * times

    def garbled_body(self) -> bytes | None:
        """The body ``garble_requests`` left for this request, if any."""
        with self.lock:
            return self._garbled_next.pop() if self._garbled_next else None

    def limit_user_folders(self, library_ids: list[str] | None) -> None:
        """The administrator sees only these libraries (Policy.EnableAllFolders off),
        as a user's own library access does; None: every library."""
        with self.lock:
            self.user_folders = None if library_ids is None else list(library_ids)

    def user_token(self, user_id: str) -> str:
        """An access token of the user (the administrator's ``USER_ID`` or one
        ``add_user`` made), as ``/Users/AuthenticateByName`` gives one; KeyError for
        another id. Only the image routes take it (images.py); the others want the key."""
        with self.lock:
            if user_id != USER_ID and user_id not in self._users:
                raise KeyError(user_id)
            seed = f"{self.token}|{user_id}".encode()
            token = hashlib.sha256(seed, usedforsecurity=False).hexdigest()[:32]
            self._user_tokens[token] = user_id
            return token

    def set_image(self, item_id: str, image_type: str, data: bytes, content_type: str) -> str:
        """Give the item an image as a save of the server would (its tag changes, also
        for the same bytes), without counting it as a write; its new tag. KeyError for
        no such item, ValueError for an ImageType or image Content-Type Jellyfin has not."""
        kind = image_api.image_type(image_type)
        ext = image_api.extension(content_type)
        if kind is None or ext is None:
            raise ValueError(f"not an image Jellyfin saves: {image_type!r}, {content_type!r}")
        with self.lock:
            if item_id not in self._items:
                raise KeyError(item_id)
            return self._store_image(item_id, kind, bytes(data), ext)

    def image(self, item_id: str, image_type: str, index: int = 0) -> image_api.StoredImage | None:
        """The item's image of that type (the ``index``-th of a Backdrop), or None."""
        kind = image_api.image_type(image_type)
        with self.lock:
            found = [i for i in self._images.get(item_id, []) if i.image_type == kind]
            return found[index] if 0 <= index < len(found) else None

    def images(self, item_id: str) -> list[image_api.StoredImage]:
        """Every image of the item, in the order the server keeps them."""
        with self.lock:
            return list(self._images.get(item_id, []))

    def image_writes(self) -> list[tuple[str, str, str]]:
        """(method, item id, ImageType) of every image ``POST`` and ``DELETE`` answered
        204, in order (``set_image`` is not one)."""
        with self.lock:
            return list(self._image_writes)

    def counters(self) -> dict[tuple[str, str], int]:
        with self.lock:
            return dict(self._counters)

    def auth_modes(self) -> dict[str, int]:
        """Requests accepted per place the token came from (auth.py)."""
        with self.lock:
            return dict(self._auth_modes)

    def listed_types(self) -> list[str]:
        """The ``IncludeItemTypes`` of every listing ``GET /Items`` (not by Ids), in order."""
        with self.lock:
            return list(self._listed_types)

    def refreshed(self) -> list[tuple[str, str]]:
        """(item id, metadataRefreshMode) of every refresh queued, in order."""
        with self.lock:
            return list(self._refreshed)

    def writes(self) -> int:
        """Requests that change an item's metadata (refreshes are not writes)."""
        counters = self.counters()
        routes = ("/items/{itemId}", "/items/{itemId}/tags/add", "/items/{itemId}/tags/delete")
        return sum(counters.get(("POST", route), 0) for route in routes)

    def saves(self) -> dict[str, int]:
        """Item id -> times it was saved (an update of a series saves its seasons and
        episodes too, from 10.9)."""
        with self.lock:
            return dict(self._saves)

    def nfo_writes(self) -> dict[str, int]:
        """Item id -> times the NFO saver rewrote its NFO (a save in a library whose
        MetadataSavers names "Nfo")."""
        with self.lock:
            return dict(self._nfo_writes)

    def reset_counters(self) -> None:
        with self.lock:
            for counter in (self._counters, self._auth_modes, self._saves, self._nfo_writes):
                counter.clear()
            self._listed_types.clear()
            self._refreshed.clear()
            self._image_writes.clear()

    # -- what routes.py asks ------------------------------------------------------------

    def count(self, method: str, route: str, auth_mode: str | None) -> None:
        with self.lock:
            self._counters[(method, route)] += 1
            if auth_mode:
                self._auth_modes[auth_mode] += 1

    def caller(self, token: str | None) -> image_api.Caller | None:
        """Who a token is (images.py): the API key an administrator, a user's token
        (``user_token``) that user unless he is disabled; None for anyone else."""
        if not token:
            return None
        if token == self.token:
            return image_api.Caller(None, admin=True)
        with self.lock:
            user_id = self._user_tokens.get(token)
            if user_id == USER_ID:
                return image_api.Caller(USER_ID, admin=True)
            user = self._users.get(user_id or "")
            if user is None or user["Policy"]["IsDisabled"]:
                return None
            return image_api.Caller(user["Id"], admin=bool(user["Policy"]["IsAdministrator"]))

    def save_image(self, item_id: str, image_type: str, data: bytes, ext: str) -> None:
        """``POST /Items/{itemId}/Images/{imageType}``: the image saved, the item too."""
        with self.lock:
            self._store_image(item_id, image_type, data, ext)
            self._saves[item_id] += 1
            self._image_writes.append(("POST", item_id, image_type))

    def delete_image(self, item_id: str, image_type: str, index: int, *, record: bool) -> None:
        """``DELETE``: the ``index``-th image of the type gone (nothing when there is none)."""
        with self.lock:
            found = [i for i in self._images.get(item_id, []) if i.image_type == image_type]
            if 0 <= index < len(found):
                self._images[item_id].remove(found[index])
                self._tag_item(item_id)
                self._saves[item_id] += 1
            if record:
                self._image_writes.append(("DELETE", item_id, image_type))

    def _store_image(self, item_id: str, kind: str, data: bytes, ext: str) -> str:
        self._image_ticks = max(self._image_ticks + 1, image_api.ticks_of(time.time_ns()))
        held = self._images.setdefault(item_id, [])
        same = [n for n, image in enumerate(held) if image.image_type == kind]
        index = len(same) if kind in image_api.MULTIPLE else 0
        image = image_api.stored_image(
            self._items[item_id], kind, index, data, ext, self._image_ticks
        )
        if same and kind not in image_api.MULTIPLE:
            held[same[0]] = image
        else:
            held.append(image)
        self._tag_item(item_id)
        return image.tag

    def _tag_item(self, item_id: str) -> None:
        """The item's ImageTags and BackdropImageTags (DtoService)."""
        held = self._images.get(item_id, [])
        item = self._items[item_id]
        item["ImageTags"] = {
            i.image_type: i.tag for i in held if i.image_type not in image_api.MULTIPLE
        }
        item["BackdropImageTags"] = [i.tag for i in held if i.image_type == "Backdrop"]

    def failing_status(self, item_id: str | None) -> int | None:
        """The status ``fail_requests`` left for this request, else the one ``fail_item``
        set for its item."""
        with self.lock:
            if self._failing_next:
                return self._failing_next.pop()
            return self._failing.get(item_id) if item_id is not None else None

    def library_of(self, item: Mapping[str, Any]) -> str:
        """The library id an item is in, up its ParentId chain."""
        with self.lock:
            seen = 0
            while item.get("ParentId") in self._items and seen < 10:
                item, seen = self._items[item["ParentId"]], seen + 1
            return str(item.get("ParentId") or "")

    def visible(
        self, item: Mapping[str, Any], user_id: str | None, types: Iterable[str] = ()
    ) -> bool:
        """Whether the user (None: an API key's request without one) gets the item in a
        listing of ``types`` (lower case; empty: every type): the administrator's
        folder limits, another user's parental tag limits (parental.py)."""
        if user_id is None:
            return True
        with self.lock:
            user = self._users.get(user_id)
            if user is not None:
                return parental.sees(
                    self.release.key, user["Policy"], item, self._items.get, set(types)
                )
        if self.user_folders is None:
            return True
        return self.library_of(item) in self.user_folders

    def episodes(self, series_id: str, user_id: str | None) -> list[dict[str, Any]] | None:
        """A series' episodes as ``GET /Shows/{seriesId}/Episodes`` lists them for the
        user (``Series.GetEpisodes``: its seasons and episodes asked together, each
        episode given when it and its season pass); None when there is no such series."""
        types = ("episode", "season")
        with self.lock:
            series = self.existing(series_id)
            if series is None or series.get("Type") != "Series":
                return None
            children = [
                self._items[child]
                for child in self._children.get(series_id, [])
                if child in self._items
            ]
            seasons = {
                c["Id"]
                for c in children
                if c["Type"] == "Season" and self.visible(c, user_id, types)
            }
            episodes = [
                c
                for c in children
                if c["Type"] == "Episode"
                and c.get("ParentId") in seasons
                and self.visible(c, user_id, types)
            ]
            return sorted(
                episodes, key=lambda e: (e.get("ParentIndexNumber") or 0, e.get("IndexNumber") or 0)
            )

    def listing(self, asked: str, parent: str | None) -> list[dict[str, Any]]:
        """The items of the ``IncludeItemTypes`` asked (every type when none), in a
        library or everywhere."""
        types = {name.strip().lower() for name in asked.split(",") if name.strip()}
        with self.lock:
            self._listed_types.append(asked)
            rows = sorted(self._items.values(), key=lambda item: (item["Name"], item["Id"]))
            rows = [r for r in rows if not types or r["Type"].lower() in types]
            return [r for r in rows if parent is None or self.library_of(r) == parent]

    def by_ids(self, ids: list[str]) -> list[dict[str, Any]]:
        """The items ids name that still exist; a failing one raises UpdateRefused."""
        with self.lock:
            for item_id in ids:
                if (status := self._failing.get(item_id)) is not None:
                    raise UpdateRefused(status, "failing on purpose")
            return [self._items[i] for i in ids if i in self._items and i not in self._vanished]

    def existing(self, item_id: str) -> dict[str, Any] | None:
        with self.lock:
            if item_id in self._vanished:
                return None
            return self._items.get(item_id)

    def apply_update(self, item_id: str, body: Mapping[str, Any]) -> bool:
        """The release's update of the item; False when it is gone. Raises
        UpdateRefused (the changes made before it stay, as in Jellyfin's memory)."""
        with self.lock:
            item = self.existing(item_id)
            if item is None:
                return False
            updated = copy.deepcopy(item)
            children = [
                copy.deepcopy(self._items[child])
                for child in self._children.get(item_id, [])
                if child in self._items
            ]
            saved: list[dict[str, Any]] = []
            try:
                self.release.update_item(updated, body, children, saved)
            finally:
                self._items[item_id] = updated  # in memory, saved or not
                for child in saved:
                    self._items[child["Id"]] = child
                    self._saved(child)
            self._saved(updated)
            return True

    def change_tags(self, item_id: str, add: list[str], remove: list[str]) -> bool:
        """Emby's Tags/Add and Tags/Delete; False when the item is gone."""
        with self.lock:
            item = self.existing(item_id)
            if item is None:
                return False
            gone = {tag.casefold() for tag in remove}
            tags = [tag for tag in item.get("Tags") or [] if tag.casefold() not in gone]
            have = {tag.casefold() for tag in tags}
            for tag in add:
                if tag and tag.casefold() not in have:
                    tags.append(tag)
                    have.add(tag.casefold())
            item["Tags"] = tags
            self._saved(item)
            return True

    def record_refresh(self, item_id: str, mode: str) -> bool:
        with self.lock:
            if self.existing(item_id) is None:
                return False
            self._refreshed.append((item_id, mode))
            return True

    def _saved(self, item: Mapping[str, Any]) -> None:
        self._saves[item["Id"]] += 1
        library = next(
            (lib for lib in self.libraries if lib.get("ItemId") == self.library_of(item)), {}
        )
        savers = (library.get("LibraryOptions") or {}).get("MetadataSavers") or []
        if any(str(saver).casefold() == "nfo" for saver in savers):
            self._nfo_writes[item["Id"]] += 1
