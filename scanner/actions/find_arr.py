"""The guided setup's "Find my Sonarr": the *arr's usual addresses asked, server-side and
only when a person asks, whether a Sonarr or a Radarr answers there (``GET /ping``, which
both answer without a key: docs/arr-api.md). Each address is asked on its own daemon
thread and the answers waited for PROBE_SECONDS in all: an address that does not answer
(a silent server, a name that does not resolve) is just not offered, and its thread is
left behind. A redirect is never followed: an address that redirects is not offered."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Final

import requests

from scanner.models import Instance

PROBE_SECONDS: Final = 1.5  # the whole probe, every address together
ANSWER_BYTES: Final = 1024  # a /ping answer is a few bytes: read no more
PORTS: Final = {Instance.Kind.SONARR: 8989, Instance.Kind.RADARR: 7878}
ROUTE_TABLE: Final = Path("/proc/net/route")


def gateway() -> str | None:
    """The default gateway's IPv4 address (Linux; in a container: the host), else None."""
    try:
        lines = ROUTE_TABLE.read_text(encoding="ascii").splitlines()[1:]
    except (OSError, UnicodeDecodeError):
        return None
    for line in lines:
        fields = line.split()
        if len(fields) > 2 and fields[1] == "00000000":  # the default route
            try:
                raw = bytes.fromhex(fields[2])
            except ValueError:
                return None
            if len(raw) == 4 and any(raw):
                return ".".join(str(byte) for byte in reversed(raw))  # little-endian
    return None


def candidates(kind: str) -> list[str]:
    """Where a Sonarr or a Radarr usually answers: this machine, its container's name,
    the host (the gateway, from a container)."""
    port = PORTS.get(Instance.Kind(kind)) if kind in PORTS else None
    if port is None:
        return []
    found = [f"http://localhost:{port}", f"http://{kind}:{port}"]
    host = gateway()
    if host:
        found.append(f"http://{host}:{port}")
    return found


def answers(url: str, timeout: float) -> bool:
    """Whether an *arr answers its /ping at ``url``: 200 and ``{"status": "OK"}``, read
    within ANSWER_BYTES, no redirect followed."""
    try:
        with requests.get(
            f"{url.rstrip('/')}/ping", timeout=(timeout, timeout), allow_redirects=False,
            stream=True,
        ) as answer:  # fmt: skip
            if answer.status_code != 200:
                return False
            body = answer.raw.read(ANSWER_BYTES, decode_content=True)
    except (requests.RequestException, OSError, ValueError):
        return False
    return b'"status"' in body and b"OK" in body


def found_addresses(
    kind: str,
    *,
    within: float | None = None,
    listed: Callable[[str], Sequence[str]] | None = None,
) -> list[str]:
    """The usual addresses of ``kind`` where an *arr answered within ``within`` seconds
    (PROBE_SECONDS), in the order they are listed."""
    addresses = list((listed or candidates)(kind))
    bound = PROBE_SECONDS if within is None else within
    answered: queue.Queue[tuple[str, bool]] = queue.Queue()
    for url in addresses:
        threading.Thread(
            target=lambda url=url: answered.put((url, answers(url, bound))),
            name="find-arr",
            daemon=True,
        ).start()
    ends = time.monotonic() + bound
    good: set[str] = set()
    for _ in addresses:
        try:
            url, ok = answered.get(timeout=max(0.0, ends - time.monotonic()))
        except queue.Empty:
            break  # the others did not answer in time: not offered
        if ok:
            good.add(url)
    return [url for url in addresses if url in good]
