"""A message Seerr did not take (issue 72): said the first time in a row, and a refusal
(an answer, not a silence: a request or issue it does not have, a permission) counted;
an ask refused MAX_REFUSALS times in a row over at least REFUSING_FOR is given up, said
once, never tried again. A Seerr that does not answer is waited for."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.utils import timezone

from scanner.models import Media, SeerrAsk
from scanner.models import event_data as codes
from scanner.seerr.client import SeerrError, SeerrUnreachable
from scanner.seerr.events import record

logger = logging.getLogger(__name__)

MAX_REFUSALS = 5
REFUSING_FOR = timedelta(days=1)


def not_taken(ask: SeerrAsk, media: Media, exc: Exception) -> None:
    """Seerr did not take the message: said the first time in a row (the log says each);
    a refusal (not a silence) counted, and past MAX_REFUSALS over REFUSING_FOR the ask is
    given up, said once."""
    now = timezone.now()
    refused = isinstance(exc, SeerrError) and not isinstance(exc, SeerrUnreachable)
    if ask.refusals == 0 or not refused:
        record(
            media,
            f"Seerr {ask.connection.name}: the comment on {media.title} was not taken: {exc}",
            {"what": codes.SEERR_FAILED, "seerr": ask.connection.name, "title": media.title},
        )
    else:
        logger.warning("Seerr %s: ask %s refused again: %s", ask.connection.name, ask.pk, exc)
    if not refused:
        return
    since = ask.refused_since or now
    refusals = ask.refusals + 1
    gives_up = refusals >= MAX_REFUSALS and since <= now - REFUSING_FOR
    SeerrAsk.objects.filter(pk=ask.pk, done=False).update(
        refusals=refusals, refused_since=since, done=gives_up
    )
    if gives_up:
        record(
            media,
            f"Seerr {ask.connection.name}: the answer on {media.title} was refused "
            f"{refusals} times since {since:%Y-%m-%d %H:%M}: given up",
            {
                "what": codes.SEERR_GAVE_UP,
                "seerr": ask.connection.name,
                "title": media.title,
                "count": refusals,
            },
        )
