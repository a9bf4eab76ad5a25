"""Tag look-up and creation. Labels are always sent lowercase: the *arr looks a
label up as sent (case-sensitive) but stores it lowercased, so ``"Dub"`` next to
an existing ``dub`` would fail with 409 where ``"dub"`` returns the existing tag.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from scanner import outside_text
from scanner.errors import ArrPermanentError, ConfigError
from scanner.http.json_kind import json_kind

if TYPE_CHECKING:
    from scanner.arr.base import BaseArrClient

logger = logging.getLogger(__name__)

TAG_PATH = "/api/v3/tag"
# Radarr v6 rejects anything else; the settings enforce the same rule when saved.
TAG_LABEL = re.compile(r"^[a-z0-9-]+$")


def read_tags(client: BaseArrClient) -> dict[str, int]:
    """Every tag as lowercased label -> id, in one request."""
    payload = client.get(TAG_PATH)
    if not isinstance(payload, list):
        raise ArrPermanentError(
            f"{client.display_name}: GET {TAG_PATH} returned {type(payload).__name__}, "
            "expected a list of tags"
        )
    tags: dict[str, int] = {}
    for entry in payload:
        tag = _tag_from_json(entry)
        if tag is None:
            logger.warning("%s: ignoring malformed tag %r", client.display_name, entry)
            continue
        label, tag_id = tag
        if label in tags and tags[label] != tag_id:
            # Old databases can hold "Dub" and "dub"; keep the oldest, like a look-up would.
            logger.warning(
                "%s: tags %d and %d both read %r; using %d",
                client.display_name,
                tags[label],
                tag_id,
                label,
                min(tags[label], tag_id),
            )
            tag_id = min(tags[label], tag_id)
        tags[label] = tag_id
    return tags


def ensure_tags(client: BaseArrClient, labels: Iterable[str]) -> dict[str, int]:
    """Ids of ``labels`` (lowercased), creating missing ones: one GET, one POST per new label."""
    wanted = sorted({label.strip().lower() for label in labels})
    for label in wanted:
        if not TAG_LABEL.match(label):
            raise ConfigError(f"tag label {label!r} must match ^[a-z0-9-]+$")
    if not wanted:
        return {}
    existing = read_tags(client)
    result = {label: existing[label] for label in wanted if label in existing}
    for label in wanted:
        if label not in result:
            result[label] = _create_tag(client, label)
    return result


def _create_tag(client: BaseArrClient, label: str) -> int:
    try:
        payload = client.post(TAG_PATH, {"label": label})
    except ArrPermanentError as exc:
        if exc.status != 409:
            raise
        # Someone created it between our read and our POST: read again and use theirs.
        tag_id = read_tags(client).get(label)
        if tag_id is None:
            raise
        return tag_id
    tag = _tag_from_json(payload)
    if tag is None:
        raise ArrPermanentError(
            f"{client.display_name}: POST {TAG_PATH} for {label!r} returned {json_kind(payload)}, "
            "expected {id, label}"
        )
    logger.info("%s: created tag %r (id %d)", client.display_name, label, tag[1])
    return tag[1]


def _tag_from_json(entry: Any) -> tuple[str, int] | None:
    if not isinstance(entry, Mapping):
        return None
    tag_id, label = entry.get("id"), entry.get("label")
    if not isinstance(tag_id, int) or isinstance(tag_id, bool) or not isinstance(label, str):
        return None
    return outside_text.line(label).lower(), tag_id
