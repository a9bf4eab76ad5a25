"""The Seerr client against a server that answers badly on purpose (fakes/hostile): each
answer read within one megabyte, 64 levels of nesting and its deadline, no redirect
followed (the X-Api-Key header would go along to the other host), the key in no
message."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from fakes.hostile import HostileServer
from scanner.seerr.client import SeerrClient, SeerrConfig, SeerrError

KEY = "c2VlcnItaG9zdGlsZS1rZXktMDEyMzQ1Njc4OQ=="
DEADLINE = 0.5
LONG = 60.0
CALLS: dict[str, tuple[str, Callable[[SeerrClient], Any]]] = {
    "status": ("/api/v1/status", lambda client: client.version()),
    "me": ("/api/v1/auth/me", lambda client: client.me()),
    "users": ("/api/v1/user", lambda client: list(client.users())),
    "comment": ("/api/v1/issue/3/comment", lambda client: client.comment(3, "x")),
}
# The hostile server answers a POST without reading its body, and may reset the
# connection before the answer is read: the bounds of a body are held on the GETs.
READS = ["status", "me", "users"]


def _fails(name: str, case: str, **server: Any) -> str:
    path, call = CALLS[name]
    with HostileServer(default="object_for_list", answers={path: case}) as hostile:
        for attribute, value in server.items():
            setattr(hostile, attribute, value)
        deadline = DEADLINE if case == "drip" else LONG
        config = SeerrConfig(url=hostile.url, api_key=KEY, read_timeout=deadline, deadline=deadline)
        with SeerrClient(config) as client, pytest.raises(SeerrError) as caught:
            call(client)
    message = str(caught.value)
    assert KEY not in message and path in message
    return message


@pytest.mark.parametrize("name", READS)
def test_a_huge_answer_stops_at_one_megabyte(name: str) -> None:
    assert "answer larger than 1 MB" in _fails(name, "huge")


@pytest.mark.parametrize("name", READS)
def test_deeply_nested_json_is_refused(name: str) -> None:
    assert "answer nested deeper than 64 levels" in _fails(name, "deep_objects")


@pytest.mark.parametrize("name", list(CALLS))
def test_an_answer_dripping_a_byte_at_a_time_ends_at_the_deadline(name: str) -> None:
    assert f"no complete answer within {DEADLINE:g} s" in _fails(name, "drip")


@pytest.mark.parametrize("name", list(CALLS))
def test_a_redirect_to_another_host_sends_nothing_there(name: str) -> None:
    with HostileServer(default="object_for_list") as other:
        message = _fails(name, "redirect_other", redirect_to=other.url)
        assert other.seen == []
    assert "302" in message


@pytest.mark.parametrize("name", READS)
def test_a_connection_lost_while_the_answer_is_read_is_a_clean_error(name: str) -> None:
    """urllib3's ProtocolError from the body's read (IncompleteRead) is SeerrUnreachable."""
    assert "failed: " in _fails(name, "cut")
