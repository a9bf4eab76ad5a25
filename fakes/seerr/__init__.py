"""A fake Overseerr / Jellyseerr over real HTTP, for development and the tests, written
from their sources (docs/seerr.md): API-key auth, status, users, media, issues and their
comments, and the webhook agent (its template rendered as Seerr renders it), which the
issue subscribers use as Seerr's do: ISSUE_CREATED for an issue POSTed, ISSUE_COMMENT for
each later comment, from a thread (``state.wait_deliveries``), none while ``state.tmdb_down``.

In process::

    with FakeSeerr(api_key="...") as seerr:
        seerr.state.webhook = Webhook(url=..., auth_header="Bearer ...", json_payload=...)
        seerr.notify(Notification("MEDIA_APPROVED", media=..., requested_by=...))

As a process: ``python -m fakes.seerr --help``.
"""

from __future__ import annotations

from fakes.seerr.server import FakeSeerr
from fakes.seerr.state import AUDIO, FakeSeerrState, Webhook
from fakes.seerr.webhook import Notification, render

__all__ = ["AUDIO", "FakeSeerr", "FakeSeerrState", "Notification", "Webhook", "render"]
