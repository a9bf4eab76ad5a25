"""The fake Seerr's API as the real servers answer it (Overseerr 1.34.0, Jellyseerr
2.3.0, run on this machine: docs/seerr.md): the OpenAPI validator before the routes
(server/index.ts), isAuthenticated's 403, the routes' own refusals (server/routes/
issue.ts, request.ts, media.ts, movie.ts, tv.ts)."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from fakes.seerr import FakeSeerr
from fakes.seerr.state import CREATE_ISSUES, MANAGE_ISSUES, REQUEST, REQUEST_VIEW, User
from scanner.seerr.client import JELLYSEERR, SeerrClient, SeerrConfig
from tests.fakes.seerr.conftest import KEY

AUDIO = 2


def call(
    seerr: FakeSeerr,
    method: str,
    path: str,
    *,
    user: User | None = None,
    key: str | None = KEY,
    **kwargs: Any,
) -> tuple[int, Any]:
    headers = {} if key is None else {"X-Api-Key": key}
    if user is not None:
        headers["X-API-User"] = str(user.id)
    headers.update(kwargs.pop("headers", {}))
    answer = requests.request(
        method, f"{seerr.url}/api/v1{path}", headers=headers, timeout=10, **kwargs
    )
    return answer.status_code, answer.json()


# --- the key -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "route"),
    [
        ("/auth/me", "/api/v1/auth/me"),
        ("/user", "/api/v1/user"),
        ("/movie/603", "/api/v1/movie/{movieId}"),
        ("/issue/1", "/api/v1/issue/{issueId}"),
    ],
)
def test_no_key_is_the_validators_401_naming_the_cookie(
    seerr: FakeSeerr, path: str, route: str
) -> None:
    """openapi.security.js: neither cookieAuth nor apiKey given; the first scheme's error,
    the spec's path (overseerr-api.yml security: cookieAuth or apiKey)."""
    message = "cookie 'connect.sid' required"
    expected = {"message": message, "errors": [{"path": route, "message": message}]}
    assert call(seerr, "GET", path, key=None) == (401, expected)
    assert call(seerr, "GET", path, key="")[0] == 401  # an empty header is none


def test_a_wrong_key_or_a_cookie_without_a_session_is_403(seerr: FakeSeerr) -> None:
    """The validator only checks a credential is there; checkUser finds no user and
    isAuthenticated answers 403 (server/middleware/auth.ts)."""
    forbidden = {"status": 403, "error": "You do not have permission to access this endpoint"}
    assert call(seerr, "GET", "/auth/me", key="not-the-key") == (403, forbidden)
    cookie = {"Cookie": "connect.sid=s%3Aunknown"}
    assert call(seerr, "GET", "/auth/me", key=None, headers=cookie) == (403, forbidden)


def test_status_and_public_settings_need_no_key(seerr: FakeSeerr) -> None:
    assert call(seerr, "GET", "/status", key=None)[0] == 200  # security: []
    assert call(seerr, "GET", "/settings/public", key=None)[0] == 200


def test_an_unknown_path_is_the_validators_404(seerr: FakeSeerr) -> None:
    expected = {
        "message": "not found",
        "errors": [{"path": "/api/v1/nowhere", "message": "not found"}],
    }
    assert call(seerr, "GET", "/nowhere", key=None) == (404, expected)


def test_a_jellyseerr_without_its_media_server_is_still_told_apart() -> None:
    """Jellyseerr's mediaServerType is NOT_CONFIGURED (4) until a media server is set up
    (settings/index.ts); the product only asks whether the key is there."""
    with FakeSeerr(api_key=KEY, app="jellyseerr", version="2.3.0") as fake:
        fake.state.media_server_type = 4
        assert call(fake, "GET", "/settings/public", key=None)[1]["mediaServerType"] == 4
        with SeerrClient(SeerrConfig(url=fake.url, api_key=KEY)) as client:
            assert client.app() == JELLYSEERR


# --- issues ----------------------------------------------------------------------------


def _two_users(seerr: FakeSeerr) -> tuple[User, User]:
    reporter = seerr.state.add_user("parent@example.org", permissions=REQUEST | CREATE_ISSUES)
    other = seerr.state.add_user("other@example.org", permissions=REQUEST | CREATE_ISSUES)
    return reporter, other


