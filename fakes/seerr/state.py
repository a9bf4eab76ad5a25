"""The fake Seerr's data, as Overseerr's and Jellyseerr's entities hold it
(docs/seerr.md): users, media, requests, issues with their comments, and the webhook
agent's settings. A lock keeps it whole across the server's threads.

A comment added after an issue's first one sends ISSUE_COMMENT through the webhook agent
(server/subscriber/IssueCommentSubscriber.ts afterInsert), whoever adds it: the API or a
test modelling a user's reply with ``add_comment``. ``add_issue`` only seeds an issue:
Seerr's ISSUE_CREATED for it is the test's to send (``FakeSeerr.notify``), while POST
/issue sends it as Seerr does (routes.py)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# server/constants/media.ts and issue.ts; server/lib/notifications/index.ts.
MEDIA_STATUS = {
    1: "UNKNOWN",
    2: "PENDING",
    3: "PROCESSING",
    4: "PARTIALLY_AVAILABLE",
    5: "AVAILABLE",
}
JELLYSEERR_MEDIA_STATUS = {**MEDIA_STATUS, 6: "BLACKLISTED"}
# Seerr 3 (seerr-team/seerr v3.0.0, Jellyseerr's repository renamed, Overseerr merged in):
# BLACKLISTED renamed BLOCKLISTED, DELETED added (server/constants/media.ts).
SEERR_MEDIA_STATUS = {**MEDIA_STATUS, 6: "BLOCKLISTED", 7: "DELETED"}
# The apps the fake plays: Overseerr, Jellyseerr (2.x) and Seerr (3.x), which answers
# as Jellyseerr did where Taggarr reads it (docs/seerr.md, "Seerr 3").
OVERSEERR_APP, JELLYSEERR_APP, SEERR_APP = "overseerr", "jellyseerr", "seerr"
JELLYSEERR_LINE = (JELLYSEERR_APP, SEERR_APP)
ISSUE_TYPE = {1: "VIDEO", 2: "AUDIO", 3: "SUBTITLES", 4: "OTHER"}
ISSUE_STATUS = {1: "OPEN", 2: "RESOLVED"}
NOTIFICATION = {
    "MEDIA_PENDING": 2,
    "MEDIA_APPROVED": 4,
    "MEDIA_AVAILABLE": 8,
    "MEDIA_FAILED": 16,
    "TEST_NOTIFICATION": 32,
    "MEDIA_DECLINED": 64,
    "MEDIA_AUTO_APPROVED": 128,
    "ISSUE_CREATED": 256,
    "ISSUE_COMMENT": 512,
    "ISSUE_RESOLVED": 1024,
    "ISSUE_REOPENED": 2048,
    "MEDIA_AUTO_REQUESTED": 4096,
}
ISSUE_OPEN, ISSUE_RESOLVED = 1, 2
AUDIO = 2
# server/constants/media.ts MediaRequestStatus.
REQUEST_PENDING, REQUEST_APPROVED, REQUEST_DECLINED, REQUEST_FAILED = 1, 2, 3, 4
# Jellyseerr's server/constants/server.ts MediaServerType: PLEX 1, JELLYFIN 2, EMBY 3,
# NOT_CONFIGURED 4 (settings/index.ts' default until a media server is set up).
JELLYFIN, EMBY, NOT_CONFIGURED = 2, 3, 4
# server/constants/user.ts UserType (Overseerr's declares JELLYFIN too, never sets it).
PLEX_USER, LOCAL_USER, JELLYFIN_USER, EMBY_USER = 1, 2, 3, 4
# server/lib/permissions.ts (a bit mask; ADMIN holds every permission: hasPermission).
ADMIN, MANAGE_REQUESTS, REQUEST, REQUEST_VIEW = 2, 16, 32, 16384
MANAGE_ISSUES, VIEW_ISSUES, CREATE_ISSUES = 1048576, 2097152, 4194304


@dataclass
class User:
    id: int
    email: str  # lower-cased, as the column's transformer stores it
    username: str = ""
    plex_username: str = ""
    permissions: int = REQUEST  # settings.ts: defaultPermissions is REQUEST
    user_type: int = LOCAL_USER
    jellyfin_username: str = ""  # Jellyseerr's and Seerr's column

    def has_permission(self, *wanted: int) -> bool:
        """permissions.ts hasPermission with type 'or'."""
        return bool(self.permissions & ADMIN) or any(self.permissions & one for one in wanted)

    @property
    def display_name(self) -> str:
        # User.ts setDisplayName: username || plexUsername || email; Jellyseerr's and
        # Seerr's put jellyfinUsername before the e-mail (Overseerr has no such column).
        return self.username or self.plex_username or self.jellyfin_username or self.email

    def as_json(self, *, show_filtered: bool) -> dict[str, Any]:
        """The entity as res.json shows it. ``email`` and ``plexId`` are left out only
        where a route filters them (User.filter / filterMany: GET /user to one without
        MANAGE_USERS); an issue's or a request's users show them (issue.ts and request.ts
        answer the entity)."""
        shown: dict[str, Any] = {
            "id": self.id,
            "displayName": self.display_name,
            "username": self.username or None,
            "plexUsername": self.plex_username or None,
            "jellyfinUsername": self.jellyfin_username or None,
            "userType": self.user_type,
            "permissions": self.permissions,
            "avatar": "/os_logo_square.png",
        }
        if show_filtered:  # User.filteredFields = ['email', 'plexId']
            shown["email"] = self.email
        return shown


@dataclass
class Media:
    id: int
    media_type: str  # "movie" or "tv"
    tmdb_id: int
    tvdb_id: int | None = None
    status: int = 1
    status4k: int = 1
    title: str = ""  # TMDB's, as IssueSubscriber.ts reads it for the subject

    def as_json(self) -> dict[str, Any]:
        """server/entity/Media.ts' columns Taggarr reads (the rest left out)."""
        return {
            "id": self.id,
            "mediaType": self.media_type,
            "tmdbId": self.tmdb_id,
            "tvdbId": self.tvdb_id,
            "status": self.status,
            "status4k": self.status4k,
        }


