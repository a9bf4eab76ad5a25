"""The badges of an item's posters planned, written and undone (issue 95), on the
change flow's terms (scanner.changes.act: ``plan_item``, ``apply_item``, ``undo``).

An item's posters are its *targets* (scanner.badges.places): the poster file beside it
(Kodi, and Jellyfin and Emby with local images), and the primary image of each item of
a Jellyfin or Emby server it is linked to (scanner.badges.links); each has its own
rows. A server whose poster IS the file beside the item (its library saves artwork
there) is drawn through that file only; an item with a server and no poster file is
drawn on the server only (no "no poster" row for its folder).

- **Plan** (a dry run's too: nothing is written, nothing kept): what the badges say now
  (scanner.badges.says), the poster file beside the item (scanner.badges.poster_file)
  as it is, the original to draw on, and a drawing made to see it can be; one row
  "planned", or "refused" with why. An item whose poster already shows its badges, or
  that has none and never had any drawn, plans nothing.
- **The original**: the poster as Taggarr first found it. A poster that is Taggarr's own
  drawing (its digest a written row's) is never drawn on again: the badges are drawn
  on the original that row kept.
- **Apply**, under the item's lease: the poster read again and refused unless it is
  byte for byte the one planned; the original kept in PostgreSQL (PosterOriginal, by
  its digest) and the row saved "writing" BEFORE the poster changes; then the drawing
  written, read back and compared. An item left with no badge gets its original back.
- **Undo**: the original written back only over the poster Taggarr wrote (its digest):
  one the user or a server put there since is left alone, and said so.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable
from dataclasses import asdict as as_dict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from scanner.artwork.folder_files import library_root
from scanner.badges import refusals
from scanner.badges.draw import PosterRefused, Style, draw
from scanner.badges.due import badges_for, due, journals, optional
from scanner.badges.lease import ITEM
from scanner.badges.places import FOLDER, FolderPlace, Place, ServerPlace, Target
from scanner.badges.poster_file import PosterFileRefused, Seen, sha256
from scanner.badges.says import Badge, digest
from scanner.badges.style import style
from scanner.changes.act import WRITTEN, Outcomes
from scanner.changes.checks import Check, Refusal, first_refusal, refuse_when
from scanner.errors import ShareUnanswered
from scanner.leases import new_token
from scanner.models import BadgeChange, Media, MediaServer, PosterOriginal
from scanner.runtime.held_turns import held_once
from scanner.runtime.hold import holding

logger = logging.getLogger(__name__)

State = BadgeChange.State
REFUSED = "refused"
UNDONE = "undone"

__all__ = ["WRITE_CHECKS", "ItemPlan", "apply_item", "due", "plan_item", "undo"]


@dataclass
class ItemPlan:
    """What one item's plan did: the rows it planned, and those it refused (ids; none on
    a dry plan), and a line per poster, English (the command line's)."""

    media_id: int
    planned: list[int] = field(default_factory=list)
    refused: list[int] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)


def _rows(media: Media, target: Target) -> QuerySet[BadgeChange]:
    return BadgeChange.objects.filter(
        media=media, where=target.where, server_id=target.server_id, server_item=target.item_id
    )


def _last_written(media: Media, target: Target) -> BadgeChange | None:
    rows = _rows(media, target).filter(state=State.WRITTEN)
    return rows.order_by("-applied_at", "-pk").first()


def plan_item(
    media_id: int, *, run_id: int | None = None, token: int | None = None, dry: bool = False
) -> ItemPlan:
    """Plan the item's posters (the caller holds its lease with ``token``); ``dry``: say
    what would be planned, record nothing."""
    del token  # held by the caller: the plan writes nothing but its rows
    result = ItemPlan(media_id)
    media = Media.objects.select_related("instance").filter(pk=media_id).first()
    if media is None:
        return result
    if not dry:
        BadgeChange.objects.filter(media=media, state=State.PLANNED).update(state=State.STALE)
    journal = journals([media.pk], media.instance_id)[media.pk]
    look = style(media)
    folders: dict[int | None, FolderPlace] = {}  # by season: the server's may be the file
    for target in journal.targets(media):
        badges = badges_for(media, target)
        row = BadgeChange(
            instance=media.instance,
            media=media,
            run_id=run_id,
            where=target.where,
            server_id=target.server_id,
            server_item=target.item_id,
            season=target.season,
            badges=[as_dict(badge) for badge in badges],
            badges_digest=digest(badges, look),
        )
        try:
            place = _place(media, target)
        except PosterFileRefused as exc:
            _refused(result, row, media.path, exc.code, exc.detail, dry=dry)
            continue
        if isinstance(place, FolderPlace):
            folders[target.season] = place
        try:
            file = folders.get(target.season)
            _plan_target(result, media, row, place, file, optional(target, journal), dry=dry)
        finally:
            if isinstance(place, ServerPlace):
                place.close()
    return result


