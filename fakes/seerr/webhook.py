"""The webhook agent (server/lib/notifications/agents/webhook.ts): the template's
variables replaced from a notification's payload, and the POST with the Authorization
header. Only the first occurrence of a variable in a string is replaced, as
String.replace with a string does; a missing value is ""; the {{media}} ... keys become
media ... holding their object, or null when the notification has none."""

from __future__ import annotations

import json
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
        "event": "",
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
                    value = value.replace("{{" + variable + "}}", replacement, 1)
                node[name] = value
            elif isinstance(value, dict):
                node[name] = parse(value)
        return node

    parsed = json.loads(template)
    return parse(parsed) if isinstance(parsed, dict) else parsed


def send(state: FakeSeerrState, note: Notification) -> int | None:
    """POST the notification as the agent does, when its type is ticked (a test always
    goes); the answer's status, or None when nothing was sent or no answer came."""
    hook = state.webhook
    bit = NOTIFICATION[note.type]
    # hasNotificationType(type, settings.types): the ticked sum, and a test always goes.
    if not hook.url or not bit & (hook.types | NOTIFICATION["TEST_NOTIFICATION"]):
        return None
    body = json.dumps(render(hook.json_payload, state, note)).encode()
    headers = {"Content-Type": "application/json"}
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
