"""Shared fixtures: a distinctive API key, client factories that never really sleep,
and configs for the clients under test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from scanner.arr.clients import ArrClient, make_client
from scanner.arr.config import ArrConfig
from tests.helpers import CLIENT_KEY

# Distinctive, so a leak into any log line or message is unmistakable.
API_KEY = CLIENT_KEY
SONARR_URL = "http://sonarr:8989"
RADARR_URL = "http://radarr:7878"


def config_for(url: str, kind: str = "sonarr", **overrides: Any) -> ArrConfig:
    values: dict[str, Any] = {"name": "main", "kind": kind, "url": url, "api_key": API_KEY}
    values.update(overrides)
    return ArrConfig(**values)


@pytest.fixture
def client_factory() -> Iterator[Callable[..., ArrClient]]:
    clients: list[ArrClient] = []

    def build(url: str = SONARR_URL, kind: str = "sonarr", **config: Any) -> ArrClient:
        client = make_client(config_for(url, kind, **config))
        clients.append(client)
        return client

    yield build
    for client in clients:
        client.close()
