"""Which addresses no connection may reach (scanner.http.addresses), however they are
spelt: an IPv4 address in decimal, octal or hex, or carried inside an IPv6 address; the
clouds' metadata addresses; names that resolve there. The connections themselves are
held to it in tests/hostile/test_hostile_probes.py (HTTP) and
tests/hostile/test_hostile_addresses.py (every socket, SMTP and UDP syslog)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest

from scanner.http import addresses

METADATA = "169.254.169.254"


@pytest.mark.parametrize(
    "address",
    [
        METADATA, "169.254.0.23", "fe80::1",
        # The clouds' metadata services outside the link-local ranges.
        "fd00:ec2::254",  # AWS, IPv6
        "fd20:ce::254",  # Google Cloud, IPv6
        "100.100.100.200",  # Alibaba Cloud
        "168.63.129.16",  # Azure's WireServer
        "192.0.0.192",  # Oracle Cloud
        # 169.254.169.254 inside an IPv6 address.
        "::ffff:169.254.169.254",  # IPv4-mapped
        "::169.254.169.254",  # IPv4-compatible
        "::ffff:0:169.254.169.254",  # IPv4-translated (SIIT)
        "64:ff9b::a9fe:a9fe",  # NAT64, the well-known prefix
        "64:ff9b::100.100.100.200",  # NAT64 to Alibaba's
        "64:ff9b:1::a9fe:a9fe",  # NAT64, local-use prefix /96
        "64:ff9b:1:a9fe:a9:fe00::",  # NAT64, local-use prefix /48
        "64:ff9b:1:0:a9:fea9:fe00:0",  # NAT64, local-use prefix /64
        "2002:a9fe:a9fe::",  # 6to4
        "2002:a9fe:a9fe:1::1",  # 6to4, a host of its /48
        "2001:0:4136:e378:8000:63bf:5601:5601",  # Teredo, client 169.254.169.254
        "2001:0:a9fe:a9fe::1",  # Teredo, server 169.254.169.254
    ],
)  # fmt: skip
def test_refused_addresses(address: str) -> None:
    assert addresses.refused_address(address)


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1", "::1", "::", "0.0.0.0",  # noqa: S104 (an address checked, nothing bound)
        "192.168.1.10", "10.0.0.5", "172.17.0.2",
        "100.64.0.1", "fd12:3456::1", "8.8.8.8", "2001:db8::1", "::ffff:192.168.1.10",
        "::192.168.1.10", "64:ff9b::808:808", "2002:c0a8:10a::", "sonarr",
    ],
)  # fmt: skip
def test_allowed_addresses(address: str) -> None:
    """Loopback, the LAN, a tailnet (100.64/10) and IPv6 forms of allowed addresses."""
    assert not addresses.refused_address(address)


@pytest.mark.parametrize(
    "host",
    [
        "2852039166", "0xa9fea9fe", "0xA9FEA9FE", "0251.0376.0251.0376", "169.254.43518",
        "0xa9.0xfe.0xa9.0xfe", "[::169.254.169.254]", "[64:ff9b::a9fe:a9fe]",
        "[2002:a9fe:a9fe::]", "METADATA.google.internal.", "metadata.goog",
        "metadata.tencentyun.com", "1684301000",  # 100.100.100.200 in decimal
    ],
)  # fmt: skip
def test_hosts_refused_as_written(host: str) -> None:
    """A resolver reads 2852039166 as 169.254.169.254 (inet_aton): so does the check."""
    assert addresses.refused_host(host)


@pytest.mark.parametrize(
    "host", ["123456789", "sonarr", "1e100.net", "0x7f000001", "2130706433", "192.168.1.10", "a9fe"]
)
def test_hosts_allowed_as_written(host: str) -> None:
    assert not addresses.refused_host(host)


@pytest.fixture
def resolver(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, list[str]]]:
    """Names the test resolves as it likes; ``hang.example`` never answers."""
    names: dict[str, list[str]] = {}
    release = threading.Event()
    real = socket.getaddrinfo

    def getaddrinfo(host: object, port: object, *args: object, **kwargs: object) -> object:
        if host == "hang.example":
            release.wait(timeout=120)  # released by the fixture's end; bounded all the same
            raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
        if host in names:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port)) for ip in names[host]]
        return real(host, port, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    yield names
    release.set()


def test_a_name_is_refused_when_it_resolves_to_refused_addresses_only(
    resolver: dict[str, list[str]],
) -> None:
    resolver.update(
        {"meta.example": [METADATA, "100.100.100.200"], "both.example": [METADATA, "10.0.0.5"]}
    )
    assert addresses.resolves_refused("meta.example", within=5)
    # Where it connects, only the allowed address is tried: the name passes.
    assert not addresses.resolves_refused("both.example", within=5)
    assert not addresses.resolves_refused("127.0.0.1", within=5)


def test_a_name_that_does_not_resolve_in_time_is_not_refused_before(
    resolver: dict[str, list[str]],
) -> None:
    """The form does not wait for a resolver that does not answer; the connection is
    checked where it is made."""
    assert not addresses.resolves_refused("hang.example", within=0.05)


@pytest.mark.parametrize("kind", [socket.SOCK_STREAM, socket.SOCK_DGRAM])
def test_a_socket_is_given_the_checked_address_of_a_name(
    resolver: dict[str, list[str]], kind: int
) -> None:
    """The name is resolved once, by the guard: the socket is given the address it
    checked, never the name to resolve again (a rebinding resolver's second answer)."""
    resolver.update({"both.example": [METADATA, "10.0.0.5"], "meta.example": [METADATA]})
    with socket.socket(socket.AF_INET, kind) as sock:
        assert addresses.checked_address(sock, ("both.example", 25)) == ("10.0.0.5", 25)
        assert addresses.checked_address(sock, ("10.0.0.5", 25)) == ("10.0.0.5", 25)
        with pytest.raises(addresses.AddressRefused, match=r"meta\.example resolves to"):
            addresses.checked_address(sock, ("meta.example", 25))
        with pytest.raises(addresses.AddressRefused, match="2852039166 is a link-local"):
            addresses.checked_address(sock, ("2852039166", 514))
    with socket.socket(socket.AF_INET6, kind) as sock, pytest.raises(addresses.AddressRefused):
        addresses.checked_address(sock, ("64:ff9b::a9fe:a9fe", 25, 0, 0))


def test_other_sockets_and_the_setting_pass_unchecked() -> None:
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        assert addresses.checked_address(sock, "/dev/log") == "/dev/log"
    addresses.install(allow_link_local=True)
    try:
        with socket.socket() as sock:
            assert addresses.checked_address(sock, (METADATA, 80)) == (METADATA, 80)
    finally:
        addresses.install(allow_link_local=False)
