"""The image's default role, all-in-one, without a Docker engine: its entrypoint run as
plain processes on this machine, a temporary folder as its /config, on nothing but its
defaults (SQLite and the embedded broker in the data dir; no TAGGARR_* setting but the
data dir and the address). It starts, answers /healthz, made its first admin into the
data dir, and a scan started through the API tags the fake Sonarr's library; a SIGTERM
(``docker stop``) ends every process, and the stack with status 0 (a clean stop, as
Sonarr's image ends). The first start prints the generated password once; a second
start on the same data dir reminds of its file once, never the password.

PUID/PGID are the current user's (the drop to another user needs root and a checkout
that user can read: test_entrypoint.py's own test); UMASK is honoured by every process.
Nothing waits by sleeping a fixed time: every wait polls a condition with a bound.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests

from fakes.arr import FakeArr
from tests.helpers import ARR_KEY, CHECKOUT, arr_tags, find_leak, free_port
from tests.library import REMOTE_TV, Library
from tests.processes import descendants, running

pytestmark = pytest.mark.worker

START_TIMEOUT = 120  # bounds for a loaded machine; on an idle one it starts in seconds
SCAN_TIMEOUT = 120


def _until(condition: Callable[[], bool], what: str, timeout: float, stack: Stack) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if stack.process.poll() is not None:
            raise AssertionError(f"all-in-one ended while waiting for {what}:\n{stack.tail()}")
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}:\n{stack.tail()}")
        time.sleep(0.1)


@dataclass
class Stack:
    process: subprocess.Popen[str]
    url: str
    output: list[str] = field(default_factory=list)

    def tail(self) -> str:
        return "".join(self.output[-60:])

    def call(self, method: str, path: str, body: Any = None, token: str = "") -> Any:
        headers = {"Authorization": f"Token {token}"} if token else {}
        answer = requests.request(method, self.url + path, json=body, headers=headers, timeout=30)
        assert answer.ok, f"{method} {path}: {answer.status_code} {answer.text[:500]}"
        return answer.json()

    def healthy(self) -> bool:
        try:
            return requests.get(f"{self.url}/healthz", timeout=2).status_code == 200
        except requests.RequestException:
            return False


@contextmanager
def all_in_one(config: Path) -> Iterator[Stack]:
    """``docker run taggarr`` as plain processes: the entrypoint with no role given."""
    port = free_port()
    kept = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("TAGGARR_")
        and name not in ("DATABASE_URL", "REDIS_URL", "PUID", "PGID", "UMASK", "HOME")
    }
    env = {
        **kept,
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        "HOME": str(config.parent),
        "TAGGARR_DATA_DIR": str(config),  # the image's /config
        "TAGGARR_BIND": f"127.0.0.1:{port}",  # the image's 0.0.0.0:8000
        "TAGGARR_WEB_WORKERS": "1",  # one gunicorn worker starts sooner than two
        "PUID": str(os.getuid()),
        "PGID": str(os.getgid()),
        "UMASK": "027",
    }
    process = subprocess.Popen(
        ["sh", "docker/entrypoint.sh"],
        cwd=CHECKOUT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )  # fmt: skip
    stack = Stack(process, f"http://127.0.0.1:{port}")

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            stack.output.append(line)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        yield stack
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=60)
        reader.join(timeout=10)


def _first_admin(config: Path) -> tuple[str, str]:
    text = (config / "admin-password.txt").read_text()
    user = re.search(r"^user: (.+)$", text, re.MULTILINE)
    password = re.search(r"^password: (.+)$", text, re.MULTILINE)
    assert user and password, text
    return user[1], password[1]


REMINDER = "The first admin's password is still in"


def _stop(stack: Stack) -> int:
    """docker stop: SIGTERM to the container's first process; its exit status."""
    stack.process.send_signal(signal.SIGTERM)
    return stack.process.wait(timeout=90)


def test_the_all_in_one_role_starts_on_its_defaults_tags_a_library_and_stops_with_0(
    tmp_path: Path, sonarr: FakeArr, tv_library: Library
) -> None:
    config = tmp_path / "config"
    with all_in_one(config) as stack:
        _until(stack.healthy, "/healthz to answer", START_TIMEOUT, stack)
        everything = set(descendants(stack.process.pid))
        # Its defaults: SQLite and the embedded broker, both in the data dir, with the
        # generated secrets and the first admin; UMASK 027 for the files it made.
        for made in ("taggarr.sqlite3", "broker", "secret_key", "encryption_key"):
            assert (config / made).exists(), made
        assert (config / "taggarr.sqlite3").stat().st_mode & 0o027 == 0
        password_file = config / "admin-password.txt"
        assert password_file.stat().st_mode & 0o777 == 0o600
        user, password = _first_admin(config)

        issued = stack.call(
            "POST", "/api/auth/token/", {"username": user, "password": password, "name": "smoke"}
        )
        token = issued["token"]
        root = str(tv_library.root)
        instance = stack.call(
            "POST",
            "/api/instances/",
            {
                "name": "tv",
                "kind": "sonarr",
                "url": sonarr.url,
                "api_key": ARR_KEY,
                "root_folders": [root],
                "path_mappings": [{"remote": REMOTE_TV, "local": root}],
                "target_languages": ["eng"],
                "audio_source": "files",
            },
            token,
        )
        run = stack.call("POST", "/api/scans/", {"instance": instance["id"]}, token)

        def finished() -> bool:
            status = stack.call("GET", f"/api/scans/{run['id']}/", token=token)["status"]
            return status not in ("queued", "running", "applying")

        _until(finished, "the scan to finish (the worker took it)", SCAN_TIMEOUT, stack)
        assert stack.call("GET", f"/api/scans/{run['id']}/", token=token)["status"] == "succeeded"
        assert arr_tags(sonarr) == tv_library.expected

        # docker stop: SIGTERM to the container's first process ends every process,
        # and the stack with 0 (honcho's own status for it is 143).
        assert _stop(stack) == 0, stack.tail()
        assert not any(running(pid) for pid in everything), stack.tail()

    output = "".join(stack.output)
    assert "web.1" in output and "worker.1" in output and "beat.1" in output
    assert output.count(password) == 1  # in the first start's box, and nowhere else
    assert REMINDER not in output  # the box says it: web does not remind of it again

    # A second start on the same data dir: the reminder of the file once (the stack's
    # start-up, not web's again), never the password; stopped with 0 again.
    with all_in_one(config) as again:
        _until(again.healthy, "/healthz to answer after a restart", START_TIMEOUT, again)
        assert _stop(again) == 0, again.tail()
    restarted = "".join(again.output)
    assert restarted.count(REMINDER) == 1, restarted
    assert password not in restarted
    for log in (config / "logs").glob("*.log"):
        assert not find_leak(log.read_text(encoding="utf-8", errors="replace")), log.name
