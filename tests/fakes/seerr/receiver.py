"""A webhook receiver for the fake Seerr's agent: it keeps each POST's body and headers
and may hold its answers until released (a slow receiver)."""

from __future__ import annotations

import json
import threading
from typing import Any

from fakes.http import FakeServer, Request, Response


class Receiver(FakeServer):
    name = "seerr-webhook-receiver"

    def __init__(self, status: int = 200) -> None:
        super().__init__()
        self.status = status
        self.bodies: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.gate = threading.Event()
        self.gate.set()  # open: answers at once
        self.arrived = threading.Event()

    def handle(self, request: Request) -> Response:
        self.bodies.append(json.loads(request.body))
        self.headers.append(dict(request.headers))
        self.arrived.set()
        self.gate.wait(10)
        return Response.json(self.status, {"ok": True})

    def stopping(self) -> None:
        self.gate.set()