def _place(media: Media, target: Target, path: str | None = None) -> Place:
    """The place a target's poster is read and written."""
    if target.where == FOLDER:
        root = library_root(media.path, media.instance.root_folders or [])
        return FolderPlace(media.path, root, path, target.season)
    server = MediaServer.objects.filter(pk=target.server_id or 0).first()
    if server is None:
        raise PosterFileRefused(refusals.GONE)
    return ServerPlace(server, target.item_id)


def _plan_target(
    result: ItemPlan,
    media: Media,
    row: BadgeChange,
    place: Place,
    folder: FolderPlace | None,
    optional: bool,
    *,
    dry: bool,
) -> None:
    """One target's row: planned, refused, or none (nothing to do there)."""
    badges = tuple(Badge(**badge) for badge in row.badges)
    said = row.badges_digest
    try:
        with holding():
            seen = place.look()
    except ShareUnanswered:
        return _refused(result, row, place.label, refusals.SHARE_UNANSWERED, dry=dry)
    except PosterFileRefused as exc:
        return _refused(result, row, place.label, exc.code, exc.detail, dry=dry)
    server = {"server": place.label} if isinstance(place, ServerPlace) else {}
    if seen is None:
        if not badges or optional:
            return None  # nothing to draw on, or a season's, or drawn on the server instead
        code = refusals.NO_SERVER_POSTER if server else refusals.NO_POSTER
        return _refused(result, row, place.label, code, server, dry=dry)
    if isinstance(place, ServerPlace) and folder and folder.path == place.local_path():
        return None  # the server reads the poster file beside the item: drawn there
    if seen.links > 1:  # said by the plan (a dry run shows it), checked again by the write
        links = {"links": str(seen.links)}
        return _refused(result, row, seen.path, refusals.HARDLINKED, links, dry=dry)
    target = Target.of(row)
    original = _original_of(media, target, seen)
    if original is None:
        return _refused(result, row, seen.path, refusals.NO_ORIGINAL, dry=dry)
    written = _last_written(media, target)
    if written is not None and (seen.digest, said) == (
        written.written_digest,
        written.badges_digest,
    ):
        return None  # the poster shows these badges already
    if not badges and seen.digest == original.digest:
        return None  # no badge, and the poster is the original: nothing to do
    if badges:
        try:
            drawing(original.data, badges, style(media))
        except PosterRefused as exc:
            detail = {"why": str(exc)}
            return _refused(result, row, seen.path, refusals.NOT_AN_IMAGE, detail, dry=dry)
    row.path, row.state = seen.path, State.PLANNED
    row.size, row.mtime_ns, row.seen_digest = seen.size, seen.mtime_ns, seen.digest
    row.original_digest = original.digest
    words = ", ".join(badge.text for badge in badges) or "the original"
    result.lines.append(f"{seen.path}: {'would be planned' if dry else 'planned'}: {words}")
    if not dry:
        row.save()
        result.planned.append(row.pk)
    return None


@functools.lru_cache(maxsize=4)
def drawing(original: bytes, badges: tuple[Badge, ...], look: Style) -> bytes:
    """``draw``, kept for the few posters last drawn: on "set" the write right after the
    plan draws the same poster again (the same bytes: drawing is deterministic)."""
    return draw(original, badges, look)


@dataclass(frozen=True)
class _Original:
    digest: str
    data: bytes


def _original_of(media: Media, target: Target, seen: Seen) -> _Original | None:
    """The poster to draw on: the one seen, unless it is Taggarr's own drawing (then
    the original its row kept; None when that is missing). A drawing of another of the
    item's posters counts too: a server that copied the poster file Taggarr drew on
    (Plex's local assets, a Jellyfin that fetched it) is never drawn on twice."""
    drawn = BadgeChange.objects.filter(
        media=media, written_digest=seen.digest, state__in=[State.WRITTEN, State.WRITING]
    )
    ours = drawn.filter(pk__in=_rows(media, target).values("pk")).first() or drawn.first()
    if ours is None:
        return _Original(seen.digest, seen.data)
    kept = PosterOriginal.objects.filter(digest=ours.original_digest).first()
    return None if kept is None else _Original(kept.digest, bytes(kept.data))


