"""The routes the fake answers (docs/seerr.md), under /api/v1:

- GET /status and /settings/public (no key needed), GET /auth/me, GET /user?take=&skip=
- GET /media?take=&skip=, GET /movie/:tmdbId and /tv/:tmdbId (mediaInfo)
- GET /issue/:id, POST /issue, POST /issue/:id/comment, POST /issue/:id/resolved and /open

The key is the X-Api-Key header (user 1, or X-API-User's: server/middleware/auth.ts);
without it 403 as isAuthenticated answers, and as it answers a user without the
permission a route needs (opening an issue: CREATE_ISSUES or MANAGE_ISSUES; commenting
on or closing another's: MANAGE_ISSUES). An unknown issue answers 500 "Issue not found." as the
routes' catch-all does.
"""

from __future__ import annotations

import json
from typing import Any

from fakes.http import Request, Response
from fakes.seerr.state import (
    CREATE_ISSUES,
    ISSUE_OPEN,
    ISSUE_RESOLVED,
    MANAGE_ISSUES,
    FakeSeerrState,
    Issue,
    User,
)
from fakes.seerr.webhook import Notification, send

API = "/api/v1"
FORBIDDEN = {"status": 403, "error": "You do not have permission to access this endpoint"}


HOLD_LIMIT = 60.0  # a held request's longest wait (a test that forgot to release it)


def handle(state: FakeSeerrState, request: Request) -> Response:
    if state.holds(request.method, request.path):
        state.hold(HOLD_LIMIT)
        return Response.json(503, {"status": 503, "message": "held by the test: not processed"})
    with state.lock:
        state.requests_seen.append((request.method, request.path))
        if not request.path.startswith(API):
            return Response.json(404, {"status": 404, "message": "Not Found"})
        path = request.path[len(API) :].rstrip("/")
        if request.method == "GET" and path == "/status":
            return Response.json(
                200,
                {
                    "version": state.version,
                    "commitTag": "local",
                    "updateAvailable": False,
                    "commitsBehind": 0,
                    "restartRequired": False,
                },
            )
        if request.method == "GET" and path == "/settings/public":
            # routes/index.ts, answered to anyone; Jellyseerr's fullPublicSettings adds
            # mediaServerType (2: Jellyfin), Overseerr's PublicSettingsResponse has none.
            public: dict[str, Any] = {"initialized": True, "applicationTitle": state.app}
            if state.app == "jellyseerr":
                public["mediaServerType"] = 2
            return Response.json(200, public)
        user = _user(state, request)
        if user is None:
            return Response.json(403, FORBIDDEN)
        return _authenticated(state, request, path, user)


def _user(state: FakeSeerrState, request: Request) -> User | None:
    if request.headers.get("x-api-key") != state.api_key:
        return None
    acting = request.headers.get("x-api-user", "1")
    return state.users.get(int(acting)) if acting.isdigit() else None


def _authenticated(state: FakeSeerrState, request: Request, path: str, user: User) -> Response:
    parts = path.strip("/").split("/")
    method = request.method
    if method == "GET" and path == "/auth/me":
        return Response.json(200, user.as_json(show_filtered=True))
    if method == "GET" and path == "/user":
        users = sorted(state.users.values(), key=lambda one: one.id)
        page, info = _page(request, users)
        return Response.json(
            200,
            {
                "pageInfo": info,
                "results": [one.as_json(show_filtered=user.id == 1) for one in page],
            },
        )
    if method == "GET" and path == "/media":
        media = sorted(state.media.values(), key=lambda one: one.id)
        page, info = _page(request, media)
        results = [
            {
                "id": one.id,
                "mediaType": one.media_type,
                "tmdbId": one.tmdb_id,
                "tvdbId": one.tvdb_id,
                "status": one.status,
                "status4k": one.status4k,
            }
            for one in page
        ]
        return Response.json(200, {"pageInfo": info, "results": results})
    if method == "GET" and len(parts) == 2 and parts[0] in ("movie", "tv") and parts[1].isdigit():
        # movie.ts / tv.ts: TMDB's details with the media row as mediaInfo (TMDB's part is
        # left out here: the fake knows no titles).
        found = [
            one
            for one in state.media.values()
            if one.media_type == parts[0] and one.tmdb_id == int(parts[1])
        ]
        media_info: dict[str, int] | None = (
            {"id": found[0].id, "tmdbId": found[0].tmdb_id, "status": found[0].status}
            if found
            else None
        )
        return Response.json(200, {"id": int(parts[1]), "mediaInfo": media_info})
    if parts[0] == "issue":
        return _issue_route(state, request, parts[1:], user)
    return Response.json(404, {"status": 404, "message": "Not Found"})


