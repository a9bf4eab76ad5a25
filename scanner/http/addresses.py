"""Addresses no outgoing connection may reach unless the user allows it: link-local ones
(169.254.0.0/16, fe80::/10), where clouds serve their instance metadata and its
credentials (169.254.169.254), the clouds' metadata addresses outside them
(METADATA_ADDRESSES) and names (METADATA_NAMES), and an IPv4 address refused however it
is spelt: in decimal, octal or hex (2852039166, 0251.0376.0251.0376), or inside an IPv6
address that carries it (::ffff:a.b.c.d, ::a.b.c.d, NAT64, 6to4, Teredo). Loopback and
private LAN addresses stay allowed: Sonarr on 192.168.1.10 or localhost is the usual
homelab.

Checked where every connection of the process is made, whatever speaks over it: ``install``
wraps ``socket.socket.connect`` (and ``connect_ex``, ``sendto``, ``sendmsg``), which
requests, smtplib, Apprise's TCP services and its UDP syslog all end in; a host name is
resolved there once, every address checked, and the socket given a checked address (a
name that resolves to 169.254.169.254 is refused, and a second resolution cannot answer
otherwise). urllib3's ``create_connection`` is wrapped too, so that a refused HTTP request
names the host it was sent to. Through an HTTP proxy the address checked is the proxy's.
TAGGARR_ALLOW_LINK_LOCAL turns the check off (taggarr/settings.py)."""

from __future__ import annotations

import ipaddress
import re
import socket
import threading
from collections.abc import Callable, Iterator
from typing import Any

import urllib3.util.connection

# Cloud instance-metadata services outside 169.254.0.0/16 and fe80::/10 (AWS, Google,
# Azure, Oracle, DigitalOcean, Hetzner, OpenStack and Tencent serve theirs on link-local
# addresses, 169.254.169.254 and 169.254.0.23, refused as such).
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(address)
    for address in (
        "fd00:ec2::254",  # AWS: the instance metadata service over IPv6 (Nitro instances)
        "fd20:ce::254",  # Google Cloud: the metadata server over IPv6
        "100.100.100.200",  # Alibaba Cloud: the instance metadata service
        "168.63.129.16",  # Azure: the WireServer (the host agent's channel)
        "192.0.0.192",  # Oracle Cloud (OCI Classic): the instance metadata service
    )
)
METADATA_NAMES = frozenset(
    {
        "metadata.google.internal",  # Google Cloud (resolves to 169.254.169.254)
        "metadata.goog",  # Google Cloud
        "metadata.tencentyun.com",  # Tencent Cloud (resolves to 169.254.0.23)
    }
)


ALLOW = ": refused unless TAGGARR_ALLOW_LINK_LOCAL is set"

# RFC 6052 prefixes that carry an IPv4 address to a NAT64 gateway: the well-known one
# (the IPv4 address in the last 32 bits) and the local-use one (RFC 8215), where the
# operator's prefix may be /48 to /96 long: every place it may sit is checked.
NAT64_WELL_KNOWN = ipaddress.ip_network("64:ff9b::/96")
NAT64_LOCAL_USE = ipaddress.ip_network("64:ff9b:1::/48")
_NAT64_PLACES = ((6, 7, 9, 10), (7, 9, 10, 11), (9, 10, 11, 12), (12, 13, 14, 15))
# An IPv4 address as inet_aton reads it (what a resolver takes): digits, dots, hex.
_IPV4_SPELLING = re.compile(r"[0-9][0-9a-fA-FxX.]*")


class AddressRefused(OSError):
    """A connection's host is (or resolves to) a link-local or cloud metadata address."""


def refused_address(address: str) -> bool:
    """Whether an IP address is link-local or a cloud metadata address, or an IPv6
    address that carries one (::ffff:169.254.169.254, 64:ff9b::a9fe:a9fe, ...)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])  # fe80::1%eth0: its scope
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        return _refused_ip(ip) or any(_refused_ip(inner) for inner in carried_ipv4(ip))
    return _refused_ip(ip)


def _refused_ip(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return ip.is_link_local or ip in METADATA_ADDRESSES


def carried_ipv4(ip: ipaddress.IPv6Address) -> Iterator[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address leads to through a transition mechanism."""
    packed = ip.packed
    if ip.ipv4_mapped is not None:  # ::ffff:a.b.c.d
        yield ip.ipv4_mapped
    if packed[:12] == bytes(12):  # ::a.b.c.d, IPv4-compatible (RFC 4291, deprecated)
        yield ipaddress.IPv4Address(packed[12:])
    if packed[:12] == bytes(8) + b"\xff\xff\x00\x00":  # ::ffff:0:a.b.c.d (SIIT, RFC 2765)
        yield ipaddress.IPv4Address(packed[12:])
    if ip in NAT64_WELL_KNOWN:
        yield ipaddress.IPv4Address(packed[12:])
    if ip in NAT64_LOCAL_USE:
        for place in _NAT64_PLACES:
            yield ipaddress.IPv4Address(bytes(packed[i] for i in place))
    if ip.sixtofour is not None:  # 2002:a.b.c.d::/48 (6to4)
        yield ip.sixtofour
    if ip.teredo is not None:  # 2001::/32: the Teredo server and the client's address
        yield from ip.teredo


