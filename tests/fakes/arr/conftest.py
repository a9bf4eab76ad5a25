"""The fake *arr's tests: the same distinctive key as the clients' tests, and their
client factory, for the tests that drive the fake with the real client."""

from __future__ import annotations

from tests.scanner.arr.conftest import API_KEY, client_factory

__all__ = ["API_KEY", "client_factory"]
