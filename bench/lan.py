"""A LAN on this machine for the ``hosts`` phase: a bridge holding the main host's
address, and per worker host a network namespace joined to it by a veth pair, with its
own address and a default route to the main host. PostgreSQL and Redis stay bound to
127.0.0.1 (the machine's, shared with other benchmarks): a ``socat`` relay on the main
host's LAN address forwards each to them, as a server listening on the LAN would.

Everything made here is named ``tgh<pid>...`` and removed when the ``ExitStack`` unwinds
(a namespace's end of its veth pair goes with it). Needs root, iproute2 and socat.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path

from bench.services import BenchError, Service, start_service

SUBNET = "10.77.0"  # a /24 nobody here uses (checked before it is taken)
MAIN_ADDRESS = f"{SUBNET}.1"


@dataclass(frozen=True)
class NetHost:
    name: str  # "a", "b"
    namespace: str
    address: str


def _ip(*args: str) -> None:
    completed = subprocess.run(["ip", *args], capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise BenchError(f"ip {' '.join(args)}: {completed.stderr.strip()}")


def check_requirements() -> None:
    """Fail (never skip) with what is missing: the phase is a check, not an option."""
    missing = [tool for tool in ("ip", "unshare", "socat", "mount") if shutil.which(tool) is None]
    if missing:
        needs = ", ".join(missing)
        raise BenchError(f"the hosts phase needs {needs} (iproute2, util-linux, socat)")
    if os.geteuid() != 0:
        raise BenchError("the hosts phase needs root (network and mount namespaces)")
    taken = subprocess.run(["ip", "-4", "-o", "addr"], capture_output=True, text=True).stdout
    if f" {SUBNET}." in taken:
        raise BenchError(f"{SUBNET}.0/24 is already in use here: the hosts phase needs it free")


class Lan:
    """The bridge and the hosts' namespaces; ``add_host`` joins one."""

    def __init__(self, cleanup: contextlib.ExitStack) -> None:
        self._cleanup = cleanup
        self.tag = f"tgh{os.getpid()}"
        self.bridge = f"{self.tag}br"
        _ip("link", "add", self.bridge, "type", "bridge")
        cleanup.callback(_ip, "link", "del", self.bridge)
        _ip("addr", "add", f"{MAIN_ADDRESS}/24", "dev", self.bridge)
        _ip("link", "set", self.bridge, "up")
        self.hosts: list[NetHost] = []

    def add_host(self, name: str) -> NetHost:
        index = len(self.hosts) + 2  # .1 is the main host
        host = NetHost(name, f"{self.tag}-{name}", f"{SUBNET}.{index}")
        outside = f"{self.tag}h{name}"
        _ip("netns", "add", host.namespace)
        self._cleanup.callback(_ip, "netns", "del", host.namespace)
        _ip("link", "add", outside, "type", "veth", "peer", "name", "eth0", "netns", host.namespace)
        _ip("link", "set", outside, "master", self.bridge, "up")
        inside = ("-n", host.namespace)
        _ip(*inside, "link", "set", "lo", "up")
        _ip(*inside, "addr", "add", f"{host.address}/24", "dev", "eth0")
        _ip(*inside, "link", "set", "eth0", "up")
        _ip(*inside, "route", "add", "default", "via", MAIN_ADDRESS)
        self.hosts.append(host)
        return host


def _listening(address: str, port: int) -> bool:
    try:
        with socket.create_connection((address, port), timeout=1):
            return True
    except OSError:
        return False


def relay(port: int, target: tuple[str, int], log: Path, cleanup: contextlib.ExitStack) -> None:
    """``MAIN_ADDRESS:port`` forwarded to ``target`` (socat, a process per connection)."""
    command = [
        "socat", f"TCP-LISTEN:{port},bind={MAIN_ADDRESS},reuseaddr,fork",
        f"TCP:{target[0]}:{target[1]},nodelay",
    ]  # fmt: skip
    service = start_service(
        f"relay {port}", command, os.environ, log,
        ready=lambda _service: _listening(MAIN_ADDRESS, port),
    )  # fmt: skip
    cleanup.callback(_stop_group, service)


def _stop_group(service: Service) -> None:
    """The relay and the children it forked for connections still open."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(service.pid, signal.SIGTERM)
    service.stop(5)
