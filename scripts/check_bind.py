"""``python scripts/check_bind.py HOST:PORT``: the address ``make run`` serves on, parsed
and tried before anything starts (exit status 1 and one line saying what to do).

Gunicorn would report a taken port only after the database is migrated and the worker
and beat are up, in the middle of their start-up logs; a bind test first gives one
clear line instead. Not part of Taggarr itself: only the Makefile runs it.
"""

from __future__ import annotations

import errno
import socket
import sys
from dataclasses import dataclass


class BindError(Exception):
    """The address is malformed, or nothing may listen on it; the message says what to do."""


@dataclass(frozen=True, slots=True)
class Address:
    host: str
    port: int

    def __str__(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"


def parse_bind(value: str) -> Address:
    """``HOST:PORT`` or ``[IPv6]:PORT``, as gunicorn's ``--bind`` takes them."""
    host, sep, port_text = value.strip().rpartition(":")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    if not sep or not host or not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise BindError(f"{value!r} is not HOST:PORT (e.g. 127.0.0.1:8000, [::1]:8000)")
    return Address(host, int(port_text))


def check_free(address: Address) -> None:
    """Bind (and release) every socket address ``address`` resolves to, with the
    SO_REUSEADDR gunicorn sets, so only a real listener counts as taken."""
    try:
        candidates = socket.getaddrinfo(
            address.host, address.port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )
    except socket.gaierror:
        raise BindError(f"{address.host!r} is not a host name or address of this machine") from None
    for family, kind, proto, _name, sockaddr in candidates:
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(sockaddr)
            except OSError as exc:
                raise BindError(_explain(address, exc)) from None


def _explain(address: Address, exc: OSError) -> str:
    if exc.errno == errno.EADDRINUSE:
        return (
            f"{address} is already in use (another Taggarr, or another program?). Stop it, "
            f"or choose another port: make run PORT={_other_port(address.port)}"
        )
    if exc.errno == errno.EACCES:
        return f"{address}: no permission to listen on port {address.port} (use 1024 or above)"
    if exc.errno == errno.EADDRNOTAVAIL:
        return f"{address}: {address.host} is not an address of this machine"
    return f"{address}: cannot listen there: {exc.strerror}"


def _other_port(port: int) -> int:
    return port + 1 if port < 65535 else 8000


def main(argv: list[str]) -> int:
    try:
        check_free(parse_bind(argv[1] if len(argv) > 1 else ""))
    except BindError as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