def _refused(
    result: ItemPlan,
    row: BadgeChange,
    path: str,
    code: str,
    detail: dict[str, str] | None = None,
    *,
    dry: bool = False,
) -> None:
    row.path, row.state, row.refusal = path, State.REFUSED, code
    row.detail = {key: value for key, value in (detail or {}).items() if value}
    result.lines.append(f"{path}: refused, {code}")
    if not dry:
        row.save()
        result.refused.append(row.pk)


def apply_item(
    media_id: int,
    *,
    token: int,
    change_ids: Iterable[int] | None = None,
    by: str = "",
    via: str = "",
) -> Outcomes:
    """Write the item's newest planned row (of ``change_ids``) of each of its targets;
    the caller holds the item's lease with ``token``."""
    result = Outcomes(media_id)
    rows = BadgeChange.objects.filter(media_id=media_id, state=State.PLANNED)
    if change_ids is not None:
        rows = rows.filter(pk__in=list(change_ids))
    newest: dict[Target, BadgeChange] = {}
    for change in rows.select_related("media__instance").order_by("-pk"):
        newest.setdefault(Target.of(change), change)
    for change in newest.values():
        if change.media is None:
            continue
        with holding():
            outcome = _write(change, token=token, by=by)
        result.count(outcome)
        said = f", {change.refusal}" if change.refusal else ""
        result.lines.append(f"{change.path}: {outcome}{said}")
    del via
    return result


@dataclass(frozen=True)
class Read:
    """A planned row and its poster as read again before the write."""

    change: BadgeChange
    seen: Seen


def _original_refusal(read: Read) -> Refusal | None:
    if read.seen.digest == read.change.original_digest:
        return None
    kept = PosterOriginal.objects.filter(digest=read.change.original_digest).exists()
    return None if kept else Refusal(refusals.NO_ORIGINAL)


# The write's refusals, in order (scanner.changes.checks), after the poster was read
# again (poster_file.look's own: gone, a link, outside the library, unreadable).
WRITE_CHECKS: tuple[Check[Read], ...] = (
    refuse_when(
        "the poster planned", refusals.CHANGED, lambda r: r.seen.digest != r.change.seen_digest
    ),
    Check(
        "its own file",
        lambda r: (
            Refusal(refusals.HARDLINKED, {"links": str(r.seen.links)}) if r.seen.links > 1 else None
        ),
        frozenset({refusals.HARDLINKED}),
    ),
    Check("the original kept", _original_refusal, frozenset({refusals.NO_ORIGINAL})),
)


def _write(change: BadgeChange, *, token: int, by: str) -> str:
    media = change.media
    assert media is not None  # noqa: S101 - apply_item's rows have their item
    place: Place | None = None
    try:
        place = _place(media, Target.of(change), change.path)
        seen = place.look()
        if seen is None:
            raise PosterFileRefused(refusals.GONE)
        refused = first_refusal(WRITE_CHECKS, Read(change, seen))
        if refused is not None:
            raise PosterFileRefused(refused.code, **{k: str(v) for k, v in refused.detail.items()})
        original = _kept(change, seen)
        badges = tuple(Badge(**badge) for badge in change.badges)
        drawn_as = style(media)
        drawn = drawing(original, badges, drawn_as) if badges else original
        change.badges_digest = digest(badges, drawn_as)  # the look drawn: the instance's now
        ITEM.hold(media.pk, token)  # the fence: nothing is written for a lost lease
        if isinstance(place, ServerPlace):
            change.detail = {**change.detail, **_lock_before(change, place, seen)}
        with transaction.atomic():
            PosterOriginal.objects.get_or_create(
                digest=change.original_digest, defaults={"data": original, "size": len(original)}
            )
            change.state, change.written_digest = State.WRITING, sha256(drawn)
            fields = ["state", "written_digest", "badges_digest", "detail", "updated_at"]
            change.save(update_fields=fields)
        place.replace(drawn, expected=change.seen_digest)
    except ShareUnanswered:
        return _not_written(change, refusals.SHARE_UNANSWERED, {})
    except PosterFileRefused as exc:
        return _not_written(change, exc.code, exc.detail)
    except PosterRefused as exc:
        return _not_written(change, refusals.NOT_AN_IMAGE, {"why": str(exc)[:300]})
    finally:
        if isinstance(place, ServerPlace):
            place.close()
    change.state, change.applied_at, change.applied_by = State.WRITTEN, timezone.now(), by
    with transaction.atomic():
        change.save(update_fields=["state", "applied_at", "applied_by", "updated_at"])
        # A write cut short before (a worker killed: its row left "writing") is this
        # one's now: the same original kept, and its undo would take this poster away.
        cut_short = _rows(media, Target.of(change)).filter(state=State.WRITING)
        cut_short.exclude(pk=change.pk).update(state=State.STALE)
    return WRITTEN


