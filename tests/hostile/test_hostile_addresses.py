"""Apprise's services that do not speak HTTP are held to the link-local refusal too
(issue 67). The probe's cases: ``mailto://user:pass@2852039166/?smtp=...`` connected to
169.254.169.254 (2852039166 is its decimal spelling), ``rsyslog://`` sent a UDP datagram
there (by address, or by a name resolving to it), and ``[::169.254.169.254]``,
``[64:ff9b::a9fe:a9fe]``, ``[2002:a9fe:a9fe::]`` and ``100.100.100.200`` (Alibaba
Cloud's metadata) reached ``connect()`` unrefused.

What reaches the network is read from Python's own audit events (``socket.connect``,
``socket.sendto``, ``socket.sendmsg``: raised by the socket module itself, below any
guard of ours, with the address the system is given); a test's packet to anywhere but the
loopback is stopped there, so none leaves the machine even if the guard is gone, and
the test fails on its record."""

from __future__ import annotations

import logging
import socket
import sys
from collections.abc import Iterator
from typing import Any

import apprise
import pytest
import requests

from scanner.http import addresses
from scanner.notify.delivery import deliver, url_problem
from tests.helpers import NOTIFY_TOKEN

METADATA = "169.254.169.254"
SENDING = ("socket.connect", "socket.sendto", "socket.sendmsg")

_record: list[tuple[str, Any]] | None = None


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if _record is None or event not in SENDING:
        return
    address = args[1]
    _record.append((event, address))
    host = address[0] if isinstance(address, tuple) and address else address
    if host not in ("127.0.0.1", "::1"):
        raise OSError(f"the test stopped a packet to {address!r}")


sys.addaudithook(_audit)  # for the process: it does nothing unless a test records


@pytest.fixture
def sent() -> Iterator[list[tuple[str, Any]]]:
    """Every address a socket was asked to connect or send to meanwhile."""
    global _record
    _record = []
    try:
        yield _record
    finally:
        _record = None


