"""Addresses no outgoing request may reach unless the user allows it: link-local ones
(169.254.0.0/16, fe80::/10), where clouds serve their instance metadata and its
credentials (169.254.169.254, fd00:ec2::254, metadata.google.internal). Loopback and
private LAN addresses stay allowed: Sonarr on 192.168.1.10 or localhost is the usual
homelab.

Checked where every request of requests (and so of the *arr, Jellyfin/Emby, Plex and
Apprise clients) connects: urllib3 opens each socket with
``urllib3.util.connection.create_connection``; ``install`` wraps it so that the host name
is resolved once here, every address it resolves to is checked, and the socket connects
to a checked address (a name that resolves to 169.254.169.254 is refused too, and a
second resolution cannot answer otherwise). Through an HTTP proxy the address checked
is the proxy's. TAGGARR_ALLOW_LINK_LOCAL turns the check off (taggarr/settings.py)."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from typing import Any

import urllib3.util.connection

# Cloud instance-metadata services outside 169.254.0.0/16 and fe80::/10: AWS's IPv6
# address (Nitro instances) and Google's name (which resolves to 169.254.169.254).
METADATA_ADDRESSES = frozenset({ipaddress.ip_address("fd00:ec2::254")})
METADATA_NAMES = frozenset({"metadata.google.internal", "metadata.goog"})


ALLOW = ": refused unless TAGGARR_ALLOW_LINK_LOCAL is set"


class AddressRefused(OSError):
    """A request's host is (or resolves to) a link-local or cloud metadata address."""


def refused_address(address: str) -> bool:
    """Whether an IP address is link-local or a cloud metadata address (an IPv4 address
    written as IPv6, ::ffff:169.254.169.254, included)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])  # fe80::1%eth0: its scope
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_link_local or ip in METADATA_ADDRESSES


def refused_host(host: str) -> bool:
    """Whether a URL's host is refused as written (an address or a metadata name),
    before any resolution: what a form can say at once."""
    name = host.strip("[]").rstrip(".").lower()
    return name in METADATA_NAMES or refused_address(name)


_original = urllib3.util.connection.create_connection
_allow = False


def install(*, allow_link_local: bool) -> None:
    """Check every connection urllib3 opens in this process (idempotent)."""
    global _allow
    _allow = allow_link_local
    urllib3.util.connection.create_connection = checked_connection


def checked_connection(address: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
    """urllib3's create_connection, to the host's addresses that are not refused."""
    host, port = address
    if _allow:
        return _original(address, *args, **kwargs)
    if refused_host(host):
        raise AddressRefused(f"{host} is a link-local or cloud metadata address{ALLOW}")
    resolved = _resolve(host, port)
    allowed = [ip for ip in resolved if not refused_address(ip)]
    if resolved and not allowed:
        raise AddressRefused(f"{host} resolves to a link-local or cloud metadata address{ALLOW}")
    return _first_connected(allowed, port, lambda ip: _original((ip, port), *args, **kwargs))


def _resolve(host: str, port: int) -> list[str]:
    name = host.strip("[]")
    family = urllib3.util.connection.allowed_gai_family()
    found = socket.getaddrinfo(name, port, family, socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in found))


def _first_connected(
    addresses: list[str], port: int, connect: Callable[[str], socket.socket]
) -> socket.socket:
    error: OSError | None = None
    for ip in addresses:
        try:
            return connect(ip)
        except OSError as exc:
            error = exc
    raise error or OSError(f"no address to connect to on port {port}")


def refusal_in(exc: BaseException) -> AddressRefused | None:
    """The AddressRefused that made a request fail: requests wraps it in urllib3's
    NewConnectionError inside MaxRetryError inside its ConnectionError."""
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        current = todo.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, AddressRefused):
            return current
        todo.extend((current.__cause__, current.__context__, getattr(current, "reason", None)))
        todo.extend(arg for arg in current.args if isinstance(arg, BaseException))
    return None
