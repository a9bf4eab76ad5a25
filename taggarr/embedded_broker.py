"""The embedded broker (no REDIS_URL): kombu's filesystem transport, made safe for the
several processes of ``make run`` (web, worker, beat, the health check) sharing one
broker folder.

Messages. kombu's own ``_put`` creates the message file under its final name and then
writes it; a worker polling the folder meanwhile moves the file away and reads it empty
or cut off (a JSONDecodeError in the worker, and the task is lost until the stalled-scan
check sends its work again). Here the message is written under a name no queue reads and
renamed into place: a rename within one folder is atomic, so a message is either not
there or whole.

Taking a message. kombu's ``_get`` moves the message file into the temporary folder
(or the processed folder) and reads it there. When that folder is on another filesystem
(``/tmp`` is a tmpfs on Debian 13 and most desktops, the data dir is not), the move is
a copy and a delete: two workers taking from one queue both copy the same message to
the same name, one reads it while the other rewrites it (a JSONDecodeError), or both
run it. Here the message is taken by renaming it within its own folder to a name no
queue reads: only one rename of a file succeeds, the other reader moves on to the next
message.

Exchange tables. Every queue a process declares is bound in a table file per exchange
in the control folder (``<exchange>.exchange``, a JSON list), and a broadcast (the
health check's ping, ``celery inspect``) reads the table to find its queues. kombu 5.7
rewrites that file in place: a first bind opens it with ``"wb"`` (truncating it before
taking its lock), so a reader, or a second process binding at the same moment, finds it
empty or with the tail of a longer table after the new one (``JSONDecodeError: Extra
data`` in ``_queue_bind``, seen beside a worker in ``make test``), and a binding can be
lost. Here a table is only ever replaced whole (written to a temporary file, then
``os.replace``), so a reader needs no lock and sees the old table or the new one; the
writers (bind, delete) read, change and replace it holding an exclusive ``flock`` on a
lock file of their own next to it (never replaced, unlike the table, whose inode
changes with every write). A table already spoiled by an older version is read up to
its first whole JSON document (the last write), or as empty.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from queue import Empty
from time import monotonic
from typing import Any

from kombu.exceptions import ChannelError
from kombu.transport import TRANSPORT_ALIASES, filesystem, virtual
from kombu.utils.encoding import bytes_to_str, str_to_bytes
from kombu.utils.json import dumps, loads

SCHEME = "taggarr-filesystem"  # broker_url = f"{SCHEME}://localhost//"
exchange_queue_t = filesystem.exchange_queue_t


def read_table(text: str) -> list[Any]:
    """The bindings in a table file's text; a table spoiled by an in-place rewrite
    (kombu's own, before this transport) counts up to its first whole document."""
    try:
        table, _end = json.JSONDecoder().raw_decode(text)
    except ValueError:
        table = []
    return [exchange_queue_t(*entry) for entry in table] if isinstance(table, list) else []


class Channel(filesystem.Channel):
    # The signature of kombu's filesystem.Channel._put, which this replaces; kombu's own
    # AbstractChannel names the argument `message`, hence the override the checker sees.
    def _put(self, queue: str, payload: Any, **kwargs: Any) -> None:  # type: ignore[override]
        # The name kombu gives a message (its reader sorts by it and matches the queue
        # after the first dot); while written, a suffix no queue's name ends with.
        name = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        partial = f"{final}.part"
        try:
            with open(partial, "wb") as handle:
                handle.write(str_to_bytes(dumps(payload)))
            os.replace(partial, final)
        except OSError as exc:
            raise ChannelError(f"Cannot add file {final!r} to directory") from exc

    def _get(self, queue: str, timeout: float | None = None) -> Any:
        wanted = f"{queue}.msg"
        folder = self.data_folder_in
        for name in sorted(os.listdir(folder)):  # kombu's order: by the time of writing
            if name.partition(".")[2] != wanted:
                continue
            taken = os.path.join(folder, f"{name}.taken")
            try:
                os.rename(os.path.join(folder, name), taken)  # one reader wins
            except OSError:  # taken by another reader in the meantime
                continue
            try:
                with open(taken, "rb") as handle:
                    payload = handle.read()
                if self.store_processed:
                    shutil.move(taken, os.path.join(self.processed_folder, name))
                else:
                    os.remove(taken)
            except OSError as exc:
                raise ChannelError(f"Cannot read file {taken!r} from queue.") from exc
            return loads(bytes_to_str(payload))
        raise Empty()

    def get_table(self, exchange: str) -> list[Any]:
        file = self._exchange_file(exchange)  # type: ignore[attr-defined]  # kombu's, not in its stubs
        try:
            text = bytes_to_str(file.read_bytes())  # replaced whole, never rewritten
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise ChannelError(f"Cannot open {file}") from exc
        return read_table(text)

    @contextmanager
    def _table_lock(self, exchange: str) -> Iterator[Path]:
        """The exchange's table file, held for a read-change-replace."""
        file: Path = self._exchange_file(exchange)  # type: ignore[attr-defined]  # as above
        self.control_folder.mkdir(parents=True, exist_ok=True)
        try:
            with open(file.with_name(f"{file.name}.lock"), "a") as lock:
                fcntl.flock(lock.fileno(), fcntl.LOCK_EX)  # let go when closed
                yield file
        except OSError as exc:
            raise ChannelError(f"Cannot write {file}") from exc

    @staticmethod
    def _replace_table(file: Path, table: list[Any]) -> None:
        partial = file.with_name(f"{file.name}.{uuid.uuid4().hex}.part")
        try:
            partial.write_bytes(str_to_bytes(dumps(table)))
            os.replace(partial, file)
        finally:
            partial.unlink(missing_ok=True)

    def _queue_bind(self, exchange: str, routing_key: str, pattern: str | None, queue: str) -> None:
        entry = exchange_queue_t(routing_key or "", pattern or "", queue or "")
        with self._table_lock(exchange) as file:
            table = self.get_table(exchange)
            if entry not in table:
                self._replace_table(file, [entry, *table])

    def _delete(
        self, queue: str, exchange: str, routing_key: str, pattern: str, *args: Any, **kwargs: Any
    ) -> None:
        virtual.Channel._delete(self, queue, exchange, routing_key, pattern, *args, **kwargs)
        entry = exchange_queue_t(routing_key or "", pattern or "", queue or "")
        with self._table_lock(exchange) as file:
            table = self.get_table(exchange)
            if entry in table:
                self._replace_table(file, [kept for kept in table if kept != entry])


class Transport(filesystem.Transport):
    Channel = Channel


TRANSPORT_ALIASES[SCHEME] = f"{__name__}:Transport"
