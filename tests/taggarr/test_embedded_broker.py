"""The embedded broker: a message is either not in the queue's folder or there whole."""

from __future__ import annotations

import fcntl
import json
import multiprocessing
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from queue import Empty
from typing import Any

import pytest
from kombu import Connection
from kombu.exceptions import ChannelError
from kombu.transport import filesystem

from taggarr import embedded_broker
from taggarr.embedded_broker import SCHEME


@pytest.fixture
def channel(tmp_path: Path) -> Iterator[object]:
    options = {
        "data_folder_in": str(tmp_path / "queue"),
        "data_folder_out": str(tmp_path / "queue"),
        "control_folder": str(tmp_path / "control"),
    }
    (tmp_path / "queue").mkdir()
    with Connection(f"{SCHEME}://", transport_options=options) as connection:
        yield connection.default_channel


def test_a_message_appears_under_its_queue_name_only_once_written_whole(
    channel, tmp_path: Path, monkeypatch
) -> None:
    queue = tmp_path / "queue"
    seen_while_writing: list[list[str]] = []
    rename = os.replace

    def replace(source: str, target: str) -> None:
        written = Path(source).read_bytes()
        seen_while_writing.append(sorted(os.listdir(queue)))
        assert written.endswith(b"}")  # whole before it is renamed
        rename(source, target)

    monkeypatch.setattr(embedded_broker.os, "replace", replace)
    body = {"body": "x" * 100_000}
    channel._put("celery", body)

    (names,) = seen_while_writing
    assert [name for name in names if name.endswith(".celery.msg")] == []  # not yet readable
    assert channel._size("celery") == 1
    assert channel._get("celery") == body


def test_a_message_being_written_is_not_taken_by_a_reader(channel, tmp_path: Path) -> None:
    """What kombu's own transport let happen: the reader took the file while empty."""
    (tmp_path / "queue" / "1_x.celery.msg.part").write_bytes(b"")  # a put under way
    channel._put("celery", {"body": 1})
    assert channel._get("celery") == {"body": 1}
    assert channel._size("celery") == 0
    assert (tmp_path / "queue" / "1_x.celery.msg.part").exists()


# The exchange tables: bindings shared by every process on one broker folder.


def _channel(tmp_path: Path, scheme: str = SCHEME) -> Any:
    options = {
        "data_folder_in": str(tmp_path / "queue"),
        "data_folder_out": str(tmp_path / "queue"),
        "control_folder": str(tmp_path / "control"),
    }
    (tmp_path / "queue").mkdir(exist_ok=True)
    return Connection(f"{scheme}://", transport_options=options).default_channel


def test_kombus_own_transport_lets_a_reader_see_a_table_being_written(
    tmp_path: Path, monkeypatch
) -> None:
    """Why the tables are ours: kombu's first bind opens the table with "wb", emptying
    it before it takes its lock, so a broadcast reading it then fails to decode it (what
    `make test` saw once beside a worker)."""
    writer, reader = _channel(tmp_path, "filesystem"), _channel(tmp_path, "filesystem")
    locked = filesystem.lock
    read_mid_write: list[BaseException] = []

    def lock(f_obj: Any, flags: int) -> None:
        if flags == filesystem.LOCK_EX and not read_mid_write:
            with pytest.raises(json.JSONDecodeError) as caught:
                reader.get_table("celery.pidbox")  # between the "wb" and the lock
            read_mid_write.append(caught.value)
        locked(f_obj, flags)

    monkeypatch.setattr(filesystem, "lock", lock)
    writer._queue_bind("celery.pidbox", "", "", "worker@host.celery.pidbox")
    assert len(read_mid_write) == 1


def test_a_table_being_written_is_read_whole_and_held_against_other_writers(
    tmp_path: Path, monkeypatch
) -> None:
    writer, reader = _channel(tmp_path), _channel(tmp_path)
    writer._queue_bind("celery.pidbox", "", "", "first.celery.pidbox")
    lock_file = tmp_path / "control" / "celery.pidbox.exchange.lock"
    seen_mid_write: list[list[str]] = []
    replace = os.replace

    def replace_after_looking(source: Any, target: Any) -> None:
        # The new table is written, not yet in place: a reader sees the old one whole.
        seen_mid_write.append([entry.queue for entry in reader.get_table("celery.pidbox")])
        with open(lock_file, "a") as other, pytest.raises(BlockingIOError):
            fcntl.flock(other.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)  # another writer waits
        replace(source, target)

    monkeypatch.setattr(embedded_broker.os, "replace", replace_after_looking)
    writer._queue_bind("celery.pidbox", "", "", "second-and-longer.celery.pidbox")

    assert seen_mid_write == [["first.celery.pidbox"]]
    assert [entry.queue for entry in reader.get_table("celery.pidbox")] == [
        "second-and-longer.celery.pidbox",
        "first.celery.pidbox",
    ]
    assert sorted(os.listdir(tmp_path / "control")) == [
        "celery.pidbox.exchange",
        "celery.pidbox.exchange.lock",
    ]  # no temporary file left


def test_a_binding_is_deleted_from_its_table_and_the_rest_kept(tmp_path: Path) -> None:
    channel = _channel(tmp_path)
    channel.queue_declare("a")
    channel.queue_declare("b")
    channel.exchange_declare("fan", type="fanout")
    channel.queue_bind("a", "fan")
    channel.queue_bind("b", "fan")
    channel.queue_delete("a")
    assert [entry.queue for entry in channel.get_table("fan")] == ["b"]


