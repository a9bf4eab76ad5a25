"""Who asked, and for which seasons (issue 72, docs/seerr.md): read from Seerr once,
before an ask's first answer, by Seerr's user id; the asker's row takes what Seerr holds
now, and an asker linked to no person with languages ends the ask (said once)."""

from __future__ import annotations

import logging
from typing import Any

from scanner.models import SeerrAsk
from scanner.models import event_data as codes
from scanner.seerr.client import SeerrError, SeerrKeyRefused, SeerrUnreachable
from scanner.seerr.client import SeerrUser as GivenUser
from scanner.seerr.connect import seerr_client
from scanner.seerr.events import record
from scanner.seerr.items import give_languages
from scanner.seerr.users import store_user
from scanner.validators import clean_targets

logger = logging.getLogger(__name__)


def read_asker(ask: SeerrAsk) -> str:
    """Who asked and for what, from Seerr, once: a request's ``requestedBy`` and, for a
    series, its seasons (GET /request/:id: its SeasonRequest rows); an issue's
    ``createdBy`` and the season it is about (GET /issue/:id: ``problemSeason``). The asker is
    known by Seerr's user id — the webhook names them only by their ``email`` column,
    which a person may change and Jellyseerr fills with a Jellyfin user's name — and
    their row takes what Seerr holds now. Raises SeerrError when Seerr could not be
    asked (read again at the next answer); returns why the ask is not followed, or ""."""
    given, seasons = _read_seerr(ask)
    before = ask.asker_id
    changes: dict[str, Any] = {"seasons": seasons}
    if given is not None:
        row = ask.connection.users.filter(seerr_id=given.id).first()
        changes.update(asker=store_user(ask.connection, given, row), asker_email=given.email)
    SeerrAsk.objects.filter(pk=ask.pk).update(**changes)
    ask.refresh_from_db()
    asker = ask.asker
    person = asker.person if asker is not None else None
    if person is None or not person.languages:
        SeerrAsk.objects.filter(pk=ask.pk).update(done=True)
        record(
            ask.media,
            f"Seerr {ask.connection.name}: the {ask.kind} of "
            f"{asker.display_name if asker else ask.asker_email}, linked to no person "
            "with languages: nothing followed",
            {"what": codes.SEERR_NO_PERSON, "seerr": ask.connection.name, "event_type": ask.kind},
        )
        return "no person"
    if asker is not None and asker.pk != before:  # not whom the webhook's name said
        SeerrAsk.objects.filter(pk=ask.pk).update(language=clean_targets(person.languages)[0])
        ask.refresh_from_db()
        if ask.media is not None:
            give_languages(ask.media, person, asker, issue=ask.kind == SeerrAsk.Kind.ISSUE)
    return ""


def _read_seerr(ask: SeerrAsk) -> tuple[GivenUser | None, list[int]]:
    """The asker Seerr names (None when it was not read) and the seasons asked ([] the
    whole item)."""
    series = ask.media_type == "tv"
    try:
        with seerr_client(ask.connection) as client:
            if ask.kind == SeerrAsk.Kind.REQUEST and ask.request_id is not None:
                request = client.request(ask.request_id)
                return request.requested_by, list(request.seasons) if series else []
            if ask.kind == SeerrAsk.Kind.ISSUE and ask.issue_id is not None:
                issue = client.issue(ask.issue_id)
                seasons = [issue.season] if series and issue.season else []
                return issue.reported_by, seasons
    except (SeerrKeyRefused, SeerrUnreachable) as exc:
        title = ask.media.title if ask.media is not None else ""
        record(
            ask.media,
            f"Seerr {ask.connection.name}: the {ask.kind} on {title} was not read: {exc}",
            {"what": codes.SEERR_FAILED, "seerr": ask.connection.name, "title": title},
        )
        raise
    except SeerrError as exc:  # the request or the issue deleted in Seerr
        logger.info("Seerr ask %s: its request or issue not read (%s)", ask.pk, exc)
    return None, []
