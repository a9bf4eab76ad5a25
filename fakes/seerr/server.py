"""The fake Seerr over real HTTP (fakes.http): routes.py answers from its state, and
``notify`` sends a notification through the webhook agent (webhook.py)."""

from __future__ import annotations

from typing import Any

from fakes.http import FakeServer, Request, Response
from fakes.seerr.routes import handle
from fakes.seerr.state import Comment, FakeSeerrState, Issue
from fakes.seerr.webhook import Notification, send, send_later


class FakeSeerr(FakeServer):
    """A fake Overseerr (``app="overseerr"``), Jellyseerr (2.x) or Seerr (3.x, ``"seerr"``)
    on 127.0.0.1."""

    name = "fake-seerr"

    def __init__(
        self, *, api_key: str, app: str = "overseerr", version: str = "1.33.2", **server: Any
    ) -> None:
        super().__init__(**server)
        self.state = FakeSeerrState(api_key=api_key, app=app, version=version)
        self.state.comment_added = self._comment_added

    def _comment_added(self, issue: Issue, comment: Comment) -> None:
        send_later(self.state, Notification.issue_comment(issue, comment))

    def handle(self, request: Request) -> Response:
        return handle(self.state, request)

    def notify(self, note: Notification) -> int | None:
        """Send ``note`` as the webhook agent would, now: the answer's status, or None.
        (The issue subscribers' own notifications go from a thread: state.deliveries.)"""
        return send(self.state, note)

    def stopping(self) -> None:
        self.state.wait_deliveries(timeout=5.0)
