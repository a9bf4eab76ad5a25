"""The Seerr client (docs/seerr.md): plain values over HTTP, no Django. Every request
goes through ``bounded_request`` (no redirect followed: the ``X-Api-Key`` would go along;
the answer read within its size and the exchange's deadline) and is sent once: the task
that calls it retries what is transient (scanner.tasks)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import ijson
import requests
from urllib3.exceptions import HTTPError as Urllib3Error

from scanner.http.bounds import (
    MB,
    AnswerRefused,
    AnswerTooSlow,
    Bounds,
    bounded_request,
    json_value,
)
from scanner.http.sessions import settle_environment, short_reason

OBJECT_MB = 1  # one object's answer: the status, a user, an issue with its comments
PAGE_SIZE = 100  # users per page
MAX_USERS = 5000  # a household's Seerr has a few dozen: more is not a household's
AUDIO = 2  # IssueType.AUDIO (server/constants/issue.ts)
MAX_USER_TYPE = 4  # UserType (server/constants/user.ts): Plex 1, local 2, Jellyfin 3, Emby 4
ISSUES_READ = 100  # the newest issues looked through for one Taggarr opened


# server/lib/permissions.ts: the Permission bits; hasPermission gives ADMIN every one.
# POST /issue takes CREATE_ISSUES or MANAGE_ISSUES (issue.ts: isAuthenticated, type 'or').
ADMIN, MANAGE_ISSUES, CREATE_ISSUES = 2, 1048576, 4194304
REPORTS_ISSUES = ADMIN | MANAGE_ISSUES | CREATE_ISSUES


class SeerrError(Exception):
    """Seerr could not do what was asked. ``reason`` is a code the connection test tells
    in the reader's language (scanner.seerr.connection_test); the message is the
    log's English, never with the key."""

    reason = "answered"

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class SeerrKeyRefused(SeerrError):
    """401 or 403: the API key is not Seerr's (checkUser found no user)."""

    reason = "refused"


class SeerrUnreachable(SeerrError):
    """No answer, or a 502/503/504: transient."""

    reason = "unreachable"


class SeerrNotSeerr(SeerrError):
    """An answer that is not what Overseerr or Jellyseerr answers there."""

    reason = "not_seerr"


class SeerrTooOld(SeerrError):
    """A Seerr older than the routes Taggarr uses: ``app`` ("Overseerr", "Jellyseerr"),
    the ``version`` it gave and the ``minimum``."""

    reason = "too_old"

    def __init__(self, message: str, *, app: str, version: str, minimum: str) -> None:
        super().__init__(message)
        self.app, self.version, self.minimum = app, version, minimum


# The oldest each answers as docs/seerr.md says: Overseerr 1.33 (what was read; the issue
# routes came in 1.27); Jellyseerr 1.1.0, its first release with the issue routes
# (server/routes/issue.ts, "feat: issues", merged from Overseerr) and X-API-User.
OVERSEERR, JELLYSEERR = "Overseerr", "Jellyseerr"
MINIMUM: dict[str, tuple[int, int, int]] = {OVERSEERR: (1, 33, 0), JELLYSEERR: (1, 1, 0)}
VERSION = re.compile(r"v?(\d{1,4})\.(\d{1,4})(?:\.(\d{1,4}))?")


@dataclass(frozen=True)
class SeerrUser:
    id: int
    email: str  # lower-cased, as Seerr stores it: an address, or a Jellyfin user's name
    display_name: str
    may_report_issues: bool = False  # CREATE_ISSUES, MANAGE_ISSUES or ADMIN
    user_type: int | None = None  # UserType (server/constants/user.ts): Plex 1, local 2 ...


@dataclass(frozen=True)
class SeerrRequest:
    """GET /api/v1/request/:requestId, what Taggarr reads of it: its media's Seerr id,
    who asked (``requestedBy``, eager: the webhook names them by their ``email`` only)
    and, for a series, the seasons asked (``seasons``, eager SeasonRequest rows: their
    ``seasonNumber``)."""

    media_id: int | None
    requested_by: SeerrUser | None
    seasons: tuple[int, ...] = ()


