"""Each step of a Seerr ask (issue 72) kept in Taggarr's log: an event of the kind
*Seerr*, its English message for the log and its data (``what``: scanner.models.event_data)
for the pages, which tell it in the reader's language (scanner.seerr.event_text)."""

from __future__ import annotations

import logging
from typing import Any

from scanner.models import Event, Media

logger = logging.getLogger(__name__)


def record(media: Media | None, message: str, data: dict[str, Any]) -> None:
    logger.info("%s", message)
    Event.objects.create(
        instance=media.instance if media is not None else None,
        media=media,
        kind=Event.Kind.SEERR,
        message=message[:2000],
        data=data,
    )
