"""The images of one chunk fetched side by side, within bounds: ``THREADS`` at once per
chunk, and at most ``PER_ARR`` requests to one *arr at once in this process, whatever
the number of chunks a worker runs (the scans' requests do not wait on this bound).
No database access on the fetching threads: the caller's ``store`` gets the images in
batches, in its own thread, so a chunk holds few images at a time. The chunk waits for
its images until its hold limit (scanner.runtime.hold): an *arr or a share that stops
answering ends it with that reason, its threads abandoned (daemon threads)."""

from __future__ import annotations

import functools
import hashlib
import logging
import threading
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass, field, replace

from scanner.arr.covers import fetch_cover
from scanner.artwork.folder_files import (
    FolderFile,
    FolderFileTooLarge,
    originals_of_drawn,
    read_folder_file,
)
from scanner.artwork.thumbnails import NotAnImage, Thumbnail, thumbnail
from scanner.connect.arr import arr_client
from scanner.errors import (
    ArrAuthError,
    ArrError,
    ArrTransientError,
    ShareUnanswered,
    TaggarrError,
)
from scanner.models import Instance
from scanner.runtime.hold import DaemonThreads, seconds_left
from scanner.runtime.running import hold_limit

logger = logging.getLogger(__name__)

THREADS = 4
PER_ARR = 4
# Images stored in one statement: what a chunk holds at most besides those in flight.
STORE_EVERY = 25

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
    digest: str = ""  # SHA-256 of the bytes it was made from


@dataclass(frozen=True)
class Failed:
    wanted: Wanted
    reason: str
    undecodable: bool = False  # the bytes came and did not decode: not again until they change


@dataclass
class Fetched:
    made: int = 0  # stored (handed to ``store``)
    failed: list[Failed] = field(default_factory=list)
    # A refused key or an *arr out of reach: every other image would fail too, so the
    # rest were not asked for (and are not remembered as failed).
    stopped: TaggarrError | None = None


Store = Callable[[list[Made]], None]


def fetch_all(instance: Instance, wanted: list[Wanted], store: Store) -> Fetched:
    """Fetch ``wanted``; ``store`` (called in this thread) gets the images made, at most
    STORE_EVERY at a time: a chunk never holds more than that and the few in flight."""
    if not wanted:
        return Fetched()
    if not instance.is_arr:
        silent = instance.root_folders[0] if instance.root_folders else instance.name
        return _run(
            wanted,
            lambda each: read_folder_file(each.folder_file),  # type: ignore[arg-type]
            functools.partial(_store_originals, store),
            lambda: ShareUnanswered(silent, hold_limit()),
        )
    slots = arr_slots(instance.pk)
    with arr_client(instance) as client:

        def load(each: Wanted) -> bytes:
            with slots:
                data, content_type = fetch_cover(client, each.arr_id or 0, each.kind)
            if content_type and not content_type.lower().startswith("image/"):
                raise NotAnImage(f"answered {content_type.split(';')[0]}, not an image")
            return data

        def unanswered() -> TaggarrError:
            return ArrTransientError(
                f"{instance.name}: no answer to its artwork requests within "
                f"TAGGARR_HOLD_SECONDS ({hold_limit():.0f} s)"
            )

        return _run(wanted, load, store, unanswered)


def _store_originals(store: Store, made: list[Made]) -> None:
    """``store`` the images made, each poster file Taggarr drew dub badges on made again
    from the original it kept (in the caller's thread: the database is read here, never
    in the threads that read the files)."""
    originals = originals_of_drawn({each.digest for each in made if each.digest})
    store(
        [
            replace(each, image=thumbnail(originals[each.digest], each.wanted.kind))
            if each.digest in originals
            else each
            for each in made
        ]
    )


def _one(each: Wanted, load: Callable[[Wanted], bytes]) -> Made | Failed | ArrError:
    try:
        data = load(each)
    except (ArrAuthError, ArrTransientError) as exc:
        return exc
    except (ArrError, NotAnImage, FolderFileTooLarge, OSError) as exc:
        return _failed(each, exc, "tried again when its address changes")
    try:
        return Made(each, thumbnail(data, each.kind), hashlib.sha256(data).hexdigest())
    except NotAnImage as exc:
        return _failed(each, exc, "not decoded again until it changes", undecodable=True)


def _failed(each: Wanted, exc: Exception, when: str, *, undecodable: bool = False) -> Failed:
    logger.warning("%s of %r not fetched, %s: %s", each.kind, each.title, when, exc)
    return Failed(each, str(exc), undecodable)


def _run(
    wanted: list[Wanted],
    load: Callable[[Wanted], bytes],
    store: Store,
    unanswered: Callable[[], TaggarrError],
) -> Fetched:
    fetched = Fetched()
    waiting = iter(wanted)
    running: set[Future[Made | Failed | ArrError]] = set()
    made: list[Made] = []

    def flush() -> None:
        if made:
            store(list(made))
            fetched.made += len(made)
            made.clear()

    pool = DaemonThreads(min(THREADS, len(wanted)), "taggarr-art")
    try:
        while True:
            while fetched.stopped is None and len(running) < 2 * THREADS:
                each = next(waiting, None)
                if each is None:
                    break
                running.add(pool.submit(_one, each, load))
            if not running:
                break
            done, running = wait(running, timeout=seconds_left(), return_when=FIRST_COMPLETED)
            if not done:  # the chunk's hold limit passed: nothing answered
                fetched.stopped = unanswered()
                logger.warning(
                    "%s; the chunk stops waiting, its %d threads left blocked are abandoned "
                    "(daemon threads)",
                    fetched.stopped,
                    len(running),
                )
                break
            for future in done:
                outcome = future.result()
                if isinstance(outcome, Made):
                    made.append(outcome)
                elif isinstance(outcome, Failed):
                    fetched.failed.append(outcome)
                else:
                    fetched.stopped = fetched.stopped or outcome
            if len(made) >= STORE_EVERY:
                flush()
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    flush()
    return fetched
