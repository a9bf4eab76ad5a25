"""The embedded broker: a message is either not in the queue's folder or there whole."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from kombu import Connection

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
