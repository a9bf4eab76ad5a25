"""The connection test tells only what a user needs (issue 59): it cannot read another
service's answer out, cannot tell a closed port from a missing host or a silent one,
and cannot reach link-local or cloud metadata addresses unless the user allows it."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest
import requests
from django.core.exceptions import ValidationError
from django.test import override_settings

from fakes.hostile import HostileServer
from scanner import validators
from scanner.arr import make_client
from scanner.arr.checks import check_connection
from scanner.arr.config import ArrConfig
from scanner.errors import ArrTransientError
from scanner.http import addresses
from scanner.notify.delivery import url_problem

KEY = "probekey0123456789abcdef01234567"
METADATA = "169.254.169.254"


def _check(url: str, read_timeout: float = 5.0) -> str:
    config = ArrConfig(
        name="tv", kind="sonarr", url=url, api_key=KEY, connect_timeout=1.0,
        read_timeout=read_timeout,
    )  # fmt: skip
    with make_client(config) as client:
        return check_connection(client, []).lines[0]


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def resetting() -> Iterator[str]:
    """A port that accepts, then resets the connection (SO_LINGER 0)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()

    def serve() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            conn.setsockopt(
                socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
            )
            conn.close()

    threading.Thread(target=serve, daemon=True).start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    listener.close()


@pytest.fixture
def no_such_host(monkeypatch: pytest.MonkeyPatch) -> str:
    """A name the resolver does not know, answered at once (no network in tests)."""
    real = socket.getaddrinfo

    def getaddrinfo(host: str, *args: object, **kwargs: object) -> object:
        if host == "no-such-host.example":
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return "http://no-such-host.example:8989"


def test_refused_reset_unknown_and_silent_read_the_same(resetting: str, no_such_host: str) -> None:
    """Before: "Connection refused", "Connection reset by peer", "Name or service not
    known" and "got no answer within" told which hosts and ports exist behind Taggarr."""
    with HostileServer(default="silent") as silent:
        urls = [f"http://127.0.0.1:{_closed_port()}", resetting, no_such_host, silent.url]
        lines = {_check(url, read_timeout=0.2).replace(url, "<url>") for url in urls}
    assert lines == {"unreachable: Sonarr 'tv' at <url> did not answer"}


def test_an_answer_that_is_not_json_is_described_not_quoted() -> None:
    """The probe's case: a text service on the loopback answered db_password=... and
    the test quoted it."""
    secret = b"db_password=hunter2\nredis_password=swordfish\n"
    with HostileServer(answers={"/api/v3/system/status": secret}) as service:
        line = _check(service.url)
    assert line.endswith("not a Sonarr answer (HTTP 200, application/json: not JSON)"), line
    assert "hunter2" not in line and "password" not in line


# --- link-local and cloud metadata addresses -------------------------------------------


@pytest.mark.parametrize(
    ("address", "refused"),
    [
        (METADATA, True), ("169.254.1.1", True), ("fe80::1", True), ("fe80::1%eth0", True),
        ("fd00:ec2::254", True), ("::ffff:169.254.169.254", True),
        ("127.0.0.1", False), ("::1", False), ("192.168.1.10", False), ("10.0.0.5", False),
        ("172.17.0.2", False), ("fd12:3456::1", False), ("8.8.8.8", False), ("sonarr", False),
    ],
)  # fmt: skip
def test_which_addresses_are_refused(address: str, refused: bool) -> None:
    """Loopback and private LAN stay allowed: the homelab's Sonarr is at 192.168.x."""
    assert addresses.refused_address(address) is refused


@pytest.mark.parametrize(
    "url",
    [
        f"http://{METADATA}", "http://[fe80::1]:8989", "http://metadata.google.internal/",
        "http://2852039166:8989", "http://0xa9fea9fe", "http://[::169.254.169.254]:8989",
        "http://[64:ff9b::a9fe:a9fe]", "http://100.100.100.200", "http://[fd00:ec2::254]",
    ],
)  # fmt: skip
def test_a_link_local_or_metadata_url_is_refused_when_saved(url: str) -> None:
    with pytest.raises(ValidationError, match="TAGGARR_ALLOW_LINK_LOCAL"):
        validators.clean_arr_url(url)
    with override_settings(ALLOW_LINK_LOCAL=True):
        assert validators.clean_arr_url(url) == url.rstrip("/")
    assert validators.clean_arr_url("http://192.168.1.10:8989") == "http://192.168.1.10:8989"


def test_a_notifier_aimed_at_the_metadata_service_is_refused() -> None:
    assert "link-local" in (url_problem(f"json://{METADATA}/latest/meta-data/") or "")
    assert url_problem("json://192.168.1.10:8080/hook") is None


def test_a_name_that_resolves_to_the_metadata_address_is_refused_where_it_connects(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Checked at connect time, on the addresses the name resolves to: a DNS name saved
    as the *arr's address cannot lead a request to 169.254.169.254. Nothing connects."""
    real = socket.getaddrinfo
    connected: list[object] = []

    def getaddrinfo(host: str, port: object, *args: object, **kwargs: object) -> object:
        if host == "sonarr.example":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (METADATA, port))]
        return real(host, port, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(addresses, "_original", lambda *a, **k: connected.append(a))
    with pytest.raises(ArrTransientError, match="resolves to a link-local") as caught:
        make_client(ArrConfig(name="tv", kind="sonarr", url="http://sonarr.example",
                              api_key=KEY)).system_status()  # fmt: skip
    assert connected == [] and KEY not in str(caught.value)
    # The connection test says so (the user can allow it), not "did not answer".
    assert "TAGGARR_ALLOW_LINK_LOCAL" in _check("http://sonarr.example")


def test_every_outgoing_request_is_checked_and_the_setting_allows_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """One check for every client (Apprise's plain requests.post too)."""
    with pytest.raises(requests.ConnectionError) as caught:
        requests.get(f"http://{METADATA}/latest/meta-data/", timeout=1)
    assert addresses.refusal_in(caught.value) is not None
    connected: list[object] = []
    monkeypatch.setattr(addresses, "_original", lambda *a, **k: connected.append(a[0]))
    addresses.install(allow_link_local=True)
    try:
        addresses.checked_connection((METADATA, 80))
    finally:
        addresses.install(allow_link_local=False)
    assert connected == [(METADATA, 80)]
