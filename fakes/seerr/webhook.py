"""The webhook agent (server/lib/notifications/agents/webhook.ts): the template's
variables replaced from a notification's payload, and the POST with the Authorization
header. Only the first occurrence of a variable in a string is replaced, as
String.replace with a string does, the replacement's $-patterns included; a missing
value is ""; the {{media}} ... keys become media ... holding their object, or null when
the notification has none.

``send`` is the agent's POST; ``send_later`` is the issue subscribers' path to it
(server/subscriber/IssueSubscriber.ts, IssueCommentSubscriber.ts): TMDB read first
(nothing sent when it fails), not awaited by the route."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from fakes.seerr.state import (
    ISSUE_STATUS,
    ISSUE_TYPE,
    NOTIFICATION,
    Comment,
    FakeSeerrState,
    Issue,
    Media,
    User,
)

OBJECT_KEYS = ("media", "request", "issue", "comment")
SEND_TIMEOUT_S = 10.0
# What each sends besides Content-Type and Authorization, as captured from the real
# servers (/work/realseerr/captured: Overseerr 1.34.0's axios 1.3.4, Jellyseerr
# 2.3.0's native fetch); Seerr 3 posts with axios again (webhook.ts at v3.1.0,
# package.json's axios 1.13.3).
AGENT_HEADERS = {
    "overseerr": {"Accept": "application/json, text/plain, */*", "User-Agent": "axios/1.3.4"},
    "jellyseerr": {"Accept": "*/*", "Accept-Language": "*", "User-Agent": "node"},
    "seerr": {"Accept": "application/json, text/plain, */*", "User-Agent": "axios/1.13.3"},
}


@dataclass(frozen=True)
class Notification:
    """A NotificationPayload: what the agent's KeyMap reads."""

    type: str  # a NOTIFICATION name
    subject: str = ""
    message: str = ""
    media: Media | None = None
    request_id: int | None = None
    requested_by: User | None = None
    issue: Issue | None = None
    comment: Comment | None = None
    event: str = ""

    @classmethod
    def issue_created(cls, issue: Issue) -> Notification:
        """IssueSubscriber.sendIssueNotification for ISSUE_CREATED: the subject is TMDB's
        title, the message the first comment's."""
        return cls(
            "ISSUE_CREATED",
            subject=issue.media.title,
            message=issue.comments[0].message if issue.comments else "",
            media=issue.media,
            issue=issue,
            event=f"New {_type_name(issue)}Issue Reported",
        )

    @classmethod
    def issue_status(cls, issue: Issue) -> Notification:
        """IssueSubscriber.beforeUpdate: ISSUE_RESOLVED or ISSUE_REOPENED when the status
        changed (sent when the agent's types tick it)."""
        resolved = issue.status == 2
        return cls(
            "ISSUE_RESOLVED" if resolved else "ISSUE_REOPENED",
            subject=issue.media.title,
            message=issue.comments[0].message if issue.comments else "",
            media=issue.media,
            issue=issue,
            event=f"{_type_name(issue)}Issue {'Resolved' if resolved else 'Reopened'}",
        )

    @classmethod
    def issue_comment(cls, issue: Issue, comment: Comment) -> Notification:
        """IssueCommentSubscriber.sendIssueCommentNotification: ``comment`` (its user is
        commentedBy), the issue's first comment as the message."""
        return cls(
            "ISSUE_COMMENT",
            subject=issue.media.title,
            message=issue.comments[0].message,
            media=issue.media,
            issue=issue,
            comment=comment,
            event=f"New Comment on {_type_name(issue)}Issue",
        )


def _type_name(issue: Issue) -> str:
    # server/constants/issue.ts IssueTypeName, left out for OTHER (the subscribers).
    if issue.issue_type == 4:
        return ""
    return {1: "Video", 2: "Audio", 3: "Subtitle"}.get(issue.issue_type, "") + " "


def variables(state: FakeSeerrState, note: Notification) -> dict[str, str]:
    def user(prefix: str, who: User | None) -> dict[str, str]:
        return {
            f"{prefix}_username": who.display_name if who else "",
            f"{prefix}_email": who.email if who else "",
            f"{prefix}_avatar": "/os_logo_square.png" if who else "",
            f"{prefix}_settings_discordId": "",
            f"{prefix}_settings_telegramChatId": "",
        }

    media, issue, comment = note.media, note.issue, note.comment
    return {
        "notification_type": note.type,
        "event": note.event,
        "subject": note.subject,
        "message": note.message,
        "image": "",
        **user("notifyuser", None),
        "media_tmdbid": str(media.tmdb_id) if media else "",
        "media_tvdbid": str(media.tvdb_id) if media and media.tvdb_id else "",
        "media_type": media.media_type if media else "",
        "media_status": state.media_status_name(media.status) if media else "",
        "media_status4k": state.media_status_name(media.status4k) if media else "",
        "request_id": str(note.request_id) if note.request_id else "",
        **user("requestedBy", note.requested_by),
        "issue_id": str(issue.id) if issue else "",
        "issue_type": ISSUE_TYPE[issue.issue_type] if issue else "",
        "issue_status": ISSUE_STATUS[issue.status] if issue else "",
        **user("reportedBy", issue.created_by if issue else None),
        "comment_message": comment.message if comment else "",
        **user("commentedBy", comment.user if comment else None),
    }


