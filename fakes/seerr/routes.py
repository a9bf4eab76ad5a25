"""The routes the fake answers (docs/seerr.md), under /api/v1:

- GET /status and /settings/public (no key needed), GET /auth/me, GET /user?take=&skip=
- GET /media?take=&skip=&filter=&sort=, GET /request/:requestId
- GET /movie/:tmdbId and /tv/:tmdbId (TMDB's details, with the media row as mediaInfo)
- GET /issue?take=&skip=&sort=&filter=, GET /issue/:id, POST /issue,
  POST /issue/:id/comment, POST /issue/:id/resolved and /open

A request goes through what Seerr runs before a route (server/index.ts): the OpenAPI
validator (express-openapi-validator 4.13.8 over overseerr-api.yml, jellyseerr-api.yml)
answers an unknown path 404, a request with neither the cookie ``connect.sid`` nor an
``X-Api-Key`` header 401 (the spec's ``security``: cookieAuth or apiKey), a parameter
out of its schema 400; then checkUser (server/middleware/auth.ts: the key acts as user 1,
or as X-API-User's) and isAuthenticated, 403 without a user or the permission a route
needs. A route's own refusal is index.ts' error handler's ``{"message": ...}``.
"""

from __future__ import annotations

import json
import re
from typing import Any

from fakes.http import Request, Response
from fakes.seerr.state import (
    CREATE_ISSUES,
    ISSUE_OPEN,
    ISSUE_RESOLVED,
    JELLYSEERR_LINE,
    MANAGE_ISSUES,
    MANAGE_REQUESTS,
    REQUEST_VIEW,
    VIEW_ISSUES,
    FakeSeerrState,
    Issue,
    Media,
    MediaRequest,
    User,
)
from fakes.seerr.webhook import Notification, send_later

API = "/api/v1"
# server/middleware/auth.ts isAuthenticated.
FORBIDDEN = {"status": 403, "error": "You do not have permission to access this endpoint"}
HOLD_LIMIT = 60.0  # a held request's longest wait (a test that forgot to release it)
DELIVERY_WAIT = 10.0  # webhook_before_answer: the longest the answer waits for the webhook

# The spec's paths the fake answers (overseerr-api.yml; jellyseerr-api.yml has the same):
# (method, OpenAPI path, whether it needs security, the path parameters typed number).
# ``security: []`` on /status and /settings/public; the document's ``security`` (cookieAuth
# or apiKey) everywhere else.
ROUTES: list[tuple[str, str, bool, tuple[str, ...]]] = [
    ("GET", "/status", False, ()),
    ("GET", "/settings/public", False, ()),
    ("GET", "/auth/me", True, ()),
    ("GET", "/user", True, ()),
    ("GET", "/media", True, ()),
    ("GET", "/request/{requestId}", True, ()),  # type: string
    ("GET", "/movie/{movieId}", True, ("movieId",)),
    ("GET", "/tv/{tvId}", True, ("tvId",)),
    ("GET", "/issue", True, ()),
    ("POST", "/issue", True, ()),
    ("GET", "/issue/{issueId}", True, ("issueId",)),
    ("POST", "/issue/{issueId}/comment", True, ("issueId",)),
    ("POST", "/issue/{issueId}/{status}", True, ()),  # issueId: string; status: an enum
]
# GET /media's query (overseerr-api.yml /media): filter and sort are enums.
MEDIA_FILTERS = ("all", "available", "partial", "allavailable", "processing", "pending")
MEDIA_SORTS = ("added", "modified", "mediaAdded")
# GET /issue's query (overseerr-api.yml /issue): the same enums in jellyseerr-api.yml.
ISSUE_FILTERS = ("all", "open", "resolved")
ISSUE_SORTS = ("added", "modified")


