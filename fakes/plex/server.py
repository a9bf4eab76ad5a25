"""The fake Plex over real HTTP (fakes.http): its routes answer from its state."""

from __future__ import annotations

import time
from collections.abc import Callable

from fakes.http import FakeServer, Request, Response
from fakes.plex.handlers import handle
from fakes.plex.state import FakePlexState


class FakePlex(FakeServer):
    """A fake Plex Media Server on 127.0.0.1. ``port=0`` picks a free port; see ``.url``.

    ::

        with FakePlex(token="t") as fake:
            fake.state.add_section("1", "TV Shows", "show", ["/tv"])
            fake.state.add_item("1", "Show", "/tv/Show", guids=["tvdb://1"])

    ``latency_s`` is spent on every request before it is answered (the benchmark's
    server time; ``sleep`` lets tests record it instead of waiting).
    """

    name = "fake-plex"
    # plexapi sends parameters without a value (``label[0].tag.tag=`` to clear labels).
    keep_blank_values = True

    def __init__(
        self,
        *,
        token: str,
        host: str = "127.0.0.1",
        port: int = 0,
        latency_s: float = 0.0,
        sleep: Callable[[float], None] = time.sleep,
        **identity: str,
    ) -> None:
        super().__init__(host=host, port=port, latency_s=latency_s, sleep=sleep)
        self.state = FakePlexState(token=token, **identity)

    def handle(self, request: Request) -> Response:
        return handle(self.state, request)

    def stopping(self) -> None:
        self.state.release_stalls()
