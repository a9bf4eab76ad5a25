"""What the Seerr webhook does with a notification (issue 72, docs/seerr.md), in the
request, from the database alone: a request approved gives the item its requester's
languages (unless a person chose them); one available has the item scanned (the run's
end answers it: scanner.seerr.answering), as is a movie already in the library (Seerr may
never say it is available); an Audio issue gives its reporter's languages the same way
and is answered by a worker — after a scan of the item when the *arr did not name the
variety asked for. Each is a ``SeerrAsk``; an item Taggarr does
not have is kept, not guessed, and matched when a scan brings it. Taggarr's own issues
and comments are ignored, those it opened as the asker too. A scan is asked for through
``scan_items``, the webhook's (scanner.actions.scans.request_item_scan): the actions and
the tasks use Seerr, never the reverse (the import contracts)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import Protocol

from django.db.models import Q
from django.utils import timezone

from scanner.models import Instance, Media, ScanRun, SeerrAsk, SeerrConnection
from scanner.models import event_data as codes
from scanner.seerr import heard
from scanner.seerr.events import record
from scanner.seerr.items import give_languages, match
from scanner.seerr.payload import (
    APPROVED,
    AUDIO,
    ISSUE_COMMENT,
    ISSUE_CREATED,
    MEDIA_AVAILABLE,
    Notice,
)
from scanner.seerr.standing import in_library, item_standing
from scanner.validators import clean_targets

logger = logging.getLogger(__name__)

# An issue being opened as the asker: Seerr's ISSUE_CREATED comes within the POST's
# exchange (its deadline is a minute); past this the mark is a worker's that died.
OPENING_WINDOW = timedelta(minutes=10)


class ScanItems(Protocol):
    """How the webhook has items scanned: remembered, and a run started unless one is
    active (scanner.actions.scans.request_item_scan); the run started, if any."""

    def __call__(
        self, instance: Instance, arr_ids: Iterable[int], event_type: str
    ) -> ScanRun | None: ...


class Status(StrEnum):
    """What the webhook did with a notification (its answer's ``status``)."""

    IGNORED = "ignored"  # nothing to follow: the reason says why
    FOLLOWED = "followed"  # an ask follows it (or will, once the item or asker is read)


@dataclass(frozen=True)
class Received:
    status: Status
    reason: str = ""  # English, for the sender's log
    asks: tuple[int, ...] = ()  # to answer once the request commits
    scan: int | None = None


def receive(connection: SeerrConnection, notice: Notice, scan_items: ScanItems) -> Received:
    if notice.type == ISSUE_COMMENT:
        own = notice.commented_by == connection.key_user_email
        return Received(Status.IGNORED, "Taggarr's own comment" if own else "a comment")
    if notice.type == ISSUE_CREATED:
        if notice.issue_type != AUDIO:
            return Received(Status.IGNORED, "not an Audio issue")
        # Known by the issues Taggarr opened, not by the key's user: that is Seerr's owner
        # (user 1), often a person of the household whose own issues are answered.
        if _opened_by_taggarr(connection, notice):
            return Received(Status.IGNORED, "Taggarr's own issue")
        return _follow(connection, notice, SeerrAsk.Kind.ISSUE, scan_items)
    if notice.type in APPROVED:
        return _follow(connection, notice, SeerrAsk.Kind.REQUEST, scan_items)
    if notice.type == MEDIA_AVAILABLE:
        return _available(connection, notice, scan_items)
    return Received(Status.IGNORED, f"{notice.type} is not acted on")


def _opened_by_taggarr(connection: SeerrConnection, notice: Notice) -> bool:
    """Whether this Audio issue is one Taggarr opened for a request (scanner.seerr.posting.
    _open_issue), as the asker or as the key's user: its id already stored on the
    request, or — the webhook may come before the POST's answer — a request on the same
    item being opened right now (``opening_since``), which then takes the issue's id.
    Run in the webhook's transaction, with the delivery: the ask's row locked."""
    asks = SeerrAsk.objects.select_for_update().filter(
        connection=connection, kind=SeerrAsk.Kind.REQUEST
    )
    if notice.reported_by != connection.key_user_email:  # the key's user opens for anyone
        asks = asks.filter(asker_email=notice.reported_by)
    if asks.filter(issue_id=notice.issue_id).exists():
        return True
    opening = (
        asks.filter(
            issue_id__isnull=True,
            opening_since__gte=timezone.now() - OPENING_WINDOW,
            tmdb_id=notice.tmdb_id,
            tvdb_id=notice.tvdb_id,
        )
        .order_by("pk")
        .first()
    )
    if opening is None:
        return False
    SeerrAsk.objects.filter(pk=opening.pk, issue_id__isnull=True).update(issue_id=notice.issue_id)
    return True


def _follow(
    connection: SeerrConnection, notice: Notice, kind: str, scan_items: ScanItems
) -> Received:
    known = _known_ask(connection, notice, kind)
    if known is not None:
        # The same request (or issue) told again, whatever else changed in the body (a
        # re-approval, an edited subject): it is followed once, by its first ask.
        what = "request" if kind == SeerrAsk.Kind.REQUEST else "issue"
        return Received(Status.IGNORED, f"this {what} is already followed")
    # The name Seerr gives (its ``email`` column, whatever its shape) is looked up among
    # the users the connection test listed; the worker confirms the asker by Seerr's id,
    # from the request itself (scanner.seerr.asker.read_asker).
    user = connection.users.filter(email=notice.asker).select_related("person").first()
    if user is None and (notice.request_id if kind == SeerrAsk.Kind.REQUEST else notice.issue_id):
        return _follow_unlisted(connection, notice, kind)
    person = user.person if user is not None else None
    if person is None or not person.languages:
        record(
            None,
            f"Seerr {connection.name}: {notice.type} by {notice.asker}, linked to no person "
            "with languages: nothing followed",
            {"what": codes.SEERR_NO_PERSON, "seerr": connection.name, "event_type": notice.type},
        )
        return Received(Status.IGNORED, "the Seerr user is linked to no person with languages")
    media = match(notice.media_type, notice.tmdb_id, notice.tvdb_id, connection)
    if media is None:
        elsewhere = match(notice.media_type, notice.tmdb_id, notice.tvdb_id)
        if elsewhere is not None:
            record(
                None,
                f"Seerr {connection.name}: {notice.type} for {elsewhere.title}, an item of "
                f"{elsewhere.instance.name}, which this connection does not serve: ignored",
                {
                    "what": codes.SEERR_NOT_SERVED,
                    "seerr": connection.name,
                    "title": elsewhere.title,
                    "event_type": notice.type,
                },
            )
            return Received(
                Status.IGNORED, "the item is an instance's this connection does not serve"
            )
    # A concurrent delivery of the same request creating it too breaks the constraint:
    # the webhook answers it as a duplicate (one per request id, and per issue id).
    ask = SeerrAsk.objects.create(
        connection=connection,
        kind=kind,
        request_id=notice.request_id if kind == SeerrAsk.Kind.REQUEST else None,
        issue_id=notice.issue_id if kind == SeerrAsk.Kind.ISSUE else None,
        asker_email=notice.asker,
        media_type=notice.media_type,
        tmdb_id=notice.tmdb_id,
        tvdb_id=notice.tvdb_id,
        media=media,
        asker=user,
        language=clean_targets(person.languages)[0],
    )
    if media is None:
        record(
            None,
            f"Seerr {connection.name}: {notice.type} for an item no instance has "
            f"(TMDb {notice.tmdb_id}, TVDB {notice.tvdb_id}): kept until a scan brings it",
            {
                "what": codes.SEERR_PENDING,
                "seerr": connection.name,
                "event_type": notice.type,
                "tmdb_id": notice.tmdb_id,
                "tvdb_id": notice.tvdb_id,
            },
        )
        return Received(Status.FOLLOWED, "the item is not in Taggarr yet")
    # The asker's languages become the item's (unless a person chose them): the verdict,
    # the coverage, the news and the search follow what was asked.
    give_languages(media, person, user, issue=kind == SeerrAsk.Kind.ISSUE)
    if kind == SeerrAsk.Kind.REQUEST and not in_library(media):
        return Received(Status.FOLLOWED)  # answered once it is available
    arr_id = _readable_arr_id(media)
    if arr_id is not None and item_standing(media, ask.language).state == heard.UNKNOWN:
        # The *arr named the language, not its variety (Radarr's "French"): the item's
        # files are read first — its wanted languages now ask for the variety — and the
        # run's end answers the ask (scanner.seerr.answering.follow_run).
        run = scan_items(media.instance, [arr_id], "Seerr")
        issue = kind == SeerrAsk.Kind.ISSUE
        record(
            media,
            f"Seerr {connection.name}: {'an Audio issue on' if issue else 'a request of'} "
            f"{media.title}: its files are read before it is answered",
            {
                "what": codes.SEERR_ISSUE_SCAN if issue else codes.SEERR_SCAN,
                "seerr": connection.name,
                "title": media.title,
            },
        )
        return Received(Status.FOLLOWED, scan=run.pk if run else None)
    return Received(Status.FOLLOWED, asks=(ask.pk,))


def _follow_unlisted(connection: SeerrConnection, notice: Notice, kind: str) -> Received:
    """An asker whose name is none of the listed users' (their e-mail changed in Seerr
    since the connection test, or a user added since): the webhook carries no user id
    (webhook.ts' KeyMap has none), the request or the issue does. Kept, and a worker
    reads who asked from Seerr (scanner.seerr.asker.read_asker): followed when that is
    a linked person, said once when not."""
    request = kind == SeerrAsk.Kind.REQUEST
    ask, _created = SeerrAsk.objects.get_or_create(
        connection=connection,
        kind=kind,
        request_id=notice.request_id if request else None,
        issue_id=None if request else notice.issue_id,
        defaults={
            "asker_email": notice.asker,
            "media_type": notice.media_type,
            "tmdb_id": notice.tmdb_id,
            "tvdb_id": notice.tvdb_id,
            "media": match(notice.media_type, notice.tmdb_id, notice.tvdb_id, connection),
        },
    )
    if ask.asker_id is not None or ask.done:
        return Received(Status.FOLLOWED)  # read already: the worker's answers follow it
    return Received(Status.FOLLOWED, "who asked is read from Seerr", asks=(ask.pk,))


def _known_ask(connection: SeerrConnection, notice: Notice, kind: str) -> SeerrAsk | None:
    """The ask already following this request (by its id) or Audio issue (by its id);
    a request without an id, by its asker and item."""
    asks = SeerrAsk.objects.filter(connection=connection, kind=kind)
    if kind == SeerrAsk.Kind.ISSUE:
        return asks.filter(issue_id=notice.issue_id).first()
    if notice.request_id is not None:
        return asks.filter(request_id=notice.request_id).first()
    return asks.filter(
        request_id__isnull=True,
        asker_email=notice.asker,
        media_type=notice.media_type,
        tmdb_id=notice.tmdb_id,
        tvdb_id=notice.tvdb_id,
    ).first()


def _readable_arr_id(media: Media) -> int | None:
    """The item's *arr id when a scan of it may read its files: an *arr's item of an
    enabled instance whose audio source is not the *arr's media info alone."""
    instance = media.instance
    if not instance.enabled or instance.audio_source == Instance.AudioSource.ARR:
        return None
    return media.arr_id


def _available(connection: SeerrConnection, notice: Notice, scan_items: ScanItems) -> Received:
    asks = SeerrAsk.objects.filter(connection=connection, kind=SeerrAsk.Kind.REQUEST).filter(
        _same_request(notice)
    )
    if not asks.exists():  # approved before the webhook was set up: followed from here
        followed = _follow(connection, notice, SeerrAsk.Kind.REQUEST, scan_items)
        if followed.status != Status.FOLLOWED:
            return followed
    asks.update(available=True)
    ask = asks.order_by("-pk").first()
    media = ask.media if ask is not None else None
    if ask is None or media is None:
        return Received(Status.FOLLOWED, "the item is not in Taggarr yet")
    if media.arr_id is None or not media.instance.enabled:
        return Received(Status.FOLLOWED, asks=(ask.pk,))
    run = scan_items(media.instance, [media.arr_id], "Seerr")
    record(
        media,
        f"Seerr {connection.name}: {media.title} is available: a scan of it was queued",
        {"what": codes.SEERR_SCAN, "seerr": connection.name, "title": media.title},
    )
    return Received(Status.FOLLOWED, scan=run.pk if run else None)


def _same_request(notice: Notice) -> Q:
    """The request by its id; one without an id by its asker and item."""
    if notice.request_id is not None:
        return Q(request_id=notice.request_id)
    return Q(
        request_id__isnull=True,
        asker_email=notice.requested_by,
        tmdb_id=notice.tmdb_id,
        tvdb_id=notice.tvdb_id,
    )