def handle(state: FakeSeerrState, request: Request) -> Response:
    if state.holds(request.method, request.path):
        state.hold(HOLD_LIMIT)
        return Response.json(503, {"status": 503, "message": "held by the test: not processed"})
    late = state.answers_late(request.method, request.path)
    with state.lock:
        started = state.deliveries_started()
        state.requests_seen.append((request.method, request.path))
        response = _answer(state, request)
        waits = state.webhook_before_answer or late
        delivering = state.deliveries_since(started) if waits else []
    for thread in delivering:  # outside the lock: the delivery renders under it
        thread.join(DELIVERY_WAIT)
    if late:  # done, its webhook sent and answered: only the answer is held
        state.hold(HOLD_LIMIT)
    return response


def _answer(state: FakeSeerrState, request: Request) -> Response:
    if not request.path.startswith(API + "/"):
        return Response.json(404, {"status": 404, "message": "Not Found"})
    path = request.path[len(API) :].rstrip("/") or "/"
    matched = _route(request.method, path)
    if isinstance(matched, Response):
        return matched
    template, secured, numbers, params = matched
    route = API + template
    if secured and not _credentials(request):
        # openapi.security.js: neither scheme's credentials; the first one's error
        # (cookieAuth) with the route's OpenAPI path: HttpError's errors [{path, message}].
        return _validator_error(401, route, "cookie 'connect.sid' required")
    refused = _invalid(request, template, numbers, params)
    if refused is not None:
        return refused
    if template == "/status":
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
    if template == "/settings/public":
        # routes/index.ts, answered to anyone; Jellyseerr's fullPublicSettings adds
        # mediaServerType (NOT_CONFIGURED until a media server is set up),
        # Overseerr's PublicSettingsResponse has none.
        public: dict[str, Any] = {"initialized": True, "applicationTitle": state.app}
        if state.app in JELLYSEERR_LINE:
            public["mediaServerType"] = state.media_server_type
        return Response.json(200, public)
    user = _user(state, request)
    if user is None:
        return Response.json(403, FORBIDDEN)
    return _authenticated(state, request, template, params, user)


def _route(method: str, path: str) -> tuple[str, bool, tuple[str, ...], dict[str, str]] | Response:
    """openapi.metadata.js: the spec's path the request's matches; a known path with
    another method answers 405, an unknown one 404 (the path as requested)."""
    allowed: list[str] = []
    for route_method, template, secured, numbers in ROUTES:
        pattern = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template)
        found = re.fullmatch(pattern, path)
        if found is None:
            continue
        if route_method != method:
            allowed.append(route_method)
            continue
        if "{status}" in template and found["status"] == "comment":
            continue  # POST /issue/{issueId}/comment comes first in the spec
        return template, secured, numbers, found.groupdict()
    if allowed:
        return _validator_error(405, API + path, f"{method} method not allowed")
    return _validator_error(404, API + path, "not found")


def _credentials(request: Request) -> bool:
    """openapi.security.js AuthValidator.validateApiKey: the header (or cookie) is there
    and not empty; whether the key is Seerr's is checkUser's to say (403)."""
    if request.headers.get("x-api-key"):
        return True
    cookies = request.headers.get("cookie", "")
    return any(part.strip().startswith("connect.sid=") for part in cookies.split(";"))


def _invalid(
    request: Request, template: str, numbers: tuple[str, ...], params: dict[str, str]
) -> Response | None:
    """openapi.request.validator.js (ajv, coerceTypes): the first schema a request
    breaks, as ajvErrorsToValidatorError and errorsText("request") word it."""
    for name in numbers:
        if not _is_number(params[name]):
            return _schema_error(f".params.{name}", "should be number", "type")
    if template == "/issue/{issueId}/{status}" and params["status"] not in ("open", "resolved"):
        return _schema_error(
            ".params.status", "should be equal to one of the allowed values: open, resolved", "enum"
        )
    if template in ("/media", "/issue") and request.method == "GET":
        filters, sorts = (
            (MEDIA_FILTERS, MEDIA_SORTS) if template == "/media" else (ISSUE_FILTERS, ISSUE_SORTS)
        )
        for name in ("take", "skip"):
            given = request.query.get(name, [""])[0]
            if given and not _is_number(given):
                return _schema_error(f".query.{name}", "should be number", "type")
        for name, allowed in (("filter", filters), ("sort", sorts)):
            given = request.query.get(name, [""])[0]
            if given and given not in allowed:
                words = ", ".join(allowed)
                return _schema_error(
                    f".query.{name}",
                    f"should be equal to one of the allowed values: {words}",
                    "enum",
                )
    if template == "/issue/{issueId}/comment" and "message" not in _body(request):
        # The requestBody's schema: required [message] (an absent body is {}).
        return _schema_error(".body.message", "should have required property 'message'", "required")
    return None


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _schema_error(path: str, message: str, keyword: str) -> Response:
    error = {"path": path, "message": message, "errorCode": f"{keyword}.openapi.validation"}
    data_path = path.rsplit(".", 1)[0] if keyword == "required" else path
    return Response.json(400, {"message": f"request{data_path} {message}", "errors": [error]})


