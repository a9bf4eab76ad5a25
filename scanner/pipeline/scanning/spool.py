"""A list written once and read back in order, whose size does not grow with the library.

An *arr's list of 40,000 movies, each with its file and covers, is some 80 MB as Python
objects; a planning process holds two such lists at once (``scan --inline`` plans its
instances side by side). A ``Spool`` keeps its first items as they are and pickles the
rest, one by one, to an unnamed temporary file of the process's own (deleted when
closed, or with the process): what is held in memory is bounded by ``IN_MEMORY`` items,
whatever the list's length. Only this process writes the file and reads it back.
"""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Iterator
from typing import IO, Generic, TypeVar

T = TypeVar("T")

# Items kept as objects before the rest goes to disk: a library of a few thousand items
# never touches the disk.
IN_MEMORY = 2_000


class Spool(Generic[T]):
    def __init__(self, in_memory: int | None = None) -> None:
        self._head: list[T] = []
        self._in_memory = IN_MEMORY if in_memory is None else in_memory  # read here: tests
        self._file: IO[bytes] | None = None
        self._spilled = 0

    def append(self, item: T) -> None:
        if len(self._head) < self._in_memory:
            self._head.append(item)
            return
        if self._file is None:
            self._file = tempfile.TemporaryFile(prefix="taggarr-list-")  # noqa: SIM115
        # One pickle per item: a shared Pickler's memo would keep every item alive.
        pickle.dump(item, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        self._spilled += 1

    def __len__(self) -> int:
        return len(self._head) + self._spilled

    @property
    def spilled(self) -> int:
        """How many items are on disk."""
        return self._spilled

    def __iter__(self) -> Iterator[T]:
        yield from self._head
        if self._file is None:
            return
        file = self._file
        end = file.tell()
        file.seek(0)
        try:
            for _ in range(self._spilled):
                # The file is this process's own, written above: nobody else's bytes.
                yield pickle.load(file)  # noqa: S301
        finally:
            file.seek(end)

    def batches(self, size: int) -> Iterator[list[T]]:
        """The items, ``size`` at a time."""
        batch: list[T] = []
        for item in self:
            batch.append(item)
            if len(batch) == size:
                yield batch
                batch = []
        if batch:
            yield batch

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
        self._head = []
        self._spilled = 0

    def __del__(self) -> None:
        if self._file is not None:
            self._file.close()
