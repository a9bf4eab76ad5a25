"""A step's waits on the file system end by its hold limit (issue 69: every wait has a
deadline).

A share that stops answering (an NFS server gone, a NAS asleep with a hard mount) leaves
a call such as ``os.scandir`` or ``open`` blocked in the kernel: no timeout reaches it
and no thread can be interrupted. So the call runs on a thread of its own
(``DaemonThreads``, the I/O pool) and the step waits for its answer until its deadline:
the hold limit (TAGGARR_HOLD_SECONDS, scanner.runtime.running) from the step's start or
its last call that came back (``holding``; each answer is the step's progress, so a plan
listing 29,000 folders is not cut, one listing that never returns is), read at call time. Past
it the step raises ``ShareUnanswered`` (a StorageError: the plan and the apply fail their
run with that reason, an item fails itself, an artwork chunk stops) and the thread left
blocked is abandoned: a daemon thread, never joined, so the process still exits; a log
line says so. The worker's watchdog is the backstop for what is not run this way.
"""

from __future__ import annotations

import contextvars
import functools
import logging
import os
import queue
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager
from contextvars import ContextVar
from typing import ParamSpec, TypeVar

from django.conf import settings

from scanner.errors import ShareUnanswered
from scanner.names import display
from scanner.runtime import running
from scanner.runtime.running import hold_limit

logger = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")
In = TypeVar("In")
Out = TypeVar("Out")


class _Deadline:
    """When the step's waits end; moved on by each answer (its progress)."""

    __slots__ = ("at",)

    def __init__(self) -> None:
        self.at = time.monotonic() + hold_limit()

    def progressed(self) -> None:
        self.at = time.monotonic() + hold_limit()


_deadline: ContextVar[_Deadline | None] = ContextVar("taggarr_hold_deadline", default=None)


@contextmanager
def holding() -> Iterator[None]:
    """The step in this block (this thread, or this task's context) ends its waits by the
    hold limit from now, or from its last answer. Nested: the outer deadline stands."""
    if _deadline.get() is not None:
        yield
        return
    token = _deadline.set(_Deadline())
    try:
        yield
    finally:
        _deadline.reset(token)


def seconds_left() -> float:
    """What is left of the step's hold limit (the whole limit outside a step)."""
    deadline = _deadline.get()
    if deadline is None:
        return hold_limit()
    return max(0.0, deadline.at - time.monotonic())


def _answered() -> None:
    """A call came back: the step's progress (its deadline and its registry entry)."""
    deadline = _deadline.get()
    if deadline is not None:
        deadline.progressed()
    running.progressed()


def within_hold(future: Future[T], path: str) -> T:
    """``future``'s result, waited for until the step's deadline; ShareUnanswered past it
    (``path``: what it waits on, for the reason). The thread running it is abandoned."""
    try:
        answer = future.result(timeout=seconds_left())
    except FutureTimeout:
        if future.cancel():  # never started: nothing left behind
            raise ShareUnanswered(path, hold_limit()) from None
        if future.done():
            return future.result()
        logger.warning(
            "%s did not answer within TAGGARR_HOLD_SECONDS (%.0f s): the step stops "
            "waiting; the thread blocked on it is abandoned (a daemon thread: it ends if the "
            "share answers, and never holds the process's exit)",
            display(path),
            hold_limit(),
        )
        raise ShareUnanswered(path, hold_limit()) from None
    _answered()
    return answer


def map_within_hold(
    pool: Executor, function: Callable[[In], Out], items: list[In], path_of: Callable[[In], str]
) -> list[Out]:
    """``function`` over ``items`` on ``pool``, results in order, each waited for until
    the step's deadline; ShareUnanswered for the first past it (the rest not started are
    cancelled)."""
    if items and seconds_left() <= 0:
        raise ShareUnanswered(path_of(items[0]), hold_limit())
    futures = [pool.submit(function, item) for item in items]
    try:
        return [
            within_hold(future, path_of(item)) for item, future in zip(items, futures, strict=True)
        ]
    finally:
        for future in futures:
            future.cancel()