def _validator_error(status: int, path: str, message: str) -> Response:
    # framework/types.js HttpError: errors default to [{path, message}]; server/index.ts'
    # error handler answers {message, errors}.
    return Response.json(
        status, {"message": message, "errors": [{"path": path, "message": message}]}
    )


def _refused(status: int, message: str) -> Response:
    """A route's next({status, message}): index.ts' handler answers {message, errors}
    with errors undefined, so left out of the JSON."""
    return Response.json(status, {"message": message})


def _user(state: FakeSeerrState, request: Request) -> User | None:
    if request.headers.get("x-api-key") != state.api_key:
        return None
    acting = request.headers.get("x-api-user", "1")
    return state.users.get(int(acting)) if acting.isdigit() else None


def _authenticated(
    state: FakeSeerrState, request: Request, template: str, params: dict[str, str], user: User
) -> Response:
    if template == "/auth/me":
        return Response.json(200, user.as_json(show_filtered=True))
    if template == "/user":
        # routes/user/index.ts: ordered by id, 10 a page.
        users = sorted(state.users.values(), key=lambda one: one.id)
        page, info = _page(request, users, default_take=10)
        return Response.json(
            200,
            {
                "pageInfo": info,
                "results": [one.as_json(show_filtered=user.id == 1) for one in page],
            },
        )
    if template == "/media":
        return _media_page(state, request)
    if template == "/request/{requestId}":
        return _request(state, params["requestId"], user)
    if template in ("/movie/{movieId}", "/tv/{tvId}"):
        kind = "movie" if template.startswith("/movie") else "tv"
        return _details(state, kind, int(float(params["movieId" if kind == "movie" else "tvId"])))
    return _issue_route(state, request, template, params, user)


def _media_page(state: FakeSeerrState, request: Request) -> Response:
    """server/routes/media.ts GET /: 20 a page, newest id first (``sort=added``, the
    default), ``filter`` on the status; any user (routes/index.ts: isAuthenticated())."""
    statuses: dict[str, tuple[int, ...]] = {
        "available": (5,),
        "partial": (4,),
        "allavailable": (5, 4),
        "processing": (3,),
        "pending": (2,),
    }
    wanted = statuses.get(request.query.get("filter", [""])[0])
    media = [one for one in state.media.values() if wanted is None or one.status in wanted]
    # "modified" (updatedAt) and "mediaAdded" (mediaAddedAt) are not kept: id stands in.
    media.sort(key=lambda one: one.id, reverse=True)
    page, info = _page(request, media, default_take=20)
    return Response.json(200, {"pageInfo": info, "results": [one.as_json() for one in page]})


def _request(state: FakeSeerrState, given: str, user: User) -> Response:
    """server/routes/request.ts GET /:requestId: the request with its eager relations
    (MediaRequest.ts: media, requestedBy, modifiedBy, seasons), no TMDB call; one's own
    request, or any with MANAGE_REQUESTS or REQUEST_VIEW; 404 "Request not found."."""
    found = state.requests.get(int(given)) if given.isdigit() else None
    if found is None:
        return _refused(404, "Request not found.")
    if found.requested_by.id != user.id and not user.has_permission(MANAGE_REQUESTS, REQUEST_VIEW):
        return _refused(403, "You do not have permission to view this request.")
    return Response.json(200, _request_json(found))