def test_a_table_spoiled_by_kombus_own_rewrite_is_read_up_to_its_last_write(
    tmp_path: Path,
) -> None:
    """A data dir carried over from before: the first document is the last write, the
    rest the tail of a longer table it was written over."""
    channel = _channel(tmp_path)
    (tmp_path / "control").mkdir()
    (tmp_path / "control" / "fan.exchange").write_text('[["", "", "b"]]", "", "longer"]]')
    assert [entry.queue for entry in channel.get_table("fan")] == ["b"]
    channel._queue_bind("fan", "", "", "c")
    assert [entry.queue for entry in channel.get_table("fan")] == ["c", "b"]
    (tmp_path / "control" / "fan.exchange").write_text("")
    assert channel.get_table("fan") == []


PROCESSES = 6
ROUNDS = 150
GENEROUS = 120.0  # seconds: a bound for a loaded machine, never waited out


def _bind_and_broadcast(scheme: str, folder: str, me: int, barrier: Any) -> None:
    """One process of the test below: every round all of them bind a queue to a fresh
    fanout exchange at once (the first bind creates its table), read the table and
    broadcast to it."""
    channel = _channel(Path(folder), scheme)
    queue = f"{'q' * (me + 1)}.pidbox"  # of different lengths, as hosts' names are
    errors = []
    for round_ in range(ROUNDS):
        barrier.wait(GENEROUS)
        try:
            channel._queue_bind(f"x{round_}", "", "", queue)
            channel._put_fanout(f"x{round_}", {"round": round_}, "")
        except (ValueError, OSError, ChannelError) as exc:  # JSONDecodeError is a ValueError
            errors.append(f"{type(exc).__name__}: {exc}")
    (Path(folder) / f"errors-{me}.json").write_text(json.dumps(errors))


def test_processes_binding_and_broadcasting_at_once_share_the_tables(tmp_path: Path) -> None:
    """Real processes, each binding its queue to the same new exchange in the same
    instant, round after round: no table is ever read half written, none loses a
    binding, and every broadcast reaches the queues bound before it."""
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(PROCESSES)
    _channel(tmp_path)  # the folders
    processes = [
        context.Process(target=_bind_and_broadcast, args=(SCHEME, str(tmp_path), me, barrier))
        for me in range(PROCESSES)
    ]
    for process in processes:
        process.start()
    _joined(processes)
    assert [process.exitcode for process in processes] == [0] * PROCESSES

    errors = [json.loads((tmp_path / f"errors-{me}.json").read_text()) for me in range(PROCESSES)]
    assert errors == [[]] * PROCESSES
    reader = _channel(tmp_path)
    queues = {f"{'q' * (me + 1)}.pidbox" for me in range(PROCESSES)}
    for round_ in range(ROUNDS):
        assert {entry.queue for entry in reader.get_table(f"x{round_}")} == queues
    # Each process's broadcast reached at least its own queue, and every one whole.
    for queue in queues:
        assert reader._size(queue) >= ROUNDS


# Taking messages: several workers on one queue.

CONSUMERS = 4
MESSAGES = 400


def _take_all(scheme: str, folder: str, me: int, barrier: Any, tempdir: str) -> None:
    """One worker of the test below: takes messages from the queue until it is empty."""
    tempfile.tempdir = tempdir  # where kombu's own _get moves a message to read it
    channel = _channel(Path(folder), scheme)
    taken, errors = [], []
    barrier.wait(GENEROUS)
    for _ in range(2 * MESSAGES):  # at most a try per message and an error each
        try:
            taken.append(channel._get("items")["n"])
        except Empty:
            break
        except (ValueError, OSError, ChannelError) as exc:  # JSONDecodeError is a ValueError
            errors.append(f"{type(exc).__name__}: {exc}")
    (Path(folder) / f"taken-{me}.json").write_text(json.dumps([taken, errors]))


def test_workers_taking_from_one_queue_at_once_take_each_message_once(
    tmp_path: Path, tmp_path_factory
) -> None:
    """Four processes empty one queue at once. The temporary folder kombu's own
    transport read messages through is put on another filesystem than the queue (a
    tmpfs /tmp, as on Debian 13), where its move is a copy and a delete."""
    other = Path("/dev/shm")
    tempdir = (
        tempfile.mkdtemp(dir=other)
        if other.is_dir() and other.stat().st_dev != tmp_path.stat().st_dev
        else str(tmp_path_factory.mktemp("elsewhere"))
    )
    writer = _channel(tmp_path)
    for n in range(MESSAGES):
        writer._put("items", {"n": n})
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(CONSUMERS)
    processes = [
        context.Process(target=_take_all, args=(SCHEME, str(tmp_path), me, barrier, tempdir))
        for me in range(CONSUMERS)
    ]
    for process in processes:
        process.start()
    _joined(processes)
    shutil.rmtree(tempdir, ignore_errors=True)
    assert [process.exitcode for process in processes] == [0] * CONSUMERS

    results = [json.loads((tmp_path / f"taken-{me}.json").read_text()) for me in range(CONSUMERS)]
    assert [errors for _, errors in results] == [[]] * CONSUMERS
    assert sorted(n for taken, _ in results for n in taken) == list(range(MESSAGES))
    assert [name for name in os.listdir(tmp_path / "queue") if "items" in name] == []


def _joined(processes: list[Any]) -> None:
    """Each process ended, within a bound never waited out; one still running is killed
    (its exit code then fails the test instead of a wait for ever)."""
    for process in processes:
        process.join(GENEROUS)
        if process.is_alive():
            process.kill()
            process.join()
