"""The fake *arr over real HTTP (fakes.http): its state answers, every connection
is counted, and a stalled editor answer is let go when the server stops."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from fakes.arr.handlers import handle
from fakes.arr.state import FakeArrOptions, FakeArrState
from fakes.http import FakeServer, Request, Response


class FakeArr(FakeServer):
    """A fake Sonarr/Radarr on 127.0.0.1. ``port=0`` picks a free port; see ``.url``."""

    name = "fake-arr"

    def __init__(
        self,
        options: FakeArrOptions | None = None,
        *,
        items: Iterable[Mapping[str, Any]] = (),
        tags: Iterable[Mapping[str, Any]] = (),
        host: str = "127.0.0.1",
        port: int = 0,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        # The latencies are the state's to spend (after counting, before the 503s of a
        # start-up), so the server spends none; ``sleep`` takes them, tests record them.
        super().__init__(host=host, port=port)
        self.state = FakeArrState(options, items=items, tags=tags, sleep=sleep)

    def handle(self, request: Request) -> Response:
        return handle(self.state, request)

    def connection_opened(self) -> None:
        self.state.count_connection()

    def stopping(self) -> None:
        # A stalled answer would otherwise hold its thread until stall_s passes.
        self.state.release_stalls()