def render(template: str, state: FakeSeerrState, note: Notification) -> Any:
    present = {
        "media": note.media is not None,
        "request": note.request_id is not None,
        "issue": note.issue is not None,
        "comment": note.comment is not None,
    }
    values = variables(state, note)

    def parse(node: dict[str, Any]) -> dict[str, Any]:
        for key in list(node):
            name = key
            if key == "{{extra}}":
                node["extra"] = []
                del node[key]
                name = "extra"
            elif key.startswith("{{") and key[2:-2] in OBJECT_KEYS and key.endswith("}}"):
                name = key[2:-2]
                node[name] = node[key] if present[name] else None
                del node[key]
            value = node[name]
            if isinstance(value, str):
                for variable, replacement in values.items():
                    value = js_replace(value, "{{" + variable + "}}", replacement)
                node[name] = value
            elif isinstance(value, dict):
                node[name] = parse(value)
        return node

    parsed = json.loads(template)
    return parse(parsed) if isinstance(parsed, dict) else parsed


def js_replace(text: str, pattern: str, replacement: str) -> str:
    """JavaScript's ``text.replace(pattern, replacement)`` with a string pattern
    (webhook.ts parseKeys): the first occurrence only, and the replacement's $-patterns
    (ECMA-262 GetSubstitution): ``$$`` is ``$``, ``$&`` the matched text, ``$` `` the
    text before it, ``$'`` the text after it; a string pattern has no captures, so
    ``$1`` and ``$<name>`` stay as they are."""
    at = text.find(pattern)
    if at < 0:
        return text
    before, after = text[:at], text[at + len(pattern) :]
    out: list[str] = []
    i = 0
    while i < len(replacement):
        char = replacement[i]
        following = replacement[i + 1] if i + 1 < len(replacement) else ""
        if char == "$" and following in ("$", "&", "`", "'"):
            out.append({"$": "$", "&": pattern, "`": before, "'": after}[following])
            i += 2
        else:
            out.append(char)
            i += 1
    return before + "".join(out) + after


def sends(state: FakeSeerrState, note: Notification) -> bool:
    """WebhookAgent.shouldSend (a URL) and hasNotificationType(type, settings.types): the
    ticked sum, and a test always goes."""
    hook = state.webhook
    bit = NOTIFICATION[note.type]
    return bool(hook.url) and bool(bit & (hook.types | NOTIFICATION["TEST_NOTIFICATION"]))


def send(state: FakeSeerrState, note: Notification) -> int | None:
    """POST the notification as the agent does, when its type is ticked (a test always
    goes); the answer's status, or None when nothing was sent or no answer came."""
    hook = state.webhook
    if not sends(state, note):
        return None
    with state.lock:
        body = json.dumps(render(hook.json_payload, state, note)).encode()
    headers = {**AGENT_HEADERS.get(state.app, {}), "Content-Type": "application/json"}
    if hook.auth_header:
        headers["Authorization"] = hook.auth_header
    # The agent posts to the URL a person typed; the fake is handed http:// ones only.
    request = urllib.request.Request(hook.url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=SEND_TIMEOUT_S) as answer:  # noqa: S310
            return int(answer.status)
    except urllib.error.HTTPError as refused:
        return int(refused.code)
    except OSError:
        return None


def send_later(state: FakeSeerrState, note: Notification) -> None:
    """What the issue subscribers do (IssueSubscriber.ts, IssueCommentSubscriber.ts):
    read the title from TMDB, then NotificationManager.sendNotification, none of it
    awaited by the route that saved the issue or comment. With TMDB down the read throws,
    is caught and logged: nothing is sent. What the agent sends (its type ticked) and the
    webhook's answer are kept in ``state.deliveries`` (``state.wait_deliveries``)."""
    if state.tmdb_down or not sends(state, note):
        return

    def deliver() -> None:
        status = send(state, note)
        with state.lock:
            state.deliveries.append((note.type, status))

    thread = threading.Thread(target=deliver, name="fake-seerr-webhook", daemon=True)
    state.pending_delivery(thread)
    thread.start()
