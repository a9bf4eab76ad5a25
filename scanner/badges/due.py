"""Which items' badges are to be planned after a run (issue 95), read in bulk: an
unchanged rescan of 30,000 items must cost a few queries per thousand items, not a few
per item, and never a look at a poster or a server.

An item is due when, on any of its targets (its folder's poster, each linked server
item: scanner.badges.places.Target), what its badges say changed since that target's
last row, or that row was refused for a reason that may pass (a poster put there since,
a share or a server back: refusals.PLANNED_AGAIN, or the poster fetched again by
Taggarr's artwork refresh, or a week passed), or (``writes``: the option is "set") it
is still only planned, by a dry run or while the option was "plan". An item with no
badge and none ever drawn is never due. A folder without a poster file records nothing
when the item has a server to draw on: it is looked at again as a refused poster is.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Max
from django.utils import timezone

from scanner.badges import refusals
from scanner.badges.links import KINDS
from scanner.badges.places import FOLDER, SERVER, Target
from scanner.badges.says import digest, item_badges
from scanner.badges.style import style
from scanner.models import Artwork, BadgeChange, Media, ServerItemLink

__all__ = ["NO_POSTER_AGAIN", "Journal", "due", "due_items", "journals", "targets_of"]

State = BadgeChange.State
# An item whose folder had no poster file is looked at again after this long.
NO_POSTER_AGAIN = timedelta(days=7)
CHUNK = 2000  # items read at once


@dataclass(frozen=True, slots=True)
class Row:
    """What ``due`` reads of a row."""

    state: str
    refusal: str
    badges_digest: str
    planned_at: datetime


@dataclass
class Journal:
    """One item's rows and links, as ``due`` needs them."""

    links: list[Target] = field(default_factory=list)
    last: dict[Target, Row] = field(default_factory=dict)  # newest row but a stale one
    written: set[Target] = field(default_factory=set)  # targets with a written row
    newest: Row | None = None  # of any target and state
    poster_fetched: datetime | None = None  # the artwork refresh's last poster

    @property
    def targets(self) -> list[Target]:
        return [Target(), *self.links]


def journals(media_ids: list[int], instance_id: int) -> dict[int, Journal]:
    """The journals of ``media_ids`` (the items of one instance), in three queries."""
    found = {pk: Journal() for pk in media_ids}
    links = (
        ServerItemLink.objects.filter(
            media_id__in=media_ids,
            server__enabled=True,
            server__write_badges=True,
            server__kind__in=KINDS,
            server__instances=instance_id,
        )
        .values_list("media_id", "server_id", "item_id")
        .distinct()
    )
    for media_id, server_id, item_id in sorted(links):
        found[media_id].links.append(Target(SERVER, server_id, item_id))
    rows = (
        BadgeChange.objects.filter(media_id__in=media_ids)
        .order_by("media_id", "-planned_at", "-pk")
        .values_list(
            "media_id", "where", "server_id", "server_item", "state", "refusal",
            "badges_digest", "planned_at",
        )
    )  # fmt: skip
    for media_id, where, server_id, item_id, state, refusal, said, planned_at in rows.iterator(
        chunk_size=CHUNK
    ):
        journal = found[media_id]
        row = Row(state, refusal, said, planned_at)
        target = Target(SERVER, server_id, item_id) if where == SERVER else Target()
        if journal.newest is None:
            journal.newest = row
        if state != State.STALE:
            journal.last.setdefault(target, row)
        if state == State.WRITTEN:
            journal.written.add(target)
    fetched = (
        Artwork.objects.filter(media_id__in=media_ids, kind=Artwork.Kind.POSTER)
        .values("media_id")
        .annotate(last=Max("fetched_at"))
        .values_list("media_id", "last")
    )
    for media_id, last in fetched:
        found[media_id].poster_fetched = last
    return found


def targets_of(media: Media) -> list[Target]:
    """The item's posters: its folder's, then each linked item of a server that gets the
    instance's badges (links.badge_servers), in a stable order."""
    return journals([media.pk], media.instance_id)[media.pk].targets


def due(media: Media, *, writes: bool = False) -> bool:
    """Whether one item's badges are to be planned (the module's rule)."""
    return _due(media, journals([media.pk], media.instance_id)[media.pk], writes)


def due_items(media: Iterable[Media], *, writes: bool = False) -> Iterator[int]:
    """The pks of the items (of one instance, with it set) whose badges are due, read
    CHUNK at a time."""
    chunk: list[Media] = []
    for item in media:
        chunk.append(item)
        if len(chunk) == CHUNK:
            yield from _due_chunk(chunk, writes)
            chunk = []
    if chunk:
        yield from _due_chunk(chunk, writes)


def _due_chunk(chunk: list[Media], writes: bool) -> Iterator[int]:
    read = journals([item.pk for item in chunk], chunk[0].instance_id)
    return (item.pk for item in chunk if _due(item, read[item.pk], writes))


def _due(media: Media, journal: Journal, writes: bool) -> bool:
    badges = item_badges(media.language_verdicts, media.verdict_reasons)
    said = digest(badges, style(media))
    others = bool(journal.links)
    for target in journal.targets:
        last = journal.last.get(target)
        if last is None and others and target.where == FOLDER:
            newest = journal.newest
            due = bool(badges) if newest is None else _poster_seen_since(journal, newest)
        elif last is None:
            due = bool(badges)
        elif last.badges_digest != said:
            due = bool(badges) or target in journal.written
        elif last.state == State.REFUSED:
            due = last.refusal in refusals.PLANNED_AGAIN or _poster_seen_since(journal, last)
        else:
            due = writes and last.state == State.PLANNED
        if due:
            return True
    return False


def _poster_seen_since(journal: Journal, last: Row) -> bool:
    """Whether a poster refused (none there, a link, a hard link, no image...) is to be
    looked at again, without a look at every folder at every run: Taggarr's artwork
    refresh fetched the item's poster since (the *arr's cover changed, or a poster file
    appeared or changed in a library folder), or a week has passed (NO_POSTER_AGAIN)."""
    if last.planned_at <= timezone.now() - NO_POSTER_AGAIN:
        return True
    fetched = journal.poster_fetched
    return fetched is not None and fetched > last.planned_at