def _request_json(request: MediaRequest, *, with_media: bool = True) -> dict[str, Any]:
    shown: dict[str, Any] = {
        "id": request.id,
        "status": request.status,
        "type": request.media.media_type,
        "is4k": request.is4k,
        "requestedBy": request.requested_by.as_json(show_filtered=True),
        "modifiedBy": (
            request.modified_by.as_json(show_filtered=True) if request.modified_by else None
        ),
        # SeasonRequest rows (eager): their seasonNumber and status (the request's here).
        "seasons": [
            {"id": request.id * 100 + number, "seasonNumber": number, "status": request.status}
            for number in request.seasons
        ],
        "seasonCount": len(request.seasons),
    }
    if with_media:
        shown["media"] = request.media.as_json()
    return shown


def _details(state: FakeSeerrState, kind: str, tmdb_id: int) -> Response:
    """server/routes/movie.ts and tv.ts GET /:id: TMDB's details first (500 "Unable to
    retrieve movie." / "Unable to retrieve series." when TMDB fails), then
    Media.getMedia (tmdbId and mediaType, with its requests and issues) as mediaInfo:
    models/Movie.ts and Tv.ts set ``mediaInfo: media``, undefined without a row, so the
    key is then absent from the JSON."""
    if state.tmdb_down:
        return _refused(500, f"Unable to retrieve {'movie' if kind == 'movie' else 'series'}.")
    found = [
        one for one in state.media.values() if one.media_type == kind and one.tmdb_id == tmdb_id
    ]
    details: dict[str, Any] = {"id": tmdb_id}  # TMDB's part: the fake knows no more
    if found:
        media: Media = found[0]
        details["title" if kind == "movie" else "name"] = media.title
        details["mediaInfo"] = {
            **media.as_json(),
            "requests": [
                _request_json(one, with_media=False)
                for one in state.requests.values()
                if one.media is media
            ],
            "issues": [
                {"id": one.id, "issueType": one.issue_type, "status": one.status}
                for one in state.issues.values()
                if one.media is media
            ],
        }
    return Response.json(200, details)


def _issue_route(
    state: FakeSeerrState,
    request: Request,
    template: str,
    params: dict[str, str],
    user: User,
) -> Response:
    if template == "/issue" and request.method == "GET":
        return _issue_page(state, request, user)
    if template == "/issue":
        # issue.ts: isAuthenticated([MANAGE_ISSUES, CREATE_ISSUES], {type: 'or'})
        if not user.has_permission(MANAGE_ISSUES, CREATE_ISSUES):
            return Response.json(403, FORBIDDEN)
        body = _body(request)
        media_id = body.get("mediaId")
        media = state.media.get(media_id) if isinstance(media_id, int) else None
        if media is None:
            return _refused(404, "Media does not exist.")
        season = body.get("problemSeason", 0)  # issue.ts: req.body.problemSeason
        opened = state.add_issue(
            int(body.get("issueType", 4)),
            media,
            user,
            str(body.get("message", "")),
            problem_season=season if isinstance(season, int) else 0,
        )
        # IssueSubscriber.afterInsert: ISSUE_CREATED for every issue saved (the first
        # comment's insert sends nothing: IssueCommentSubscriber skips it).
        send_later(state, Notification.issue_created(opened))
        return Response.json(200, _issue_json(opened))
    if template == "/issue/{issueId}":
        # issue.ts GET /:issueId: isAuthenticated([MANAGE, VIEW, CREATE], 'or'); another's
        # issue needs MANAGE_ISSUES or VIEW_ISSUES.
        if not user.has_permission(MANAGE_ISSUES, VIEW_ISSUES, CREATE_ISSUES):
            return Response.json(403, FORBIDDEN)
        issue = _issue(state, params["issueId"])
        if issue is None:
            return _refused(500, "Issue not found.")
        if issue.created_by.id != user.id and not user.has_permission(MANAGE_ISSUES, VIEW_ISSUES):
            return _refused(403, "You do not have permission to view this issue.")
        return Response.json(200, _issue_json(issue))
    # POST /:issueId/comment and /:issueId/:status: isAuthenticated([MANAGE_ISSUES,
    # CREATE_ISSUES], 'or'), then the issue (its catch-all: 500 "Issue not found.").
    if not user.has_permission(MANAGE_ISSUES, CREATE_ISSUES):
        return Response.json(403, FORBIDDEN)
    issue = _issue(state, params["issueId"])
    if issue is None:
        return _refused(500, "Issue not found.")
    mine = issue.created_by.id == user.id
    if template == "/issue/{issueId}/comment":
        if not (mine or user.has_permission(MANAGE_ISSUES)):
            return _refused(403, "You do not have permission to comment on this issue.")
        # IssueCommentSubscriber.afterInsert sends ISSUE_COMMENT (state.add_comment).
        state.add_comment(issue, user, str(_body(request).get("message", "")))
        return Response.json(200, _issue_json(issue))
    if not (mine or user.has_permission(MANAGE_ISSUES)):
        return _refused(401, "You do not have permission to modify this issue.")
    # The validator refused any other word (400); issue.ts' own 400 is not reached.
    wanted = ISSUE_RESOLVED if params["status"] == "resolved" else ISSUE_OPEN
    if issue.status != wanted:
        issue.status = wanted
        # IssueSubscriber.beforeUpdate: ISSUE_RESOLVED / ISSUE_REOPENED on a change.
        send_later(state, Notification.issue_status(issue))
    return Response.json(200, _issue_json(issue))


