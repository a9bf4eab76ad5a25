"""The fake Seerr's webhook agent and issue subscribers as the real servers behave
(docs/seerr.md): ISSUE_CREATED for every issue POSTed, ISSUE_COMMENT for every later
comment, neither awaited by the route nor sent while TMDB is down; String.replace's
$-patterns; each app's own request headers."""

from __future__ import annotations

import pytest
import requests

from fakes.seerr import FakeSeerr, FakeSeerrState, Notification, render
from fakes.seerr.state import CREATE_ISSUES, REQUEST
from fakes.seerr.webhook import js_replace
from tests.fakes.seerr.conftest import KEY
from tests.fakes.seerr.receiver import Receiver

AUDIO = 2


def _post(seerr: FakeSeerr, path: str, body: dict[str, object], user: int = 1) -> int:
    headers = {"X-Api-Key": KEY, "X-API-User": str(user)}
    return requests.post(
        f"{seerr.url}/api/v1{path}", json=body, headers=headers, timeout=20
    ).status_code


def test_every_issue_posted_sends_issue_created_and_later_comments_issue_comment(
    seerr: FakeSeerr, receiver: Receiver
) -> None:
    """IssueSubscriber.afterInsert: ISSUE_CREATED for each issue; IssueCommentSubscriber.
    afterInsert: ISSUE_COMMENT for each comment but the issue's first (its message),
    commentedBy the one who commented."""
    parent = seerr.state.add_user("parent@example.org", permissions=REQUEST | CREATE_ISSUES)
    media = seerr.state.add_media("movie", 603, status=5, title="The Matrix (1999)")
    body = {"issueType": AUDIO, "message": "Pas de VF", "mediaId": media.id}
    assert _post(seerr, "/issue", body, user=parent.id) == 200
    assert seerr.state.wait_deliveries()
    assert seerr.state.deliveries == [("ISSUE_CREATED", 200)]
    (created,) = receiver.bodies
    assert created["subject"] == "The Matrix (1999)"
    assert created["issue"]["reportedBy_email"] == "parent@example.org"
    assert created["comment"] is None

    assert _post(seerr, "/issue/1/comment", {"message": "Taggarr: la piste arrive."}) == 200
    assert _post(seerr, "/issue/1/comment", {"message": "Merci"}, user=parent.id) == 200
    # A user's reply added by a test: the same subscriber.
    (issue,) = seerr.state.issues.values()
    seerr.state.add_comment(issue, parent, "Toujours rien")
    assert seerr.state.wait_deliveries()
    comments = sorted(
        (one["comment"]["comment_message"], one["comment"]["commentedBy_email"])
        for one in receiver.bodies[1:]
    )
    assert comments == [
        ("Merci", "parent@example.org"),
        ("Taggarr: la piste arrive.", "admin@example.org"),
        ("Toujours rien", "parent@example.org"),
    ]
    assert {one["notification_type"] for one in receiver.bodies[1:]} == {"ISSUE_COMMENT"}


def test_a_status_change_sends_resolved_or_reopened_when_ticked(
    seerr: FakeSeerr, receiver: Receiver
) -> None:
    """IssueSubscriber.beforeUpdate: on a change only; the agent sends the ticked types
    (Taggarr's template ticks neither: nothing goes until they are)."""
    issue = seerr.state.add_issue(
        AUDIO, seerr.state.add_media("movie", 603), seerr.state.users[1], "x"
    )
    assert _post(seerr, f"/issue/{issue.id}/resolved", {}) == 200
    assert seerr.state.wait_deliveries()
    assert seerr.state.deliveries == [] and receiver.bodies == []
    seerr.state.webhook.types |= 1024 | 2048
    assert _post(seerr, f"/issue/{issue.id}/resolved", {}) == 200  # no change: nothing
    assert _post(seerr, f"/issue/{issue.id}/open", {}) == 200
    assert seerr.state.wait_deliveries()
    assert [one["notification_type"] for one in receiver.bodies] == ["ISSUE_REOPENED"]


