"""A second ``make run`` on the same data dir stops with one line naming the first
(scripts/data_lock.py), and a data dir frees itself when its stack ends."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.helpers import python_script

SCRIPT = "scripts/data_lock.py"


def _holder(data: Path) -> subprocess.Popen[str]:
    """A stack stand-in that holds the lock until its standard input closes."""
    code = "import sys; print('running', flush=True); sys.stdin.read()"
    process = subprocess.Popen(
        [sys.executable, SCRIPT, "127.0.0.1:8000", sys.executable, "-c", code],
        env={**os.environ, "TAGGARR_DATA_DIR": str(data)},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stdout.readline() == "running\n"
    return process


def test_a_second_stack_on_the_same_data_dir_stops_with_a_clear_line(tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = _holder(data)
    try:
        second = python_script(
            SCRIPT, "127.0.0.1:8112", "true", env={"TAGGARR_DATA_DIR": str(data)}
        )
        assert second.returncode == 1
        assert f"already running on the data dir {data}" in second.stderr
        assert f"pid {first.pid}, serving http://127.0.0.1:8000/" in second.stderr
        other = python_script(
            SCRIPT, "127.0.0.1:8112", "true", env={"TAGGARR_DATA_DIR": str(tmp_path / "other")}
        )
        assert other.returncode == 0  # another data dir is another stack
    finally:
        first.communicate("")
    again = python_script(SCRIPT, "127.0.0.1:8112", "true", env={"TAGGARR_DATA_DIR": str(data)})
    assert again.returncode == 0  # freed when the first stack ended