def _issue_page(state: FakeSeerrState, request: Request, user: User) -> Response:
    """server/routes/issue.ts GET /: isAuthenticated([MANAGE, VIEW, CREATE], 'or'); 10 a
    page, newest first (``sort=added``: createdAt; the fake's ids stand in), ``filter``
    on the status (the spec's default ``open``: Taggarr sends one), one's own issues
    only without MANAGE_ISSUES or VIEW_ISSUES. A query builder: createdBy, media and
    modifiedBy joined, the comments not (an eager relation is loaded by find only)."""
    if not user.has_permission(MANAGE_ISSUES, VIEW_ISSUES, CREATE_ISSUES):
        return Response.json(403, FORBIDDEN)
    wanted = request.query.get("filter", ["open"])[0]
    statuses = {"open": (ISSUE_OPEN,), "resolved": (ISSUE_RESOLVED,)}.get(
        wanted, (ISSUE_OPEN, ISSUE_RESOLVED)
    )
    issues = [one for one in state.issues.values() if one.status in statuses]
    if not user.has_permission(MANAGE_ISSUES, VIEW_ISSUES):
        issues = [one for one in issues if one.created_by.id == user.id]
    issues.sort(key=lambda one: one.id, reverse=True)
    page, info = _page(request, issues, default_take=10)
    rows = []
    for one in page:
        row = _issue_json(one)
        del row["comments"]
        rows.append(row)
    return Response.json(200, {"pageInfo": info, "results": rows})


def _issue(state: FakeSeerrState, given: str) -> Issue | None:
    # findOneOrFail({id: Number(issueId)}): NaN or a fraction finds none.
    return state.issues.get(int(given)) if given.isdigit() else None


def _page(
    request: Request, rows: list[Any], *, default_take: int
) -> tuple[list[Any], dict[str, int]]:
    """The routes' paging: ``take`` (pageSize) and ``skip``; pages Math.ceil(count /
    pageSize), page Math.ceil(skip / pageSize) + 1."""
    take = _number(request, "take", default_take)
    skip = _number(request, "skip", 0)
    pages = -(-len(rows) // take) if take else 0
    page = -(-skip // take) + 1 if take else 1
    info = {"pages": pages, "pageSize": take, "results": len(rows), "page": page}
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
    # issue.ts answers the entity: its users' e-mails are not filtered (User.filter is
    # not called there).
    return {
        "id": issue.id,
        "issueType": issue.issue_type,
        "status": issue.status,
        "problemSeason": issue.problem_season,
        "problemEpisode": issue.problem_episode,
        "media": issue.media.as_json(),
        "createdBy": issue.created_by.as_json(show_filtered=True),
        "comments": [
            {"id": one.id, "message": one.message, "user": one.user.as_json(show_filtered=True)}
            for one in issue.comments
        ],
    }
