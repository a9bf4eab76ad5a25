"""The fake Jellyfin over real HTTP (fakes.http): routes.py answers from its state."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from fakes.http import FakeServer, Request, Response
from fakes.jellyfin.releases import DEFAULT_VERSION
from fakes.jellyfin.routes import handle
from fakes.jellyfin.samples import DEFAULT_LIBRARIES
from fakes.jellyfin.state import FakeJellyfinState


class FakeJellyfin(FakeServer):
    """A fake Jellyfin (or Emby) on 127.0.0.1 (``port=0``: a free port; see ``.url``)
    playing the release ``version`` names (releases.RELEASES; ValueError for another).
    ``legacy_auth`` sets EnableLegacyAuthorization on the releases that have it (None:
    the release's default). ``latency_s`` is spent on every request before it is
    answered, and ``save_latency_s`` on every item an update saves (a series' seasons
    and episodes from 10.9): the benchmark's server time; ``sleep`` lets tests record
    it instead of waiting."""

    name = "fake-jellyfin"

    def __init__(
        self,
        *,
        token: str,
        items: Iterable[Mapping[str, Any]] = (),
        libraries: Iterable[Mapping[str, Any]] = DEFAULT_LIBRARIES,
        version: str = DEFAULT_VERSION,
        legacy_auth: bool | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        latency_s: float = 0.0,
        save_latency_s: float = 0.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        super().__init__(host=host, port=port, latency_s=latency_s, sleep=sleep)
        self.state = FakeJellyfinState(
            token=token,
            items=items,
            libraries=libraries,
            version=version,
            legacy_auth=legacy_auth,
        )
        self._save_latency_s = save_latency_s
        self._sleep_for_saves = sleep

    def handle(self, request: Request) -> Response:
        if not self._save_latency_s:
            return handle(self.state, request)
        before = sum(self.state.saves().values())
        response = handle(self.state, request)
        saved = sum(self.state.saves().values()) - before
        if saved > 0:
            self._sleep_for_saves(saved * self._save_latency_s)
        return response