def test_the_route_answers_without_waiting_for_the_webhook(
    seerr: FakeSeerr, receiver: Receiver
) -> None:
    """IssueSubscriber.afterInsert calls its async sender without await: POST /issue
    answers while the webhook is still on its way (here: its receiver holds it)."""
    media = seerr.state.add_media("movie", 603)
    receiver.gate.clear()
    assert _post(seerr, "/issue", {"issueType": AUDIO, "message": "x", "mediaId": media.id}) == 200
    assert receiver.arrived.wait(10)
    assert seerr.state.deliveries == []  # still held by the receiver
    receiver.gate.set()
    assert seerr.state.wait_deliveries()
    assert seerr.state.deliveries == [("ISSUE_CREATED", 200)]


def test_webhook_before_answer_delivers_it_first(seerr: FakeSeerr, receiver: Receiver) -> None:
    """The other order Seerr allows: the webhook went before the route's answer."""
    media = seerr.state.add_media("movie", 603)
    seerr.state.webhook_before_answer = True
    assert _post(seerr, "/issue", {"issueType": AUDIO, "message": "x", "mediaId": media.id}) == 200
    assert seerr.state.deliveries == [("ISSUE_CREATED", 200)]


def test_nothing_is_sent_while_tmdb_is_down(seerr: FakeSeerr, receiver: Receiver) -> None:
    """The subscribers read the title from TMDB first; its failure is caught and logged:
    no notification (IssueSubscriber.ts, IssueCommentSubscriber.ts)."""
    media = seerr.state.add_media("movie", 603)
    seerr.state.tmdb_down = True
    assert _post(seerr, "/issue", {"issueType": AUDIO, "message": "x", "mediaId": media.id}) == 200
    assert _post(seerr, "/issue/1/comment", {"message": "y"}) == 200
    assert seerr.state.wait_deliveries()
    assert (seerr.state.deliveries, receiver.bodies) == ([], [])


def test_each_app_posts_with_its_own_client_headers(seerr: FakeSeerr, receiver: Receiver) -> None:
    """Overseerr's agent posts with axios 1.3.4, Jellyseerr's with Node's fetch (webhook.ts;
    the headers captured from the real servers), Seerr 3's with axios 1.13.3 again
    (webhook.ts and package.json at v3.1.0)."""
    assert seerr.notify(Notification("TEST_NOTIFICATION")) == 200
    (headers,) = receiver.headers
    assert headers["authorization"] == "Bearer t"
    assert headers["content-type"] == "application/json"
    axios = {"overseerr": "axios/1.3.4", "seerr": "axios/1.13.3"}
    if seerr.state.app in axios:
        assert headers["user-agent"] == axios[seerr.state.app]
        assert headers["accept"] == "application/json, text/plain, */*"
    else:
        assert headers["user-agent"] == "node"
        assert headers["accept"] == "*/*"


@pytest.mark.parametrize(
    ("replacement", "expected"),
    [
        ("$$", "a $ b {{x}}"),
        ("$&", "a {{x}} b {{x}}"),
        ("$`", "a a  b {{x}}"),
        ("$'", "a  b {{x}} b {{x}}"),
        ("$1 $<n> $", "a $1 $<n> $ b {{x}}"),
        ("$$&", "a $& b {{x}}"),
        ("plain", "a plain b {{x}}"),
    ],
)
def test_string_replace_patterns(replacement: str, expected: str) -> None:
    """ECMA-262 GetSubstitution, String.prototype.replace with a string pattern: the first
    occurrence; $$, $&, $`, $' (no captures: $1 and $<n> stay)."""
    assert js_replace("a {{x}} b {{x}}", "{{x}}", replacement) == expected


def test_a_comment_with_dollar_patterns_is_rendered_as_seerr_renders_it() -> None:
    state = FakeSeerrState(api_key=KEY)
    media = state.add_media("movie", 603)
    issue = state.add_issue(AUDIO, media, state.users[1], "x")
    issue.comments.append(type(issue.comments[0])(9, state.users[1], "cost $& and $$5"))
    note = Notification("ISSUE_COMMENT", media=media, issue=issue, comment=issue.comments[-1])
    template = '{"m": "<{{comment_message}}>"}'
    assert render(template, state, note) == {"m": "<cost {{comment_message}} and $5>"}