@dataclass(frozen=True)
class SeerrIssue:
    """An issue as GET /api/v1/issue/:id answers it (issue.ts: the entity, its users
    unfiltered; the key's user 1 may read any): its comments in order, each as its
    author's e-mail (lower-cased, as Seerr stores it) and its message; who reported it
    (``createdBy``) and the season it is about (``problemSeason``, server/entity/Issue.ts:
    0, all seasons, by default; None here)."""

    id: int
    open: bool  # IssueStatus.OPEN (1)
    comments: tuple[tuple[str, str], ...]
    reported_by: SeerrUser | None = None
    season: int | None = None

    def by(self, *emails: str) -> list[str]:
        """The messages of these authors."""
        return [message for author, message in self.comments if author in emails]


@dataclass(frozen=True)
class SeerrConfig:
    url: str
    api_key: str
    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    deadline: float = 60.0
    user_agent: str = "Taggarr"


class SeerrClient:
    """One session to one Seerr. Not for concurrent use."""

    def __init__(self, config: SeerrConfig) -> None:
        self.config = config
        self.base_url = config.url.rstrip("/")
        self.session = requests.Session()
        settle_environment(self.session, self.base_url)
        self.session.headers.update(
            {
                "Accept": "application/json",
                "User-Agent": config.user_agent,
                "X-Api-Key": config.api_key,
            }
        )

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> SeerrClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- the routes --------------------------------------------------------------

    def version(self) -> str:
        """GET /api/v1/status (answered without the key)."""
        status = self._object("GET", "/status")
        version = status.get("version")
        if not isinstance(version, str) or not version:
            raise SeerrNotSeerr(f"{self.base_url}: /api/v1/status has no version")
        return version[:50]

    def app(self) -> str:
        """Overseerr or Jellyseerr: GET /api/v1/settings/public (answered without the key)
        holds ``mediaServerType`` in Jellyseerr's (settings fullPublicSettings: Plex,
        Jellyfin or Emby), never in Overseerr's (PublicSettingsResponse)."""
        public = self._object("GET", "/settings/public")
        return JELLYSEERR if "mediaServerType" in public else OVERSEERR

    def check_version(self, app: str, version: str) -> None:
        """SeerrTooOld below MINIMUM. A development build (``develop-<commit>``,
        appVersion.ts: package.json's 0.1.0 outside a release) is taken as recent."""
        if version.startswith("develop-"):
            return
        found = VERSION.match(version.strip())
        if found is None:
            raise SeerrNotSeerr(f"{self.base_url}: {app} gave the version {version!r}")
        given = tuple(int(part or 0) for part in found.groups())
        minimum = MINIMUM[app]
        if given < minimum:
            wanted = ".".join(str(part) for part in minimum)
            raise SeerrTooOld(
                f"{self.base_url}: {app} {version} is older than {wanted}",
                app=app,
                version=version,
                minimum=wanted,
            )

    def me(self) -> SeerrUser:
        """GET /api/v1/auth/me: the key's user (1, the owner): it proves the key."""
        return _user(self._object("GET", "/auth/me"), self.base_url)

    def users(self) -> Iterator[SeerrUser]:
        """GET /api/v1/user, a page at a time, at most MAX_USERS."""
        skip = 0
        while skip < MAX_USERS:
            page = self._object("GET", "/user", params={"take": PAGE_SIZE, "skip": skip})
            results = page.get("results")
            if not isinstance(results, list):
                raise SeerrNotSeerr(f"{self.base_url}: /api/v1/user has no results")
            for row in results:
                if isinstance(row, Mapping):
                    yield _user(row, self.base_url)
            if len(results) < PAGE_SIZE:
                return
            skip += PAGE_SIZE

    def comment(self, issue_id: int, message: str) -> None:
        """POST /api/v1/issue/:id/comment (by the key's user)."""
        self._object("POST", f"/issue/{issue_id}/comment", body={"message": message})

    def issue(self, issue_id: int) -> SeerrIssue:
        """GET /api/v1/issue/:id: the issue with its comments (issue.ts joins them and
        their users); a missing one answers 500 "Issue not found." (SeerrError)."""
        found = self._object("GET", f"/issue/{issue_id}")
        comments = found.get("comments")
        said = []
        for comment in comments if isinstance(comments, list) else []:
            if not isinstance(comment, Mapping):
                continue
            user = comment.get("user")
            email = user.get("email") if isinstance(user, Mapping) else None
            author = email.strip().lower() if isinstance(email, str) else ""
            said.append((author, str(comment.get("message") or "")))
        by = found.get("createdBy")
        season = found.get("problemSeason")
        return SeerrIssue(
            issue_id,
            found.get("status") == 1,
            tuple(said),
            _user(by, self.base_url) if isinstance(by, Mapping) else None,
            season if _is_id(season) else None,
        )

    def recent_audio_issues(self, media_id: int) -> list[int]:
        """The Audio issues on Seerr's media ``media_id`` among the newest ISSUES_READ of
        any status, newest first (GET /api/v1/issue: no media filter, no comments — a
        query builder loads no eager relation; ``filter=all``, the spec's default being
        ``open``)."""
        page = self._object(
            "GET",
            "/issue",
            params={"take": ISSUES_READ, "skip": 0, "sort": "added", "filter": "all"},
        )
        results = page.get("results")
        if not isinstance(results, list):
            raise SeerrNotSeerr(f"{self.base_url}: /api/v1/issue has no results")
        found = []
        for row in results:
            media = row.get("media") if isinstance(row, Mapping) else None
            issue_id = row.get("id") if isinstance(row, Mapping) else None
            if (
                isinstance(media, Mapping)
                and media.get("id") == media_id
                and row.get("issueType") == AUDIO
                and isinstance(issue_id, int)
                and not isinstance(issue_id, bool)
            ):
                found.append(issue_id)
        return found

    def media_id(self, media_type: str, tmdb_id: int) -> int | None:
        """Seerr's own id of a movie or series (GET /api/v1/movie/:tmdbId or /tv/:tmdbId:
        its ``mediaInfo``), None when Seerr has no media row for it."""
        kind = "tv" if media_type == "tv" else "movie"
        info = self._object("GET", f"/{kind}/{tmdb_id}").get("mediaInfo")
        found = info.get("id") if isinstance(info, Mapping) else None
        return found if isinstance(found, int) and not isinstance(found, bool) else None

    def request_media_id(self, request_id: int) -> int | None:
        """Seerr's own id of a request's media (GET /api/v1/request/:requestId: the
        request with its ``media``, eager in MediaRequest.ts; no TMDb call, unlike
        /movie and /tv, which answer 500 when TMDb cannot be reached); None when the
        answer holds none."""
        return self.request(request_id).media_id

    def request(self, request_id: int) -> SeerrRequest:
        """GET /api/v1/request/:requestId (server/routes/request.ts; the same in
        Overseerr 1.34, Jellyseerr 2.3 and Seerr 3): no TMDb call; the key's user 1
        may read any (MANAGE_REQUESTS)."""
        found = self._object("GET", f"/request/{request_id}")
        media = found.get("media")
        media_id = media.get("id") if isinstance(media, Mapping) else None
        by = found.get("requestedBy")
        seasons = found.get("seasons")
        numbers = {
            season.get("seasonNumber")
            for season in (seasons if isinstance(seasons, list) else [])
            if isinstance(season, Mapping)
        }
        return SeerrRequest(
            media_id if _is_id(media_id) else None,
            _user(by, self.base_url) if isinstance(by, Mapping) else None,
            tuple(sorted(n for n in numbers if isinstance(n, int) and not isinstance(n, bool))),
        )

    def open_issue(self, media_id: int, message: str, *, as_user: int | None = None) -> int:
        """POST /api/v1/issue: an Audio issue (IssueType 2); its id. By the key's user, or
        by Seerr's user ``as_user`` (the ``X-API-User`` header, honoured with the API key:
        server/middleware/auth.ts), who must hold CREATE_ISSUES or MANAGE_ISSUES (issue.ts'
        isAuthenticated): a 403 (SeerrKeyRefused) otherwise."""
        headers = {"X-API-User": str(as_user)} if as_user is not None else None
        issue = self._object(
            "POST",
            "/issue",
            body={"issueType": AUDIO, "message": message, "mediaId": media_id},
            headers=headers,
        )
        found = issue.get("id")
        if isinstance(found, bool) or not isinstance(found, int):
            raise SeerrNotSeerr(f"{self.base_url}: POST /api/v1/issue answered no id")
        return found

    def resolve(self, issue_id: int) -> None:
        """POST /api/v1/issue/:id/resolved."""
        self._object("POST", f"/issue/{issue_id}/resolved")

    # --- one exchange ----------------------------------------------------------------

    def _object(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> Mapping[str, Any]:
        where = f"{self.base_url}: {method} /api/v1{path}"
        bounds = Bounds(OBJECT_MB * MB, max(self.config.deadline, self.config.read_timeout))
        try:
            response, _ = bounded_request(
                self.session.request,
                method,
                f"{self.base_url}/api/v1{path}",
                bounds,
                connect_timeout=self.config.connect_timeout,
                read_timeout=self.config.read_timeout,
                params=params,
                json=body,
                headers=headers,
            )
        except AnswerTooSlow as exc:
            raise SeerrUnreachable(f"{where}: {exc}") from None
        except AnswerRefused as exc:
            raise SeerrNotSeerr(f"{where}: {exc}") from None
        except requests.RequestException as exc:
            raise SeerrUnreachable(f"{where} failed: {short_reason(exc)}") from None
        except Urllib3Error as exc:  # the connection lost while the body was read
            raise SeerrUnreachable(f"{where} failed: {short_reason(exc)}") from None
        except OSError as exc:
            raise SeerrUnreachable(f"{where} failed: {exc}") from None
        status = response.status_code
        if status in (401, 403):
            raise SeerrKeyRefused(f"{where}: the API key was refused ({status})", status=status)
        if status in (502, 503, 504):
            raise SeerrUnreachable(f"{where} answered {status}", status=status)
        if status >= 300:
            raise SeerrError(f"{where} answered {status}", status=status)
        try:
            answer = json_value(response.content)
        except AnswerRefused as exc:
            raise SeerrNotSeerr(f"{where}: {exc}") from None
        except (ijson.JSONError, UnicodeDecodeError):
            raise SeerrNotSeerr(f"{where} answered with a body that is not JSON") from None
        if not isinstance(answer, Mapping):
            raise SeerrNotSeerr(f"{where} answered JSON that is not an object")
        return answer


def _is_id(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _user(row: Mapping[str, Any], base_url: str) -> SeerrUser:
    user_id, email = row.get("id"), row.get("email")
    if isinstance(user_id, bool) or not isinstance(user_id, int) or not isinstance(email, str):
        raise SeerrNotSeerr(f"{base_url}: a user without id or email")
    name = row.get("displayName")
    permissions = row.get("permissions")
    may_report = (
        isinstance(permissions, int)
        and not isinstance(permissions, bool)
        and bool(permissions & REPORTS_ISSUES)
    )
    kind = row.get("userType")
    return SeerrUser(
        user_id,
        email.strip().lower()[:254],
        str(name or email)[:200],
        may_report,
        kind if isinstance(kind, int) and _is_id(kind) and kind <= MAX_USER_TYPE else None,
    )