@pytest.fixture
def resolver(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """Names the test resolves: each name's answers in turn, the last one for ever after
    (``["127.0.0.1", METADATA]``: a rebinding resolver's first and later answers)."""
    names: dict[str, list[str]] = {}
    real = socket.getaddrinfo

    def getaddrinfo(host: object, port: object, *args: object, **kwargs: object) -> object:
        if isinstance(host, str) and host in names:
            answers = names[host]
            ip = answers.pop(0) if len(answers) > 1 else answers[0]
            family = socket.AF_INET6 if ":" in ip else socket.AF_INET
            return [(family, socket.SOCK_STREAM, 6, "", (ip, port or 0))]
        return real(host, port, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return names


@pytest.fixture
def syslog_listener() -> Iterator[socket.socket]:
    listener = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    listener.bind(("127.0.0.1", 0))
    listener.setblocking(False)
    yield listener
    listener.close()


def _received(listener: socket.socket) -> list[bytes]:
    datagrams = []
    while True:
        try:
            datagrams.append(listener.recv(65536))
        except BlockingIOError:
            return datagrams


def _through_apprise_alone(url: str) -> bool:
    """The service as Apprise runs it, without deliver()'s check before: what the
    socket guard alone holds."""
    plugin = apprise.Apprise.instantiate(url, suppress_exceptions=True)
    assert plugin is not None
    try:
        return bool(plugin.notify(title="t", body="b"))
    except OSError:  # rsyslog lets a socket error other than a timeout through
        return False


# --- mailto:// (smtplib over TCP) -------------------------------------------------------


SMTP_AT_METADATA = f"mailto://user:{NOTIFY_TOKEN}@example.org/?smtp=2852039166&port=2525"


def test_an_smtp_server_at_the_metadata_address_is_refused_when_saved() -> None:
    assert "link-local" in (url_problem(SMTP_AT_METADATA) or "")
    for spelling in ("0xa9fea9fe", "[::169.254.169.254]", "100.100.100.200"):
        url = SMTP_AT_METADATA.replace("2852039166", spelling)
        assert "link-local" in (url_problem(url) or ""), spelling


def test_an_smtp_server_at_the_metadata_address_is_never_connected_to(
    sent: list[tuple[str, Any]], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        assert not deliver(SMTP_AT_METADATA, "t", "b")
    assert "not sent: its host is or resolves to a link-local" in caplog.text
    # Apprise alone, past deliver()'s check: smtplib's connect is refused.
    assert not _through_apprise_alone(SMTP_AT_METADATA)
    assert sent == []


def test_an_smtp_server_whose_name_rebinds_to_the_metadata_address_is_never_connected_to(
    resolver: dict[str, list[str]], sent: list[tuple[str, Any]]
) -> None:
    """The name resolves to the loopback when the notification is checked, to
    169.254.169.254 when smtplib connects: the connection is checked where it is made."""
    resolver["smtp.rebind.example"] = ["127.0.0.1", METADATA]
    resolver["example.org"] = ["127.0.0.1"]
    url = f"mailto://user:{NOTIFY_TOKEN}@example.org/?smtp=smtp.rebind.example&port=2525"
    assert not deliver(url, "t", "b")
    assert sent == []


# --- rsyslog:// (UDP) -------------------------------------------------------------------


def test_syslog_to_the_metadata_address_is_refused_when_saved() -> None:
    assert "link-local" in (url_problem("rsyslog://2852039166") or "")
    assert "link-local" in (url_problem(f"rsyslog://{METADATA}:514") or "")


def test_no_datagram_goes_to_the_metadata_address_however_it_is_spelt(
    sent: list[tuple[str, Any]],
) -> None:
    for host in ("2852039166", METADATA, "[::ffff:169.254.169.254]", "100.100.100.200"):
        assert not deliver(f"rsyslog://{host}", "t", "b"), host
        assert not _through_apprise_alone(f"rsyslog://{host}"), host
    assert sent == []


def test_no_datagram_goes_to_a_name_that_resolves_or_rebinds_to_the_metadata_address(
    resolver: dict[str, list[str]],
    sent: list[tuple[str, Any]],
    syslog_listener: socket.socket,
    caplog: pytest.LogCaptureFixture,
) -> None:
    port = syslog_listener.getsockname()[1]
    resolver["meta.example"] = [METADATA]
    assert "resolves to a link-local" in (url_problem(f"rsyslog://meta.example:{port}") or "")
    with caplog.at_level(logging.WARNING):
        assert not deliver(f"rsyslog://meta.example:{port}", "t", "b")
    assert "not sent: its host is or resolves to a link-local" in caplog.text
    # Checked when saved, then the name rebinds: refused where the datagram is sent (the
    # guard resolves the name itself and sends only to what it checked).
    resolver["rebind.example"] = ["127.0.0.1", METADATA]
    url = f"rsyslog://rebind.example:{port}"
    assert url_problem(url) is None
    with pytest.raises(addresses.AddressRefused, match=r"rebind\.example resolves to a link-local"):
        apprise.Apprise.instantiate(url).notify(title="t", body="b")
    # Through deliver(): its check before sending sees the loopback, the socket the metadata.
    resolver["rebind.example"] = ["127.0.0.1", METADATA]
    assert not deliver(url, "t", "b")
    assert resolver["rebind.example"] == [METADATA]  # deliver() looked it up: the loopback
    assert sent == [] and _received(syslog_listener) == []


def test_syslog_to_an_allowed_name_arrives_at_the_address_checked(
    resolver: dict[str, list[str]], sent: list[tuple[str, Any]], syslog_listener: socket.socket
) -> None:
    """The guard lets the LAN and the loopback through: the datagram arrives, sent to the
    address the guard resolved (never to the name, for the system to resolve again)."""
    port = syslog_listener.getsockname()[1]
    resolver["syslog.example"] = ["127.0.0.1"]
    assert deliver(f"rsyslog://syslog.example:{port}", "Taggarr", "hello")
    assert sent == [("socket.sendto", ("127.0.0.1", port))]
    [datagram] = _received(syslog_listener)
    assert b"hello" in datagram


# --- every socket: the IPv6 forms of an IPv4 address, the other clouds ------------------


REFUSED_SPELLINGS = [
    "::169.254.169.254",  # IPv4-compatible
    "::ffff:169.254.169.254",  # IPv4-mapped
    "64:ff9b::a9fe:a9fe",  # NAT64
    "2002:a9fe:a9fe::",  # 6to4
    "100.100.100.200",  # Alibaba Cloud's metadata
    "fd00:ec2::254",  # AWS's metadata over IPv6
]


@pytest.mark.parametrize("address", REFUSED_SPELLINGS)
def test_no_socket_connects_to_a_refused_spelling(
    address: str, sent: list[tuple[str, Any]]
) -> None:
    with pytest.raises(addresses.AddressRefused):
        socket.create_connection((address, 80), timeout=1)
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    with socket.socket(family, socket.SOCK_DGRAM) as sock, pytest.raises(addresses.AddressRefused):
        sock.sendto(b"x", (address, 514))
    with socket.socket(family, socket.SOCK_STREAM) as sock, pytest.raises(addresses.AddressRefused):
        sock.connect_ex((address, 80))
    assert sent == []


@pytest.mark.parametrize("address", REFUSED_SPELLINGS)
def test_no_http_notification_or_request_goes_to_a_refused_spelling(
    address: str, sent: list[tuple[str, Any]]
) -> None:
    host = f"[{address}]" if ":" in address else address
    assert "link-local" in (url_problem(f"json://{host}/{NOTIFY_TOKEN}") or "")
    assert not deliver(f"json://{host}/{NOTIFY_TOKEN}", "t", "b")
    with pytest.raises(requests.ConnectionError) as caught:
        requests.get(f"http://{host}/latest/meta-data/", timeout=1)
    assert addresses.refusal_in(caught.value) is not None
    assert sent == []