def test_another_users_issue_without_manage_issues(seerr: FakeSeerr) -> None:
    """issue.ts: a status change answers 401 "...modify...", a comment 403
    "...comment on...", a read 403 "...view..." ({message} only: index.ts' handler)."""
    reporter, other = _two_users(seerr)
    issue = seerr.state.add_issue(AUDIO, seerr.state.add_media("movie", 603), reporter, "x")
    assert call(seerr, "POST", f"/issue/{issue.id}/resolved", user=other) == (
        401,
        {"message": "You do not have permission to modify this issue."},
    )
    assert call(seerr, "POST", f"/issue/{issue.id}/open", user=other)[0] == 401
    assert call(seerr, "POST", f"/issue/{issue.id}/comment", user=other, json={"message": "y"}) == (
        403,
        {"message": "You do not have permission to comment on this issue."},
    )
    assert call(seerr, "GET", f"/issue/{issue.id}", user=other) == (
        403,
        {"message": "You do not have permission to view this issue."},
    )
    assert len(issue.comments) == 1 and issue.status == 1
    # Their own, or with MANAGE_ISSUES: taken.
    assert call(seerr, "POST", f"/issue/{issue.id}/resolved", user=reporter)[0] == 200
    other.permissions |= MANAGE_ISSUES
    assert call(seerr, "POST", f"/issue/{issue.id}/open", user=other)[0] == 200


def test_issue_routes_need_create_or_manage_issues_first(seerr: FakeSeerr) -> None:
    """isAuthenticated([MANAGE_ISSUES, CREATE_ISSUES], 'or') before the route: 403."""
    reporter, _ = _two_users(seerr)
    issue = seerr.state.add_issue(AUDIO, seerr.state.add_media("movie", 603), reporter, "x")
    reporter.permissions = REQUEST
    forbidden = {"status": 403, "error": "You do not have permission to access this endpoint"}
    body = {"message": "y"}
    assert call(seerr, "POST", f"/issue/{issue.id}/comment", user=reporter, json=body) == (
        403,
        forbidden,
    )
    assert call(seerr, "POST", f"/issue/{issue.id}/resolved", user=reporter) == (403, forbidden)


def test_the_validator_refuses_a_bad_status_word_and_a_comment_without_message(
    seerr: FakeSeerr,
) -> None:
    """overseerr-api.yml: /issue/{issueId}/{status} status enum [open, resolved]; the
    comment's body requires message; issueId is a number (ajv's words)."""
    allowed = "should be equal to one of the allowed values: open, resolved"
    assert call(seerr, "POST", "/issue/1/bogus") == (
        400,
        {
            "message": f"request.params.status {allowed}",
            "errors": [
                {
                    "path": ".params.status",
                    "message": allowed,
                    "errorCode": "enum.openapi.validation",
                }
            ],
        },
    )
    status, answer = call(seerr, "POST", "/issue/1/comment", json={})
    assert (status, answer["message"]) == (
        400,
        "request.body should have required property 'message'",
    )
    assert answer["errors"][0]["path"] == ".body.message"
    status, answer = call(seerr, "GET", "/issue/abc")
    assert (status, answer["message"]) == (400, "request.params.issueId should be number")
    # The key's absence is told first (the security handler runs before the validator).
    assert call(seerr, "POST", "/issue/1/bogus", key=None)[0] == 401


def test_an_unknown_issue_and_media(seerr: FakeSeerr) -> None:
    assert call(seerr, "POST", "/issue/9999/comment", json={"message": "x"}) == (
        500,
        {"message": "Issue not found."},
    )
    body = {"issueType": AUDIO, "message": "x", "mediaId": 42}
    assert call(seerr, "POST", "/issue", json=body) == (404, {"message": "Media does not exist."})


# --- the media's Seerr id ----------------------------------------------------------------


def test_movie_and_tv_without_a_media_row_have_no_media_info_key(seerr: FakeSeerr) -> None:
    """models/Movie.ts: mediaInfo is Media.getMedia's, undefined without a row: absent."""
    status, answer = call(seerr, "GET", "/movie/603")
    assert status == 200 and "mediaInfo" not in answer
    seerr.state.add_media("tv", 1399, tvdb_id=121361)
    status, answer = call(seerr, "GET", "/tv/1399")
    assert answer["mediaInfo"]["id"] == 1 and answer["mediaInfo"]["tvdbId"] == 121361


def test_movie_and_tv_answer_500_while_tmdb_is_down(seerr: FakeSeerr) -> None:
    """movie.ts and tv.ts read TMDB first: its failure is their catch's 500."""
    seerr.state.add_media("movie", 603)
    seerr.state.tmdb_down = True
    assert call(seerr, "GET", "/movie/603") == (500, {"message": "Unable to retrieve movie."})
    assert call(seerr, "GET", "/tv/1399") == (500, {"message": "Unable to retrieve series."})


