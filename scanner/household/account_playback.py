"""A person's Jellyfin and Emby accounts as their page shows them (issue 70 item 3):
each account's playback settings read from its server, and the advice on them per
kind of item (scanner.household.playback_advice), or why they could not be read.

Each enabled server is asked within the web request's deadline (as the account picker does,
scanner.household.server_accounts) and never raises: a server that is down is a fact to
show. Two requests per account: the user (``GET /Users/{id}``) and the server's
version (``GET /System/Info`` with its libraries), which says whether it offers
"Original language". The library's facts are read once per kind for every account
(scanner.household.playback_library), and only when there is a readable account.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.conf import settings

from scanner.engine.listener import want_code
from scanner.errors import ConfigError
from scanner.household.playback_advice import Advice, LibraryFacts, Want, advise
from scanner.household.playback_library import kind_facts
from scanner.http.bounds import overall_deadline
from scanner.http.reasons import Said
from scanner.http.sessions import unanswered
from scanner.media_servers.clients.base import MediaServerError, ServerUnreachable
from scanner.media_servers.clients.jellyfin import JellyfinClient
from scanner.media_servers.clients.jellyfin_original import original_language_settable
from scanner.media_servers.clients.jellyfin_users import UserPlayback
from scanner.media_servers.connect import server_client
from scanner.models import MediaServer, Person, PersonAccount

logger = logging.getLogger(__name__)

KINDS = ("series", "movie")
JELLYFIN_KINDS = (MediaServer.Kind.JELLYFIN, MediaServer.Kind.EMBY)


@dataclass(frozen=True)
class AccountPlayback:
    """One Jellyfin or Emby account of a person: its settings and the advice per kind
    ("series", "movie"), or why there is none (``problem`` a Said or text; ``failed``:
    the log says why)."""

    account: PersonAccount
    product: str  # "Jellyfin", "Emby": as the person knows the server
    playback: UserPlayback | None = None
    advice: Mapping[str, tuple[Advice, ...]] = field(default_factory=dict)
    problem: Said | str | None = None
    failed: bool = False
    disabled: bool = False  # the server is turned off in Taggarr: not asked


def person_playback(
    person: Person, counted: Mapping[str, LibraryFacts] | None = None
) -> list[AccountPlayback]:
    """Every Jellyfin or Emby account of ``person``, in the servers' order. ``counted``:
    the library's facts per kind as counted in the background (scanner.household.
    counts), no advice for a kind it lacks; None: read here (a pass per kind)."""
    accounts = person.accounts.select_related("media_server").filter(
        media_server__kind__in=JELLYFIN_KINDS
    )
    languages = tuple(person.languages)
    wants: dict[str, Want] = {
        "series": want_code(person.series_want),
        "movie": want_code(person.movie_want),
    }
    facts: dict[str, LibraryFacts] = {}

    if counted is not None:
        facts.update(counted)

    def library(kind: str) -> LibraryFacts:
        if counted is None and kind not in facts:
            facts[kind] = kind_facts(kind, languages, wants[kind])
        return facts[kind]

    found = []
    for account in accounts:
        if not account.media_server.enabled:
            found.append(AccountPlayback(account, _product(account), disabled=True))
            continue
        with overall_deadline(settings.WEB_DEADLINE_SECONDS):
            read = _read(account)
        if isinstance(read, AccountPlayback):
            found.append(read)
            continue
        playback, choice = read
        advice = {
            kind: advise(languages, wants[kind], playback, library(kind), original_choice=choice)
            for kind in KINDS
            if counted is None or kind in counted
        }
        found.append(AccountPlayback(account, _product(account), playback, advice))
    return found


def _product(account: PersonAccount) -> str:
    return "Emby" if account.media_server.kind == MediaServer.Kind.EMBY else "Jellyfin"


def _read(account: PersonAccount) -> tuple[UserPlayback, bool] | AccountPlayback:
    """The account's settings and whether its server offers "Original language"."""
    server = account.media_server

    def failed(**why: object) -> AccountPlayback:
        return AccountPlayback(account, _product(account), **why)  # type: ignore[arg-type]

    try:
        client = server_client(server)
    except ConfigError as exc:
        return failed(problem=exc.said or str(exc))
    try:
        if not isinstance(client, JellyfinClient):  # the kinds above build no other
            return failed(failed=True)
        playback = client.user_playback(account.account_id)
        return playback, original_language_settable(client.info())
    except ServerUnreachable as exc:
        logger.info("playback settings of %s on %s: %s", account.account_id, server.name, exc)
        who = f"{server.name} at {server.url}"
        return failed(problem=unanswered(who, exc, server=server.name, url=server.url))
    except MediaServerError as exc:
        if exc.said is not None:
            return failed(problem=exc.said)
        logger.info("playback settings on %s: %s", server.name, exc)
        return failed(failed=True)
    except Exception:  # a person's page never fails with the server
        logger.exception("playback settings on %s could not be read", server.name)
        return failed(failed=True)
    finally:
        client.close()
