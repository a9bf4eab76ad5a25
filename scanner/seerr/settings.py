"""What a person pastes into Seerr's Webhook agent (Settings → Notifications → Webhook;
docs/seerr.md): the URL, the Authorization header, the JSON payload template Taggarr
reads (payload.py) and the notification types to tick. No Django."""

from __future__ import annotations

import json
from typing import Final

# The template's values, as the agent's KeyMap names them (webhook.ts).
TEMPLATE: Final = {
    "notification_type": "{{notification_type}}",
    "subject": "{{subject}}",
    "{{media}}": {
        "media_type": "{{media_type}}",
        "tmdbId": "{{media_tmdbid}}",
        "tvdbId": "{{media_tvdbid}}",
        "status": "{{media_status}}",
    },
    "{{request}}": {
        "request_id": "{{request_id}}",
        "requestedBy_email": "{{requestedBy_email}}",
    },
    "{{issue}}": {
        "issue_id": "{{issue_id}}",
        "issue_type": "{{issue_type}}",
        "issue_status": "{{issue_status}}",
        "reportedBy_email": "{{reportedBy_email}}",
    },
    "{{comment}}": {
        "comment_message": "{{comment_message}}",
        "commentedBy_email": "{{commentedBy_email}}",
    },
}
# Notification (server/lib/notifications/index.ts) bits to tick.
TYPES: Final = {
    "MEDIA_APPROVED": 4,
    "MEDIA_AVAILABLE": 8,
    "MEDIA_AUTO_APPROVED": 128,
    "ISSUE_CREATED": 256,
    "ISSUE_COMMENT": 512,
}
WEBHOOK_PATH: Final = "/api/webhooks/seerr/"


def json_payload() -> str:
    """The template as the agent's "JSON Payload" box takes it."""
    return json.dumps(TEMPLATE, indent=2)


def authorization(token: str) -> str:
    """The agent's "Authorization Header" value: sent verbatim (webhook.ts)."""
    return f"Bearer {token}"


def types_sum() -> int:
    return sum(TYPES.values())
