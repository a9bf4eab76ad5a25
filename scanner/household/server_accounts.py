"""The accounts a media server lists, for the admin's picker of a person's account
(issue 70): each server asked once, within the web request's deadline, never raising:
what went wrong is a fact to show (scanner.http.reasons), or a failure the log holds.
Every client lists accounts (Plex: the home and managed users; Jellyfin and Emby: the
users)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings

from scanner.errors import ConfigError
from scanner.http.bounds import overall_deadline
from scanner.http.sessions import unanswered
from scanner.media_servers.clients.base import (
    AT_PLEX_TV,
    MediaServerError,
    ServerAccount,
    ServerUnreachable,
)
from scanner.media_servers.connect import server_client
from scanner.models import MediaServer

logger = logging.getLogger(__name__)

MAX_ACCOUNTS = 500  # a server's accounts offered; a household has a few


@dataclass(frozen=True)
class AccountsListing:
    server: MediaServer
    accounts: tuple[ServerAccount, ...] = ()
    problem: str | None = None  # a Said where the client said why (scanner.connect.sentences)
    failed: bool = False  # listing failed for a reason the log holds

    @property
    def ok(self) -> bool:
        return not (self.problem or self.failed)


def server_accounts(server: MediaServer) -> AccountsListing:
    """The server's accounts (at most MAX_ACCOUNTS), or why there are none."""
    with overall_deadline(settings.WEB_DEADLINE_SECONDS):
        return _listed(server)


def _listed(server: MediaServer) -> AccountsListing:
    try:
        client = server_client(server)
    except ConfigError as exc:
        return AccountsListing(server, problem=exc.said or str(exc))
    try:
        return AccountsListing(server, accounts=tuple(client.accounts()[:MAX_ACCOUNTS]))
    except ServerUnreachable as exc:
        logger.info("accounts of %s: %s", server.name, exc)
        if exc.source == AT_PLEX_TV and exc.said:  # plex.tv's silence, not the server's
            return AccountsListing(server, problem=exc.said)
        who = f"{server.name} at {server.url}"
        return AccountsListing(
            server, problem=unanswered(who, exc, server=server.name, url=server.url)
        )
    except MediaServerError as exc:
        return AccountsListing(server, problem=exc.said or str(exc))
    except Exception:  # a page that lists accounts never fails with the server
        logger.exception("accounts of %s could not be read", server.name)
        return AccountsListing(server, failed=True)
    finally:
        client.close()
