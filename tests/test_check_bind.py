"""``make run PORT=... HOST=...``: the address is parsed and tried before anything starts
(scripts/check_bind.py)."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from scripts.check_bind import Address, BindError, check_free, main, parse_bind
from tests.helpers import free_port, python_script


@pytest.fixture
def taken_port() -> Iterator[int]:
    """A port something listens on (a real socket, as another program would hold it)."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield int(listener.getsockname()[1])


@pytest.mark.parametrize(
    ("value", "address", "shown"),
    [
        ("127.0.0.1:8000", Address("127.0.0.1", 8000), "127.0.0.1:8000"),
        ("0.0.0.0:80", Address("0.0.0.0", 80), "0.0.0.0:80"),  # noqa: S104
        ("[::1]:8001", Address("::1", 8001), "[::1]:8001"),
        ("::1:8001", Address("::1", 8001), "[::1]:8001"),  # make run HOST=::1
        ("localhost:65535", Address("localhost", 65535), "localhost:65535"),
    ],
)
def test_addresses_are_parsed(value: str, address: Address, shown: str) -> None:
    assert parse_bind(value) == address
    assert str(address) == shown


@pytest.mark.parametrize("value", ["8000", ":8000", "host:", "host:0", "host:65536", "host:80a"])
def test_malformed_addresses_say_what_is_expected(value: str) -> None:
    with pytest.raises(BindError, match="is not HOST:PORT"):
        parse_bind(value)


def test_a_free_port_passes_and_a_taken_one_says_what_to_do(taken_port: int) -> None:
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        free_port = free.getsockname()[1]
    check_free(Address("127.0.0.1", free_port))
    with pytest.raises(BindError) as error:
        check_free(Address("127.0.0.1", taken_port))
    assert str(error.value) == (
        f"127.0.0.1:{taken_port} is already in use (another Taggarr, or another program?). "
        f"Stop it, or choose another port: make run PORT={taken_port + 1}"
    )


def test_an_address_of_another_machine_is_refused() -> None:
    with pytest.raises(BindError, match="not an address of this machine"):
        check_free(Address("192.0.2.1", 8000))  # TEST-NET-1: never local


def test_the_script_says_what_to_do_about_a_taken_port(taken_port: int) -> None:
    """What `make run` runs first: it stops there, before migrating or starting anything."""
    result = python_script("scripts/check_bind.py", f"127.0.0.1:{taken_port}")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"127.0.0.1:{taken_port} is already in use (another Taggarr, or another program?). "
        f"Stop it, or choose another port: make run PORT={taken_port + 1}"
    )


def test_the_script_on_a_free_port_succeeds_silently() -> None:
    result = python_script("scripts/check_bind.py", f"127.0.0.1:{free_port()}")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_the_script_without_an_address_says_what_is_expected() -> None:
    assert main(["check_bind.py"]) == 1
