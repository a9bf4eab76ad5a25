"""The workers' artwork after a scan (issue 58): each ended run sends one
``refresh_run_artwork``, which sends a ``refresh_artwork_chunk`` per chunk of items with
an image to fetch. A workers' scan is followed until every run that ended so far (the
database) has had its refresh, and every chunk they sent has run (the workers' logs),
so that the artwork's requests and SQL statements count for the scan that caused them,
not for the next one; and how long after the scan's command the artwork was in place."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg

from bench.services import BenchError

TASK = r"Task scanner\.tasks\.{name}\[[^\]]+\] "
DISPATCHED = re.compile(TASK.format(name="refresh_run_artwork") + r"succeeded in [^:]+: (\d+)")
CHUNK_DONE = re.compile(TASK.format(name="refresh_artwork_chunk") + r"(succeeded|raised)")
ENDED_RUNS = "SELECT count(*) FROM scanner_scanrun WHERE finished_at IS NOT NULL"
SETTLE_TIMEOUT = 900.0
POLL_SECONDS = 0.2


@dataclass(frozen=True)
class ArtworkSettled:
    seconds: float  # from the scan's command end to the last chunk's end
    chunks: int  # chunk tasks the scan's runs sent
    images: int  # artwork rows stored when it settled
    items: int  # media items


def settle(database_url: str, logs: list[Path], before: tuple[int, int]) -> ArtworkSettled:
    """Wait until the refreshes of every ended run and their chunks have run; ``before``:
    (chunks sent, chunks done) when the scan started (``chunk_counts``)."""
    start = time.perf_counter()
    deadline = start + SETTLE_TIMEOUT
    with psycopg.connect(database_url, autocommit=True) as connection:
        while True:
            ended = _one(connection, ENDED_RUNS)
            dispatched, sent, done = _log_counts(logs)
            if dispatched >= ended and done >= sent:
                break
            if time.perf_counter() > deadline:
                raise BenchError(
                    f"artwork not settled after {SETTLE_TIMEOUT:g} s: {dispatched} of {ended} "
                    f"runs' refreshes, {done} of {sent} chunks"
                )
            time.sleep(POLL_SECONDS)
        images = _one(connection, "SELECT count(*) FROM scanner_artwork")
        items = _one(connection, "SELECT count(*) FROM scanner_media")
    return ArtworkSettled(time.perf_counter() - start, sent - before[0], images, items)


def chunk_counts(logs: list[Path]) -> tuple[int, int]:
    _, sent, done = _log_counts(logs)
    return sent, done


def _one(connection: psycopg.Connection, sql: str) -> int:
    row = connection.execute(sql).fetchone()
    return int(row[0]) if row else 0


def _log_counts(logs: list[Path]) -> tuple[int, int, int]:
    """(refreshes done, chunks they sent, chunks done) in the workers' logs."""
    dispatched = sent = done = 0
    for log in logs:
        text = log.read_text(errors="replace") if log.exists() else ""
        found = [int(n) for n in DISPATCHED.findall(text)]
        dispatched += len(found)
        sent += sum(found)
        done += len(CHUNK_DONE.findall(text))
    return dispatched, sent, done
