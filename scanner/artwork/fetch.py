"""The images of one chunk fetched side by side, within bounds: ``THREADS`` at once per
chunk, and at most ``PER_ARR`` requests to one *arr at once in this process, whatever
the number of chunks a worker runs (its other requests, the scans', are not slowed by
a refresh). No database access here: the caller reads and writes, in bulk."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from scanner.arr.covers import fetch_cover
from scanner.artwork.folder_files import FolderFile, FolderFileTooLarge, read_folder_file
from scanner.artwork.thumbnails import NotAnImage, Thumbnail, thumbnail
from scanner.connect.arr import arr_client
from scanner.errors import ArrAuthError, ArrError, ArrTransientError
from scanner.models import Instance

logger = logging.getLogger(__name__)

THREADS = 4
PER_ARR = 4

_slots_lock = threading.Lock()
_slots: dict[int, threading.BoundedSemaphore] = {}


def arr_slots(instance_id: int) -> threading.BoundedSemaphore:
    """This process's bound on the instance's image requests."""
    with _slots_lock:
        return _slots.setdefault(instance_id, threading.BoundedSemaphore(PER_ARR))


@dataclass(frozen=True)
class Wanted:
    """One image to fetch: the item's, of ``kind``, made from ``source``."""

    media_id: int
    title: str
    kind: str
    source: str
    arr_id: int | None = None
    folder_file: FolderFile | None = None

    @property
    def key(self) -> tuple[int, str]:
        return (self.media_id, self.kind)


@dataclass(frozen=True)
class Made:
    wanted: Wanted
    image: Thumbnail


@dataclass(frozen=True)
class Failed:
    wanted: Wanted
    reason: str


@dataclass
class Fetched:
    made: list[Made] = field(default_factory=list)
    failed: list[Failed] = field(default_factory=list)
    # A refused key or an *arr out of reach: every other image would fail too, so the
    # rest were not asked for (and are not remembered as failed).
    stopped: ArrError | None = None


def fetch_all(instance: Instance, wanted: list[Wanted]) -> Fetched:
    if not wanted:
        return Fetched()
    if not instance.is_arr:
        return _run(wanted, lambda each: read_folder_file(each.folder_file))  # type: ignore[arg-type]
    slots = arr_slots(instance.pk)
    with arr_client(instance) as client:

        def load(each: Wanted) -> bytes:
            with slots:
                data, content_type = fetch_cover(client, each.arr_id or 0, each.kind)
            if content_type and not content_type.lower().startswith("image/"):
                raise NotAnImage(f"answered {content_type.split(';')[0]}, not an image")
            return data

        return _run(wanted, load)


def _run(wanted: list[Wanted], load: Callable[[Wanted], bytes]) -> Fetched:
    fetched = Fetched()
    stop = threading.Event()
    lock = threading.Lock()

    def one(each: Wanted) -> None:
        if stop.is_set():
            return
        try:
            made = thumbnail(load(each), each.kind)
        except (ArrAuthError, ArrTransientError) as exc:
            with lock:
                fetched.stopped = fetched.stopped or exc
            stop.set()
        except (ArrError, NotAnImage, FolderFileTooLarge, OSError) as exc:
            logger.warning(
                "%s of %r not fetched, tried again when its address changes: %s",
                each.kind,
                each.title,
                exc,
            )
            with lock:
                fetched.failed.append(Failed(each, str(exc)))
        else:
            with lock:
                fetched.made.append(Made(each, made))

    with ThreadPoolExecutor(min(THREADS, len(wanted)), thread_name_prefix="taggarr-art") as pool:
        for future in [pool.submit(one, each) for each in wanted]:
            future.result()
    return fetched