def _issue_route(state: FakeSeerrState, request: Request, parts: list[str], user: User) -> Response:
    if request.method == "POST" and not parts:
        # issue.ts: isAuthenticated([MANAGE_ISSUES, CREATE_ISSUES], {type: 'or'})
        if not user.has_permission(MANAGE_ISSUES, CREATE_ISSUES):
            return Response.json(403, FORBIDDEN)
        body = _body(request)
        media_id = body.get("mediaId")
        media = state.media.get(media_id) if isinstance(media_id, int) else None
        if media is None:
            return Response.json(404, {"status": 404, "message": "Media does not exist."})
        opened = state.add_issue(
            int(body.get("issueType", 4)), media, user, str(body.get("message", ""))
        )
        if state.notify_created:
            note = Notification("ISSUE_CREATED", media=media, issue=opened)
            state.created_answers.append(send(state, note))
        return Response.json(200, _issue_json(opened))
    issue = state.issues.get(int(parts[0])) if parts and parts[0].isdigit() else None
    if issue is None:
        return Response.json(500, {"status": 500, "message": "Issue not found."})
    if request.method == "GET" and len(parts) == 1:
        return Response.json(200, _issue_json(issue))
    # issue.ts: commenting on or closing another's issue needs MANAGE_ISSUES.
    mine = issue.created_by.id == user.id
    if (
        request.method == "POST"
        and len(parts) == 2
        and not (mine or user.has_permission(MANAGE_ISSUES))
    ):
        return Response.json(403, FORBIDDEN)
    if request.method == "POST" and parts[1:] == ["comment"]:
        state.add_comment(issue, user, str(_body(request).get("message", "")))
        return Response.json(200, _issue_json(issue))
    if request.method == "POST" and len(parts) == 2:
        statuses = {"resolved": ISSUE_RESOLVED, "open": ISSUE_OPEN}
        if parts[1] not in statuses:
            return Response.json(400, {"status": 400, "message": "You must provide a valid status"})
        issue.status = statuses[parts[1]]
        return Response.json(200, _issue_json(issue))
    return Response.json(404, {"status": 404, "message": "Not Found"})


def _page(request: Request, rows: list[Any]) -> tuple[list[Any], dict[str, int]]:
    take = _number(request, "take", 10)
    skip = _number(request, "skip", 0)
    pages = -(-len(rows) // take) if take else 0
    info = {
        "pages": pages,
        "pageSize": take,
        "results": len(rows),
        "page": skip // max(take, 1) + 1,
    }
    return rows[skip : skip + take], info


def _number(request: Request, name: str, default: int) -> int:
    given = request.query.get(name, [""])[0]
    return int(given) if given.isdigit() else default


def _body(request: Request) -> dict[str, Any]:
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _issue_json(issue: Issue) -> dict[str, Any]:
    return {
        "id": issue.id,
        "issueType": issue.issue_type,
        "status": issue.status,
        "media": {
            "id": issue.media.id,
            "tmdbId": issue.media.tmdb_id,
            "mediaType": issue.media.media_type,
        },
        "createdBy": issue.created_by.as_json(show_filtered=False),
        "comments": [
            {"id": one.id, "message": one.message, "user": one.user.as_json(show_filtered=False)}
            for one in issue.comments
        ],
    }