class DaemonThreads(Executor):
    """At most ``size`` daemon threads taking calls in order, made as they are needed
    and kept. Unlike ThreadPoolExecutor's, a thread blocked for ever on a dead share never
    holds the interpreter's exit (which joins every executor thread) and is never waited
    for: ``shutdown`` only tells the idle ones to end. A blocked thread counts against
    ``size`` until it returns."""

    def __init__(self, size: int, name: str, initializer: Callable[[], None] | None = None) -> None:
        self._size = max(1, size)
        self._name = name
        self._initializer = initializer
        self._calls: queue.SimpleQueue[tuple[Future[object], Callable[[], object]] | None]
        self._calls = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._threads = 0
        self._made = 0
        self._idle = 0
        self._queued = 0
        self._closed = False

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        future: Future[T] = Future()
        with self._lock:
            if self._closed:
                raise RuntimeError("cannot submit after shutdown")
            self._queued += 1
            if self._queued > self._idle and self._threads < self._size:
                name = f"{self._name}_{self._made}"  # as ThreadPoolExecutor names them
                self._threads += 1
                self._made += 1
                threading.Thread(target=self._work, name=name, daemon=True).start()
        # Run in the caller's context: a nested wait keeps the step's deadline (``holding``).
        call = functools.partial(contextvars.copy_context().run, fn, *args, **kwargs)
        self._calls.put((future, call))  # type: ignore[arg-type]  # Future is invariant; only this class reads it back
        return future

    def _work(self) -> None:
        if self._initializer is not None:
            self._initializer()
        while True:
            with self._lock:
                self._idle += 1
            call = self._calls.get()
            with self._lock:
                self._idle -= 1
                if call is None:
                    self._threads -= 1
                    return
                self._queued -= 1
            future, function = call
            if not future.set_running_or_notify_cancel():
                continue
            try:
                result = function()
            except BaseException as exc:  # noqa: BLE001  # handed to the waiter, as ThreadPoolExecutor does
                future.set_exception(exc)
            else:
                future.set_result(result)
            del future, function, call

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """No more calls; the threads end once idle. Never waits (``wait`` is ignored: a
        thread may be blocked for ever)."""
        with self._lock:
            self._closed = True
            threads = self._threads
        if cancel_futures:
            while True:
                try:
                    call = self._calls.get_nowait()
                except queue.Empty:
                    break
                if call is not None:
                    call[0].cancel()
        for _ in range(threads):
            self._calls.put(None)


_pool_lock = threading.Lock()
_pool: tuple[int, DaemonThreads] | None = None
_on_pool = threading.local()


def _mark() -> None:
    _on_pool.inside = True


def _step_calls() -> DaemonThreads:
    """The threads a step's own file-system calls run on, per process (a worker's
    children are forked: a pool made before the fork has no threads in them): one per
    step thread that may wait at once, the item threads and the plan's, apply's and
    artwork's beside them."""
    global _pool
    with _pool_lock:
        if _pool is None or _pool[0] != os.getpid():
            size = 2 * int(settings.WORKER_CONCURRENCY) + 4
            _pool = (os.getpid(), DaemonThreads(size, "taggarr-fs", initializer=_mark))
        return _pool[1]


def call_within_hold(function: Callable[[], T], path: str) -> T:
    """``function()`` (a call on the file system at ``path``) on a thread of its own,
    waited for until the step's deadline; ShareUnanswered past it. Called from one of
    these threads (a call nested in another), it runs there: the outer wait bounds it."""
    if getattr(_on_pool, "inside", False):
        return function()
    if seconds_left() <= 0:
        raise ShareUnanswered(path, hold_limit())
    return within_hold(_step_calls().submit(function), path)