def refused_host(host: str) -> bool:
    """Whether a URL's host is refused as written (an address in any spelling, or a
    metadata name), before any resolution: what a form can say at once."""
    name = host.strip("[]").rstrip(".").lower()
    if name in METADATA_NAMES or refused_address(name):
        return True
    spelt = _ipv4_spelling(name)
    return spelt is not None and refused_address(spelt)


def _ipv4_spelling(name: str) -> str | None:
    """The IPv4 address a resolver reads in ``name`` (2852039166, 0xa9fea9fe,
    0251.0376.0251.0376, 169.254.43518), or None."""
    if not _IPV4_SPELLING.fullmatch(name):
        return None
    try:
        return socket.inet_ntoa(socket.inet_aton(name))
    except OSError:
        return None


def resolves_refused(host: str, *, within: float) -> bool:
    """Whether ``host`` resolves, within ``within`` seconds, only to refused addresses:
    what a form can say of a name (where it connects, the name is resolved again and
    checked). False when it does not resolve in time, or not at all."""
    found: list[list[str]] = []
    done = threading.Event()

    def resolve() -> None:
        try:
            found.append(_resolve(host, 0, socket.AF_UNSPEC, 0))
        except (OSError, UnicodeError):
            pass
        finally:
            done.set()

    # A thread of its own: getaddrinfo takes no timeout, and a slow resolver must not
    # hold the web request that saves a notifier.
    threading.Thread(target=resolve, name="resolve-host", daemon=True).start()
    if not done.wait(within) or not found:
        return False
    return bool(found[0]) and all(refused_address(ip) for ip in found[0])


_original = urllib3.util.connection.create_connection
_allow = False

# The socket methods that send to an address, as the standard library defines them
# (socket.socket inherits them from _socket.socket; ssl.SSLSocket calls them through
# super()).
_connect = socket.socket.connect
_connect_ex = socket.socket.connect_ex
_sendto = socket.socket.sendto
_sendmsg = socket.socket.sendmsg


def install(*, allow_link_local: bool) -> None:
    """Check every connection this process makes (idempotent)."""
    global _allow
    _allow = allow_link_local
    urllib3.util.connection.create_connection = checked_connection
    for name, checked in _CHECKED.items():
        setattr(socket.socket, name, checked)


def checked_connection(address: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
    """urllib3's create_connection, to the host's addresses that are not refused."""
    host, port = address
    if _allow:
        return _original(address, *args, **kwargs)
    if refused_host(host):
        raise AddressRefused(f"{host} is a link-local or cloud metadata address{ALLOW}")
    family = urllib3.util.connection.allowed_gai_family()
    resolved = _resolve(host, port, family, socket.SOCK_STREAM)
    allowed = [ip for ip in resolved if not refused_address(ip)]
    if resolved and not allowed:
        raise AddressRefused(f"{host} resolves to a link-local or cloud metadata address{ALLOW}")
    return _first_connected(allowed, port, lambda ip: _original((ip, port), *args, **kwargs))


def _resolve(host: str | bytes, port: object, family: int, kind: int) -> list[str]:
    name = host.strip("[]") if isinstance(host, str) else host
    found = socket.getaddrinfo(name, port, family, kind)  # type: ignore[arg-type]  # as given
    return list(dict.fromkeys(str(info[4][0]) for info in found))


def checked_address(sock: socket.socket, address: Any) -> Any:
    """``address`` if the socket may send there, else AddressRefused; a host name is
    resolved here and the first of its addresses that is not refused given instead (as
    the socket would have taken the first one, unchecked)."""
    if _allow or sock.family not in (socket.AF_INET, socket.AF_INET6):
        return address
    if not isinstance(address, tuple) or not address or not isinstance(address[0], str | bytes):
        return address  # the socket raises its own TypeError
    host = address[0]
    shown = host if isinstance(host, str) else host.decode("ascii", "replace")
    if shown in ("", "<broadcast>"):  # INADDR_ANY, INADDR_BROADCAST
        return address
    if refused_host(shown):
        raise AddressRefused(f"{shown} is a link-local or cloud metadata address{ALLOW}")
    if _is_address(shown):
        return address
    port = address[1] if len(address) > 1 else None
    resolved = _resolve(host, port, sock.family, 0)
    allowed = [ip for ip in resolved if not refused_address(ip)]
    if resolved and not allowed:
        raise AddressRefused(f"{shown} resolves to a link-local or cloud metadata address{ALLOW}")
    if not allowed:
        return address  # the socket says the name is unknown
    return (allowed[0], *address[1:])


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    return True


def _checked_connect(self: socket.socket, address: Any) -> None:
    _connect(self, checked_address(self, address))


def _checked_connect_ex(self: socket.socket, address: Any) -> int:
    return _connect_ex(self, checked_address(self, address))


def _checked_sendto(self: socket.socket, data: Any, *args: Any) -> int:
    if args:  # sendto(data, address) or sendto(data, flags, address)
        args = (*args[:-1], checked_address(self, args[-1]))
    return _sendto(self, data, *args)


def _checked_sendmsg(self: socket.socket, buffers: Any, *args: Any) -> int:
    if len(args) >= 3:  # sendmsg(buffers, ancdata, flags, address)
        args = (*args[:2], checked_address(self, args[2]), *args[3:])
    return _sendmsg(self, buffers, *args)


_CHECKED: dict[str, Callable[..., Any]] = {
    "connect": _checked_connect,
    "connect_ex": _checked_connect_ex,
    "sendto": _checked_sendto,
    "sendmsg": _checked_sendmsg,
}


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