@dataclass
class MediaRequest:
    """server/entity/MediaRequest.ts: ``media``, ``requestedBy`` and ``modifiedBy`` are
    eager relations, so GET /request/:id answers them with the request."""

    id: int
    media: Media
    requested_by: User
    status: int = REQUEST_APPROVED
    is4k: bool = False
    modified_by: User | None = None
    seasons: tuple[int, ...] = ()  # a series request's SeasonRequest rows' seasonNumber


@dataclass
class Comment:
    id: int
    user: User
    message: str


@dataclass
class Issue:
    id: int
    issue_type: int
    media: Media
    created_by: User
    status: int = ISSUE_OPEN
    comments: list[Comment] = field(default_factory=list)
    problem_season: int = 0  # Issue.ts: 0, every season, by default
    problem_episode: int = 0


@dataclass
class Webhook:
    """The agent's settings (NotificationAgentWebhook): where, the Authorization header,
    the template (the JSON text; Seerr keeps it base64), the ticked types' sum."""

    url: str = ""
    auth_header: str = ""
    json_payload: str = ""
    types: int = 0


class FakeSeerrState:
    def __init__(self, *, api_key: str, app: str = "overseerr", version: str = "1.33.2") -> None:
        self.api_key = api_key
        self.app = app
        self.version = version
        self.lock = threading.RLock()
        self.users: dict[int, User] = {}
        self.media: dict[int, Media] = {}
        self.issues: dict[int, Issue] = {}
        self.requests: dict[int, MediaRequest] = {}
        self.webhook = Webhook()
        self.requests_seen: list[tuple[str, str]] = []  # (method, path) of each request
        # Jellyseerr's settings/public mediaServerType: Jellyfin here; NOT_CONFIGURED (4)
        # is what a Jellyseerr whose media server is not set up yet answers.
        self.media_server_type = JELLYFIN
        # A fault: TMDB unreachable. GET /movie/:id and /tv/:id answer 500 (movie.ts,
        # tv.ts) and the issue subscribers, which read the title from TMDB first, send
        # nothing (IssueSubscriber.ts, IssueCommentSubscriber.ts: caught and logged).
        self.tmdb_down = False
        # The subscribers' notifications are not awaited (IssueSubscriber.afterInsert and
        # IssueCommentSubscriber.afterInsert call an async function without await;
        # NotificationManager.sendNotification does not await agent.send): the webhook
        # goes after TMDB answered, while or after the route answers. The fake sends it
        # from a thread; ``webhook_before_answer`` holds the answer until it went, the
        # other order Seerr allows (TMDB's answer cached, the database slower).
        self.webhook_before_answer = False
        # IssueCommentSubscriber: what a comment after the first sets off, wired by the
        # server (webhook.py sends it; this module knows nothing of the agent).
        self.comment_added: Callable[[Issue, Comment], None] | None = None
        self.deliveries: list[tuple[str, int | None]] = []  # (type, the webhook's status)
        self._pending: list[threading.Thread] = []
        self._next_comment = 1
        # A fault: comments held on their way in, then answered 503 unprocessed — a
        # request that never reached Seerr (hold_comments, wait_held, release_held).
        self._hold_comments = False
        # A fault: a request done (saved, its webhook sent) whose answer is held until
        # released — Seerr answering after the caller's timeout, or to a killed caller
        # (answer_late, wait_held, release_held).
        self._late: tuple[str, str] | None = None
        self._held = threading.Event()
        self._released = threading.Event()
        self.add_user("admin@example.org", username="admin", permissions=ADMIN)  # the owner

    def add_user(
        self,
        email: str,
        *,
        username: str = "",
        plex_username: str = "",
        permissions: int = REQUEST,
        user_type: int = LOCAL_USER,
    ) -> User:
        with self.lock:
            user = User(
                len(self.users) + 1, email.lower(), username, plex_username, permissions, user_type
            )
            self.users[user.id] = user
            return user

    def import_jellyfin_user(self, name: str, *, permissions: int = REQUEST) -> User:
        """Jellyseerr's and Seerr's POST /user/import-from-jellyfin
        (server/routes/user/index.ts): the Jellyfin user's name is stored as their
        ``email`` too (lower-cased by the column's transformer), their kind JELLYFIN
        (EMBY on an Emby server)."""
        with self.lock:
            kind = EMBY_USER if self.media_server_type == EMBY else JELLYFIN_USER
            user = self.add_user(name, permissions=permissions, user_type=kind)
            user.jellyfin_username = name
            return user

    def add_media(
        self,
        media_type: str,
        tmdb_id: int,
        *,
        tvdb_id: int | None = None,
        status: int = 1,
        title: str = "",
    ) -> Media:
        with self.lock:
            media = Media(len(self.media) + 1, media_type, tmdb_id, tvdb_id, status, 1, title)
            self.media[media.id] = media
            return media

    def add_request(
        self,
        media: Media,
        requested_by: User,
        *,
        status: int = REQUEST_APPROVED,
        seasons: tuple[int, ...] = (),
    ) -> MediaRequest:
        """A request; ``seasons``: a series request's seasons (MediaRequest.seasons)."""
        with self.lock:
            request = MediaRequest(len(self.requests) + 1, media, requested_by, status)
            request.seasons = seasons
            self.requests[request.id] = request
            return request

    def add_issue(
        self,
        issue_type: int,
        media: Media,
        created_by: User,
        message: str,
        *,
        problem_season: int = 0,
    ) -> Issue:
        with self.lock:
            issue = Issue(len(self.issues) + 1, issue_type, media, created_by)
            issue.problem_season = problem_season
            self.issues[issue.id] = issue
            self.add_comment(issue, created_by, message)  # issue.ts: the first comment
            return issue

    def add_comment(self, issue: Issue, user: User, message: str) -> Comment:
        """A comment by ``user``; after the issue's first one (its message), ISSUE_COMMENT
        goes through the webhook agent with ``user`` as commentedBy
        (IssueCommentSubscriber.ts: afterInsert, skipped for the first comment)."""
        with self.lock:
            comment = Comment(self._next_comment, user, message)
            self._next_comment += 1
            issue.comments.append(comment)
            if len(issue.comments) > 1 and self.comment_added is not None:
                self.comment_added(issue, comment)
            return comment

    # --- the subscribers' webhook deliveries ------------------------------------------

    def pending_delivery(self, thread: threading.Thread) -> None:
        with self.lock:
            self._pending.append(thread)  # kept: a fake lives for one test or session

    def deliveries_started(self) -> int:
        return len(self._pending)

    def deliveries_since(self, started: int) -> list[threading.Thread]:
        with self.lock:
            return self._pending[started:]

    def wait_deliveries(self, timeout: float = 10.0) -> bool:
        """Wait for the webhook deliveries started so far; False if one still runs."""
        deadline = time.monotonic() + timeout
        with self.lock:
            pending = list(self._pending)
        for thread in pending:
            thread.join(max(0.0, deadline - time.monotonic()))
        return not any(thread.is_alive() for thread in pending)

    def media_status_name(self, status: int) -> str:
        names = {JELLYSEERR_APP: JELLYSEERR_MEDIA_STATUS, SEERR_APP: SEERR_MEDIA_STATUS}.get(
            self.app, MEDIA_STATUS
        )
        return names.get(status, "")

    # --- faults ---------------------------------------------------------------------

    def hold_comments(self) -> None:
        self._released.clear()
        self._held.clear()
        self._hold_comments = True

    def answer_late(self, method: str, path_end: str) -> None:
        """The next requests ``method`` to a path ending in ``path_end`` are done, then
        their answers held until release_held (or the route's limit)."""
        self._released.clear()
        self._held.clear()
        self._late = (method, path_end)

    def answers_late(self, method: str, path: str) -> bool:
        late = self._late
        return late is not None and method == late[0] and path.rstrip("/").endswith(late[1])

    def holds(self, method: str, path: str) -> bool:
        return self._hold_comments and method == "POST" and path.endswith("/comment")

    def hold(self, limit: float) -> None:
        """Called by the route, outside the lock: held until released (or ``limit``)."""
        self._held.set()
        self._released.wait(limit)

    def wait_held(self, timeout: float) -> bool:
        return self._held.wait(timeout)

    def release_held(self) -> None:
        self._hold_comments = False
        self._late = None
        self._released.set()
