from __future__ import annotations

from collections.abc import Iterator

import pytest

from scanner.arr.fake import FakeArr, FakeArrOptions

ARR_KEY = "admin-test-key-0123456789abcdef"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    """PBKDF2 at its production cost makes each login half a second."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def sonarr() -> Iterator[FakeArr]:
    with FakeArr(FakeArrOptions(app="sonarr", api_key=ARR_KEY)) as fake:
        yield fake
