from __future__ import annotations

from collections.abc import Iterator

import pytest

from fakes.seerr import FakeSeerr, Webhook
from scanner.seerr.settings import json_payload, types_sum
from tests.fakes.seerr.receiver import Receiver

KEY = "ZmFrZS1zZWVyci10ZXN0LWtleS0wMTIzNDU2Nzg5"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as server:
        yield server


# Each app at the version docs/seerr.md was checked against.
VERSIONS = {"overseerr": "1.34.0", "jellyseerr": "2.3.0", "seerr": "3.1.0"}


@pytest.fixture(params=list(VERSIONS))
def seerr(request: pytest.FixtureRequest, receiver: Receiver) -> Iterator[FakeSeerr]:
    """Each app, its agent posting Taggarr's template to ``receiver``."""
    with FakeSeerr(api_key=KEY, app=request.param, version=VERSIONS[request.param]) as fake:
        fake.state.webhook = Webhook(
            url=f"{receiver.url}/hook",
            auth_header="Bearer t",
            json_payload=json_payload(),
            types=types_sum(),
        )
        yield fake
