"""Which items' badges are to be planned after a run (issue 95), read in bulk: an
unchanged rescan of 30,000 items must cost a few queries per thousand items, not a few
per item, and never a look at a poster or a server.

An item is due when, on any of its targets (its folder's poster, each linked server
item: scanner.badges.places.Target), what its badges say changed since that target's
last row, or that row was refused for a reason that may pass (a poster put there since,
a share or a server back: refusals.PLANNED_AGAIN, or the poster fetched again by
Taggarr's artwork refresh, or a week passed), or (``writes``: the option is "set") it
is still only planned, by a dry run or while the option was "plan", or its write was
cut short (a worker killed while it wrote: "writing"). An item with no
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
from scanner.badges.says import Badge, digest, season_badges, seasons_of
from scanner.badges.style import badges, style
from scanner.models import Artwork, BadgeChange, Media, ServerItemLink

__all__ = [
    "NO_POSTER_AGAIN", "Journal", "badges_for", "due", "due_items", "journals", "optional",
    "targets_of",
]  # fmt: skip

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

    def targets(self, media: Media) -> list[Target]:
        """The item's posters: its own in its folder, each season's in the series
        folder, then each linked server item (the series' or film's, and its seasons')."""
        seasons = [Target(season=n) for n in seasons_of(media.verdict_reasons)]
        return [Target(), *seasons, *self.links]

    @property
    def on_server(self) -> bool:
        """Whether the item itself (not only a season) is linked to a server item."""
        return any(link.season is None for link in self.links)


def optional(target: Target, journal: Journal) -> bool:
    """Whether a target without a poster is said nothing (no row): a season's, and the
    folder's when the item has a server to draw on."""
    return target.season is not None or (target.where == FOLDER and journal.on_server)


def badges_for(media: Media, target: Target) -> tuple[Badge, ...]:
    """What the target's poster is to say: the item's dubs, or its season's."""
    if target.season is None:
        return badges(media)
    return season_badges(media.verdict_reasons, target.season)


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
        .values_list("media_id", "server_id", "item_id", "season")
        .distinct()
    )
    for media_id, server_id, item_id, season in sorted(links, key=_link_order):
        found[media_id].links.append(Target(SERVER, server_id, item_id, season))
    rows = (
        BadgeChange.objects.filter(media_id__in=media_ids)
        .order_by("media_id", "-planned_at", "-pk")
        .values_list(
            "media_id", "where", "server_id", "server_item", "season", "state", "refusal",
            "badges_digest", "planned_at",
        )
    )  # fmt: skip
    for (
        media_id,
        where,
        server_id,
        item_id,
        season,
        state,
        refusal,
        said,
        planned_at,
    ) in rows.iterator(chunk_size=CHUNK):
        journal = found[media_id]
        row = Row(state, refusal, said, planned_at)
        target = (
            Target(SERVER, server_id, item_id, season) if where == SERVER else Target(season=season)
        )
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


def _link_order(link: tuple[int, int, str, int | None]) -> tuple[int, int, int, str]:
    media_id, server_id, item_id, season = link
    return media_id, server_id, -1 if season is None else season, item_id


def targets_of(media: Media) -> list[Target]:
    """The item's posters (Journal.targets), a server's those of the servers that get the
    instance's badges (links.badge_servers), in a stable order."""
    return journals([media.pk], media.instance_id)[media.pk].targets(media)


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
    look = style(media)
    for target in journal.targets(media):
        badges = badges_for(media, target)
        said = digest(badges, look)
        last = journal.last.get(target)
        if last is None and optional(target, journal):
            # No poster there recorded nothing: looked at again as a refused poster is.
            newest = journal.newest
            due = bool(badges) if newest is None else _poster_seen_since(journal, newest)
        elif last is None:
            due = bool(badges)
        elif last.badges_digest != said:
            due = bool(badges) or target in journal.written
        elif last.state == State.REFUSED:
            due = last.refusal in refusals.PLANNED_AGAIN or _poster_seen_since(journal, last)
        elif last.state == State.WRITING:
            due = True  # a write cut short (a worker killed): planned and drawn again
        elif last.state == State.FAILED:
            due = _poster_seen_since(journal, last)  # a folder read-only, a disk full
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
