"""The fake Jellyfin over real HTTP (fakes.http): its state answers."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from fakes.http import FakeServer, Request, Response
from fakes.jellyfin.releases import DEFAULT_VERSION
from fakes.jellyfin.samples import DEFAULT_LIBRARIES
from fakes.jellyfin.state import FakeJellyfinState


class FakeJellyfin(FakeServer):
    """A fake Jellyfin on 127.0.0.1 (``port=0``: a free port; see ``.url``) playing
    ``version`` (one of releases.RELEASES; ValueError for another). ``latency_s`` is
    spent on every request before it is answered (the benchmark's server time;
    ``sleep`` lets tests record it instead of waiting)."""

    name = "fake-jellyfin"

    def __init__(
        self,
        *,
        token: str,
        items: Iterable[Mapping[str, Any]] = (),
        libraries: Iterable[Mapping[str, Any]] = DEFAULT_LIBRARIES,
        version: str = DEFAULT_VERSION,
        host: str = "127.0.0.1",
        port: int = 0,
        latency_s: float = 0.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        super().__init__(host=host, port=port, latency_s=latency_s, sleep=sleep)
        self.state = FakeJellyfinState(
            token=token, items=items, libraries=libraries, version=version
        )

    def handle(self, request: Request) -> Response:
        return self.state.handle(request)
