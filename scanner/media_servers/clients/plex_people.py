"""The people of a Plex server, from plex.tv with the admin's token: the accounts a
person of the household can be linked to, and the token each reads the server with.

As python-plexapi 4.18 reads them (``plexapi/myplex.py``):

- the admin: ``MyPlexAccount(token=...)``, ``GET https://plex.tv/api/v2/user``;
- the others: ``MyPlexAccount.users()``, ``GET https://plex.tv/api/users/``: a Plex
  Home member (``home`` true), a managed user (``home`` and ``restricted``) or a friend
  (``home`` false); a friend counts only when this server is shared with them (one
  of their ``servers`` has its ``machineIdentifier``);
- a user's token for this server: ``MyPlexUser.get_token(machineIdentifier)`` reads
  ``GET https://plex.tv/api/servers/{machineId}/shared_servers`` and takes the
  ``accessToken`` of the ``SharedServer`` whose ``userID`` is the user's (read here
  once per client for every user: plexapi reads it again per user, and swallows its
  errors); a home or managed user the server is not shared with gets one by
  ``switchHomeUser``: ``POST https://plex.tv/api/home/users/{id}/switch`` (``pin``
  for a protected one) answers ``authenticationToken`` (posted here directly: plexapi
  would read the switched account again, one request more).

plex.tv's rules of 2026: from March 2026 plex.tv hands the admin no server token for an
invited friend (arabcoders/watchstate#793, "no longer possible to generate auth tokens
scoped to the server for invited users", and #794, which left home and managed users
only). ``get_token`` then reads the friend's ``SharedServer`` without ``accessToken``
(it returns ``attrib.get('accessToken')``: None). WatchState took friends back on
2026-04-23 ("Plex appears to have backtracked ... may change again"), so a friend's
token is still taken when plex.tv lists one; when it lists the share without one, the
reason says so ("friend-no-token"), apart from a server not shared at all
("not-shared"). A Plex Home member's or managed user's token comes by switching, which
plex.tv still answers.

Tokens are secrets: never logged, never in a message (every one obtained is scrubbed
from this client's messages), kept in this client's memory only.
"""

from __future__ import annotations

from typing import Any, Literal

from plexapi.myplex import MyPlexAccount

from scanner import outside_text
from scanner.http.reasons import Code
from scanner.media_servers.clients.base import MediaServerError, ServerAccount
from scanner.media_servers.clients.plex_errors import CountingSession, PlexErrors

__all__ = ["AccountTokenUnavailable", "PlexPeople", "TokenRefusal"]

TokenRefusal = Literal["unknown-account", "not-shared", "friend-no-token", "pin-required"]


class AccountTokenUnavailable(MediaServerError):
    """plex.tv hands out no token of this server for the account: ``reason`` says why
    (a code the UI translates)."""

    def __init__(self, message: str, reason: TokenRefusal, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.reason: TokenRefusal = reason


class PlexPeople:
    """plex.tv for one server's admin. Not for concurrent use."""

    def __init__(
        self, session: CountingSession, token: str, timeout: float, errors: PlexErrors
    ) -> None:
        self._session = session
        self._token = token
        self._timeout = timeout
        self._errors = errors  # plex.tv's: its display URL is plex.tv's
        self._account: MyPlexAccount | None = None
        self._users: list[Any] | None = None
        self._shared: dict[int, str] | None = None
        self._withheld: set[int] = set()  # shares plex.tv lists without a token
        self._tokens: dict[str, str] = {}

    def accounts(self, machine_identifier: str) -> list[ServerAccount]:
        """The admin, then the home members, managed users and friends of this server."""
        account = self._plex_account()
        admin = ServerAccount(
            str(account.id), _name(account.title or account.username), "plex-admin"
        )
        found = [admin]
        for user in self._plex_users():
            if not user.home and not any(
                s.machineIdentifier == machine_identifier for s in user.servers
            ):
                continue  # a friend this server is not shared with
            if user.home:
                kind: Literal["plex-home", "plex-managed"] = (
                    "plex-managed" if _flag(user.restricted) else "plex-home"
                )
                found.append(ServerAccount(str(user.id), _name(user.title or user.username), kind))
            else:
                name = _name(user.title or user.username)
                found.append(ServerAccount(str(user.id), name, "plex-shared"))
        return found

    def token(self, account: ServerAccount, machine_identifier: str, pin: str = "") -> str:
        """The token ``account`` reads this server with (the admin's own for the admin).
        Raises AccountTokenUnavailable when plex.tv hands out none."""
        if account.kind == "plex-admin":
            return self._token
        if account.id in self._tokens:
            return self._tokens[account.id]
        try:
            user_id = int(account.id)
        except ValueError:
            raise self._refused(account, "unknown-account") from None
        token = self._shared_tokens(machine_identifier).get(user_id, "")
        if not token and account.kind in ("plex-home", "plex-managed"):
            token = self._switch(account, user_id, pin)
        if not token and account.kind == "plex-shared" and user_id in self._withheld:
            raise self._refused(account, "friend-no-token")
        if not token:
            raise self._refused(account, "not-shared")
        self._errors.hide(token)
        self._tokens[account.id] = token
        return token

    # -- plex.tv --------------------------------------------------------------------

    def _plex_account(self) -> MyPlexAccount:
        if self._account is None:
            with self._errors.handling("reading the admin's plex.tv account"):
                self._account = MyPlexAccount(
                    token=self._token, session=self._session, timeout=self._timeout
                )
        return self._account

    def _plex_users(self) -> list[Any]:
        if self._users is None:
            account = self._plex_account()
            with self._errors.handling("listing the plex.tv users"):
                self._users = list(account.users())
        return self._users

    def _shared_tokens(self, machine_identifier: str) -> dict[int, str]:
        if self._shared is None:
            account = self._plex_account()
            url = account.FRIENDINVITE.format(machineId=machine_identifier)
            with self._errors.handling("reading the server's shares"):
                data = account.query(url)
            shared: dict[int, str] = {}
            for element in data if data is not None else ():
                user_id = _number(element.attrib.get("userID"))
                token = element.attrib.get("accessToken") or ""
                if user_id is not None and token:
                    shared[user_id] = token
                    self._errors.hide(token)
                elif user_id is not None:
                    self._withheld.add(user_id)
            self._shared = shared
        return self._shared

    def _switch(self, account: ServerAccount, user_id: int, pin: str) -> str:
        plex_account = self._plex_account()
        url = f"{plex_account.HOMEUSERS}/{user_id}/switch"
        params = {"pin": pin} if pin else {}
        with self._errors.handling(f"switching to home user {account.name!r}"):
            try:
                data = plex_account.query(url, self._session.post, params=params)
            except Exception:
                if self._session.last_status == 403:
                    raise self._refused(account, "pin-required") from None
                if self._session.last_status == 404:
                    raise self._refused(account, "unknown-account") from None
                raise
        return (data.attrib.get("authenticationToken") or "") if data is not None else ""

    def _refused(self, account: ServerAccount, reason: TokenRefusal) -> AccountTokenUnavailable:
        english = f"no token of this server for {account.name!r} ({account.id}): {reason}"
        said = self._errors.said(english, Code.MS_NOT_FOUND)
        return AccountTokenUnavailable(
            self._errors.say(english), reason, said=said, source=self._errors.source
        )


def _number(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() else None


def _flag(value: object) -> bool:
    return value in (True, 1, "1", "true")


def _name(text: str | None) -> str:
    return outside_text.name(text or "", 100)