def _lock_before(change: BadgeChange, place: ServerPlace, seen: Seen) -> dict[str, str]:
    """Plex: whether the poster's field was locked before Taggarr's first poster ("1",
    "0"; Plex locks the poster it is given), for the undo: read now on the original,
    else carried from the row whose drawing the server shows."""
    if seen.digest == change.original_digest:
        locked = place.locked()
        return {} if locked is None else {"locked": "1" if locked else "0"}
    ours = BadgeChange.objects.filter(
        media_id=change.media_id or 0, written_digest=seen.digest, detail__has_key="locked"
    ).first()
    return {"locked": str(ours.detail["locked"])} if ours is not None else {}


def _kept(change: BadgeChange, seen: Seen) -> bytes:
    """The original's bytes: the poster seen, or the one kept when it is Taggarr's own."""
    if seen.digest == change.original_digest:
        return seen.data
    return bytes(PosterOriginal.objects.get(digest=change.original_digest).data)


def _not_written(change: BadgeChange, code: str, detail: dict[str, str]) -> str:
    """The poster was left as it was (a write that failed after the rename is read back
    as changed: never claimed written)."""
    failed = code == refusals.WRITE_FAILED
    change.state = State.FAILED if failed else State.REFUSED
    change.refusal, change.detail = code, detail
    if not failed:
        change.written_digest = ""
    change.save(update_fields=["state", "refusal", "detail", "written_digest", "updated_at"])
    return REFUSED if not failed else "failed"


def undo(*, change_ids: Iterable[int] | None = None, by: str = "", via: str = "") -> Outcomes:
    """Put the original poster back for each undoable row (of ``change_ids``), only over
    the poster Taggarr wrote; each item under its lease."""
    del via
    result = Outcomes()
    rows = BadgeChange.objects.filter(BadgeChange.UNDOABLE).select_related("media__instance")
    if change_ids is not None:
        rows = rows.filter(pk__in=list(change_ids))
    for change in rows.order_by("-pk"):
        if change.media is None:
            continue
        done = held_once(
            ITEM, change.media.pk, new_token(), functools.partial(_undo_one, change, by)
        )
        outcome = done if done is not None else "busy"
        result.count(outcome)
        result.lines.append(f"{change.path}: {outcome}")
    return result


def _undo_one(change: BadgeChange, by: str) -> str:
    media = change.media
    assert media is not None  # noqa: S101 - undo's rows have their item
    kept = PosterOriginal.objects.filter(digest=change.original_digest).first()
    place: Place | None = None
    try:
        with holding():
            place = _place(media, Target.of(change), change.path)
            seen = place.look()
            if seen is None:
                raise PosterFileRefused(refusals.GONE)
            if seen.digest == change.original_digest:  # a write that never happened
                if isinstance(place, FolderPlace):
                    place.tidy()  # a worker killed before its rename: its new file
                return _undone(change, by)
            if seen.digest != change.written_digest:
                raise PosterFileRefused(refusals.CHANGED)
            if kept is None:
                raise PosterFileRefused(refusals.NO_ORIGINAL)
            place.replace(bytes(kept.data), expected=seen.digest)
            if isinstance(place, ServerPlace) and change.detail.get("locked") == "0":
                place.unlock()  # Plex locked the uploads: the field as the user had it
    except ShareUnanswered:
        return _undo_refused(change, refusals.SHARE_UNANSWERED)
    except PosterFileRefused as exc:
        return _undo_refused(change, exc.code)
    finally:
        if isinstance(place, ServerPlace):
            place.close()
    return _undone(change, by)


def _undone(change: BadgeChange, by: str) -> str:
    change.state, change.undone_at, change.undone_by = State.UNDONE, timezone.now(), by
    change.detail = {key: value for key, value in change.detail.items() if key != "undo"}
    change.save(update_fields=["state", "undone_at", "undone_by", "detail", "updated_at"])
    return UNDONE


def _undo_refused(change: BadgeChange, code: str) -> str:
    change.detail = {**change.detail, "undo": code}
    change.save(update_fields=["detail", "updated_at"])
    logger.info("badges of %s not undone: %s", change.path, code)
    return REFUSED
