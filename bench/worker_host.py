"""A Celery worker on "another host": in its own network namespace (bench/lan.py), its
own mount namespace and host name, with its own /tmp and data dir (tmpfs), the main
host's work folder out of sight, and the library either at the same path as on the
main host (the ``files`` source: two hosts mounting one NAS) or nowhere (the ``arr``
source: a worker that cannot see the media at all).

It reaches PostgreSQL, Redis and the fake *arrs at the main host's LAN address only.
Its console output goes to ``<work>/<log>.log`` on the main host (the file it was
handed when it started); the log files it writes into its own data dir vanish with its
mount namespace, as they stay on their machine.
"""

from __future__ import annotations

import os
import re
import shlex
import signal
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bench.lan import NetHost
from bench.machine import REPO
from bench.services import Service, log_says, start_service
from bench.workers import BIN

DATA_DIR = "taggarr-data"  # below the host's own (tmpfs) work folder
_ITEM_TASK = "scanner.tasks.scan_item"
_RECEIVED = re.compile(rf"Task {re.escape(_ITEM_TASK)}\[([0-9a-f-]+)\] received")
_ENDED = re.compile(rf"Task {re.escape(_ITEM_TASK)}\[([0-9a-f-]+)\] (succeeded|raised|retry)")


@dataclass
class WorkerHost:
    net: NetHost
    service: Service

    @property
    def name(self) -> str:
        return self.net.name

    def item_tasks(self) -> tuple[int, int]:
        """Item tasks (received, ended) so far, from the worker's console log."""
        text = self.service.log.read_text(errors="replace")
        return len(_RECEIVED.findall(text)), len(_ENDED.findall(text))

    def count(self, pattern: str) -> int:
        """Lines of its console log matching ``pattern``."""
        text = self.service.log.read_text(errors="replace")
        return len(re.findall(pattern, text))

    def in_flight(self) -> frozenset[str]:
        """The ids of the item tasks it received and has not ended."""
        text = self.service.log.read_text(errors="replace")
        ended = {task for task, _outcome in _ENDED.findall(text)}
        return frozenset(set(_RECEIVED.findall(text)) - ended)

    def kill(self) -> None:
        """SIGKILL to the worker's whole process group: the host dies mid-task."""
        os.killpg(self.service.pid, signal.SIGKILL)
        self.service.process.wait(30)

    def stop(self) -> None:
        self.service.stop()


def mount_script(work: Path, library: Path | None, data_dir: Path) -> str:
    """The host's file system, set up inside its new mount namespace, then the worker."""
    q = shlex.quote
    lines = ["set -e", "mount -t tmpfs tgh-stage /mnt"]
    if library is not None:
        lines += ["mkdir /mnt/library", f"mount --bind {q(str(library))} /mnt/library"]
    lines += [
        "mount -t tmpfs tgh-tmp /tmp",
        # The main host's work folder (its data dirs, logs, the other host's files): gone.
        f"mkdir -p {q(str(work))}",
        f"mount -t tmpfs tgh-work {q(str(work))}",
    ]
    if library is not None:
        lines += [f"mkdir -p {q(str(library))}", f"mount --move /mnt/library {q(str(library))}"]
    lines += [f"mkdir -p {q(str(data_dir))}", 'exec "$@"']
    return "\n".join(lines)


def start_worker_host(
    net: NetHost,
    *,
    work: Path,
    library: Path | None,
    env: Mapping[str, str],
    log: Path,
) -> WorkerHost:
    """``celery worker`` (its default concurrency: items on threads) on the host ``net``;
    ``library``: where the media is mounted there (None: not at all). ``env``: the host's
    environment, its URLs at the main host's LAN address; its data dir is set here."""
    data_dir = work / DATA_DIR / net.name
    worker = [
        str(BIN / "celery"), "-A", "taggarr", "worker",
        "--without-mingle", "--without-gossip", "--hostname", f"worker@tgh-{net.name}",
    ]  # fmt: skip
    command = [
        "ip", "netns", "exec", net.namespace,
        "unshare", "--mount", "--uts", "--propagation", "private",
        "sh", "-c", f"hostname tgh-{net.name}\n" + mount_script(work, library, data_dir),
        "host-" + net.name, *worker,
    ]  # fmt: skip
    host_env = {**env, "TAGGARR_DATA_DIR": str(data_dir)}
    service = start_service(
        f"worker on host {net.name}", command, host_env, log, ready=log_says(" ready."), cwd=REPO
    )
    return WorkerHost(net, service)
