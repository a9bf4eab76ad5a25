"""A request and an answer of the fake, independent of the HTTP server."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FakeRequest:
    method: str
    path: str
    query: Mapping[str, list[str]]
    headers: Mapping[str, str]  # names lowercased
    body: bytes


@dataclass(frozen=True)
class FakeResponse:
    status: int
    body: bytes = b""

    @classmethod
    def json(cls, status: int, payload: Any) -> FakeResponse:
        return cls(status, json.dumps(payload).encode())