def test_a_request_answers_its_media_without_tmdb(seerr: FakeSeerr) -> None:
    """request.ts GET /:requestId: media is an eager relation (MediaRequest.ts); no TMDB
    call. One's own request, or MANAGE_REQUESTS / REQUEST_VIEW; 404 when unknown."""
    kid = seerr.state.add_user("kid@example.org")
    other = seerr.state.add_user("other@example.org")
    media = seerr.state.add_media("tv", 1400, tvdb_id=101400, status=3)
    asked = seerr.state.add_request(media, kid)
    seerr.state.tmdb_down = True
    status, answer = call(seerr, "GET", f"/request/{asked.id}")
    assert status == 200
    assert answer["media"] == {
        "id": media.id,
        "mediaType": "tv",
        "tmdbId": 1400,
        "tvdbId": 101400,
        "status": 3,
        "status4k": 1,
    }
    assert answer["requestedBy"]["email"] == "kid@example.org"
    assert call(seerr, "GET", f"/request/{asked.id}", user=kid)[0] == 200
    assert call(seerr, "GET", f"/request/{asked.id}", user=other) == (
        403,
        {"message": "You do not have permission to view this request."},
    )
    other.permissions |= REQUEST_VIEW
    assert call(seerr, "GET", f"/request/{asked.id}", user=other)[0] == 200
    assert call(seerr, "GET", "/request/99") == (404, {"message": "Request not found."})


def test_a_request_names_its_requester_and_seasons(seerr: FakeSeerr) -> None:
    """request.ts GET /:requestId: requestedBy and seasons are eager (MediaRequest.ts,
    SeasonRequest.ts' seasonNumber); a Jellyfin user Jellyseerr or Seerr imported has
    their name as e-mail and userType JELLYFIN (routes/user/index.ts,
    import-from-jellyfin; constants/user.ts)."""
    maria = seerr.state.import_jellyfin_user("Maria")
    media = seerr.state.add_media("tv", 1400, tvdb_id=101400, status=4)
    asked = seerr.state.add_request(media, maria, seasons=(2, 3))
    answer = call(seerr, "GET", f"/request/{asked.id}")[1]
    assert [season["seasonNumber"] for season in answer["seasons"]] == [2, 3]
    assert answer["seasonCount"] == 2
    by = answer["requestedBy"]
    assert (by["id"], by["email"], by["displayName"], by["userType"]) == (
        maria.id,
        "maria",
        "Maria",
        3,
    )
    with SeerrClient(SeerrConfig(url=seerr.url, api_key=KEY)) as client:
        read = client.request(asked.id)
    assert (read.media_id, read.seasons) == (media.id, (2, 3))
    assert read.requested_by is not None
    assert (read.requested_by.id, read.requested_by.user_type) == (maria.id, 3)
    # An issue names its season (Issue.ts problemSeason; 0, every season, is none).
    about = seerr.state.add_issue(AUDIO, media, maria, "No Spanish", problem_season=2)
    every = seerr.state.add_issue(AUDIO, media, maria, "No Spanish at all")
    with SeerrClient(SeerrConfig(url=seerr.url, api_key=KEY)) as client:
        assert [client.issue(one.id).season for one in (about, every)] == [2, None]
        reporter = client.issue(about.id).reported_by
    assert reporter is not None and reporter.email == "maria"


def test_seerr_3_names_the_new_media_statuses() -> None:
    """Seerr 3's MediaStatus (server/constants/media.ts at v3.1.0): 6 BLOCKLISTED (was
    Jellyseerr's BLACKLISTED), 7 DELETED; its public settings are Jellyseerr's."""
    with FakeSeerr(api_key=KEY, app="seerr", version="3.1.0") as fake:
        assert [fake.state.media_status_name(n) for n in (5, 6, 7)] == [
            "AVAILABLE",
            "BLOCKLISTED",
            "DELETED",
        ]
        with SeerrClient(SeerrConfig(url=fake.url, api_key=KEY)) as client:
            assert client.app() == JELLYSEERR
            client.check_version(client.app(), client.version())


def test_media_pages_newest_first_twenty_a_page(seerr: FakeSeerr) -> None:
    """media.ts GET /: take 20 by default, ordered by id DESC (sort "added"), filter on
    the status, page Math.ceil(skip / take) + 1; the validator checks the enums."""
    for tmdb_id in range(1, 26):
        seerr.state.add_media("movie", tmdb_id, status=5 if tmdb_id % 5 == 0 else 3)
    status, answer = call(seerr, "GET", "/media")
    assert answer["pageInfo"] == {"pages": 2, "pageSize": 20, "results": 25, "page": 1}
    assert [row["id"] for row in answer["results"]][:3] == [25, 24, 23]
    status, answer = call(seerr, "GET", "/media", params={"take": 10, "skip": 5})
    assert answer["pageInfo"]["page"] == 2 and answer["results"][0]["id"] == 20
    status, answer = call(seerr, "GET", "/media", params={"filter": "available"})
    assert [row["tmdbId"] for row in answer["results"]] == [25, 20, 15, 10, 5]
    status, answer = call(seerr, "GET", "/media", params={"filter": "everything"})
    assert status == 400 and answer["errors"][0]["path"] == ".query.filter"
