"""The HTTP server the fakes share, with a fake of its own: what reaches ``handle``,
what goes back, the hooks, and log lines without the query."""

from __future__ import annotations

import logging

import requests

from fakes.http import FakeServer, Request, Response


class EchoFake(FakeServer):
    name = "fake-echo"

    def __init__(self, **options: object) -> None:
        super().__init__(**options)  # type: ignore[arg-type]
        self.requests: list[Request] = []
        self.connections = 0
        self.stopped = False

    def handle(self, request: Request) -> Response:
        self.requests.append(request)
        return Response(201, b"<ok/>", "text/xml", (("X-Fake", "yes"),))

    def connection_opened(self) -> None:
        self.connections += 1

    def stopping(self) -> None:
        self.stopped = True


def test_a_request_reaches_handle_as_plain_values_and_the_answer_goes_back() -> None:
    with EchoFake() as fake, requests.Session() as http:
        answer = http.put(f"{fake.url}/a/b?x=1&x=2&empty=", data=b"body", headers={"X-A": "v"})
        http.get(f"{fake.url}/again")  # the same kept-alive connection
    (first, second) = fake.requests
    assert (first.method, first.path, first.body) == ("PUT", "/a/b", b"body")
    assert first.query == {"x": ["1", "2"]}  # a value-less parameter is dropped by default
    assert first.headers["x-a"] == "v"
    assert (answer.status_code, answer.content) == (201, b"<ok/>")
    assert answer.headers["Content-Type"] == "text/xml" and answer.headers["X-Fake"] == "yes"
    assert (second.method, second.body) == ("GET", b"")
    assert fake.connections == 1 and fake.stopped


def test_blank_values_are_kept_when_the_fake_asks_for_them() -> None:
    class KeepingFake(EchoFake):
        keep_blank_values = True

    with KeepingFake() as fake:
        requests.get(f"{fake.url}/?label=", timeout=5)
    assert fake.requests[0].query == {"label": [""]}


def test_latency_is_spent_before_each_request_is_handled() -> None:
    spent: list[float] = []
    with EchoFake(latency_s=0.002, sleep=spent.append) as fake:
        requests.get(fake.url, timeout=5)
        requests.get(fake.url, timeout=5)
    assert spent == [0.002, 0.002]


def test_log_lines_name_the_path_but_never_the_query(caplog) -> None:
    with caplog.at_level(logging.DEBUG, logger="fakes.http"), EchoFake() as fake:
        requests.get(f"{fake.url}/api/v3/series?apikey=s3cret-key", timeout=5)
    assert "fake-echo: GET /api/v3/series 201" in caplog.text
    assert "s3cret-key" not in caplog.text
