"""The *arr client honours the environment as requests does (HTTP_PROXY, NO_PROXY,
REQUESTS_CA_BUNDLE), read once when the client is made, through a real HTTP proxy."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from scanner.errors import ArrPermanentError, ArrTransientError

SONARR = "http://sonarr.invalid:8989"  # .invalid never resolves: only a proxy reaches it
STATUS = {"appName": "Sonarr", "version": "4.0.14.2939"}


class _Proxy(BaseHTTPRequestHandler):
    """Answers every request itself, and keeps its request target (absolute when the
    client went through it as a proxy)."""

    seen: list[str]

    def do_GET(self) -> None:
        self.seen.append(self.path)
        body = json.dumps(STATUS).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(autouse=True)
def no_proxy_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only what each test sets: urllib reads the lowercase names first."""
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)


@pytest.fixture
def proxy() -> Iterator[tuple[str, list[str]]]:
    seen: list[str] = []
    handler = type("Handler", (_Proxy,), {"seen": seen})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", seen
    server.shutdown()
    server.server_close()


def test_requests_go_through_the_proxy_the_environment_names(client_factory, proxy, monkeypatch):
    url, seen = proxy
    monkeypatch.setenv("HTTP_PROXY", url)
    client = client_factory(SONARR)

    assert client.system_status().version == "4.0.14.2939"
    assert client.system_status().version == "4.0.14.2939"

    assert seen == [f"{SONARR}/api/v3/system/status"] * 2


def test_no_proxy_still_sends_that_host_directly(client_factory, proxy, monkeypatch):
    url, seen = proxy
    monkeypatch.setenv("HTTP_PROXY", url)
    monkeypatch.setenv("NO_PROXY", "sonarr.invalid")
    client = client_factory(SONARR)

    with pytest.raises(ArrTransientError, match=r"system/status (failed|could not connect)"):
        client.system_status()

    assert seen == []


def test_the_ca_bundle_the_environment_names_is_used(client_factory, monkeypatch, tmp_path):
    missing = tmp_path / "no-such-ca.pem"
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(missing))
    client = client_factory("https://sonarr.invalid:8989")

    with pytest.raises(ArrPermanentError, match=r"no-such-ca\.pem") as caught:
        client.system_status()

    assert "GET /api/v3/system/status" in str(caught.value)
