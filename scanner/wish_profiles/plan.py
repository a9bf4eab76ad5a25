"""The dry run: for one item, the quality profile its wish maps to, planned from the
database alone (no request to the *arr): what the scan last listed
(Media.quality_profile_id), what Taggarr last wrote (models.ItemProfile) and the
mapping a person saved (models.WishProfile).

- The option off, an item the *arr does not list (a library folder's), or no mapping for
  its wish: nothing.
- The user's hand (ItemProfile.hand): nothing, ever, until released on the item.
- Taggarr wrote a profile and the item has another now: a person changed it in the *arr:
  the hand is marked (one event), nothing planned (hand.py).
- With "back to the earlier profile once the dub arrived" (Instance.wish_profiles_return):
  the item's wanted dub is there (its verdict for the wish's target is "dub"), Taggarr set
  the profile it has, and the one before is known: back to it (reason ARRIVED); once the
  dub is there the wish's profile is not planned again.
- Else the item's profile is not the mapped one: planned (reason WISH; SEERR when a Seerr
  request asked for it: requests.follow).

A plan identical to the item's open one keeps that row (a second run says nothing new, an
unchanged rescan writes nothing); a different one makes the open one stale. The caller
holds the item's lease (lease.py).
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from scanner.engine.listener import Listener
from scanner.engine.verdict import Tag
from scanner.engine.wishes import wish_target
from scanner.models import Instance, ItemProfile, Media, ProfileChange, ProfileLease, WishProfile
from scanner.wish_profiles import hand
from scanner.wish_profiles import lease as item_lease
from scanner.wish_profiles.profile_names import known_names
from scanner.wish_profiles.wishes import wish_of_media

logger = logging.getLogger(__name__)

State = ProfileChange.State
Reason = ProfileChange.Reason
Mode = Instance.WishProfiles
# Outcomes of one item's plan.
PLANNED, KEPT, NOTHING, HAND, OFF = "planned", "kept", "nothing", "hand", "off"


@dataclass
class ItemPlan:
    """What planning one item did: its outcome, the row planned (to write now, on "set"),
    and a line of English (the command line's)."""

    media_id: int
    outcome: str = NOTHING
    change_id: int | None = None
    line: str = ""

    @property
    def planned(self) -> list[int]:
        return [self.change_id] if self.change_id is not None else []


@dataclass(frozen=True)
class Ask:
    """A request waiting for the item's plan (requests.follow): why, and who asked."""

    reason: str = ""
    asked_by: str = ""


def take_ask(media_id: int) -> Ask:
    """The ask kept on the item's lease row, taken (cleared) by this plan."""
    with transaction.atomic():
        row = ProfileLease.objects.select_for_update().filter(media_id=media_id).first()
        if row is None or not row.asked_reason:
            return Ask()
        ask = Ask(row.asked_reason, row.asked_by)
        row.asked_reason, row.asked_by = "", ""
        row.save(update_fields=["asked_reason", "asked_by"])
    return ask


def arrived(media: Media, wish: str) -> bool:
    """Whether the dub the wish asks for is in every file of the item (its verdict)."""
    target = wish_target(wish)
    verdicts = media.language_verdicts if isinstance(media.language_verdicts, dict) else {}
    return target is not None and verdicts.get(target) == Tag.DUB.value


def profile_names(
    instance: Instance, item: ItemProfile | None, ids: Collection[int]
) -> dict[int, str]:
    """The names Taggarr knows profiles ``ids`` by (profile_names.known_names: the
    journal's, the mapping's, the items' earlier ones)."""
    names = known_names(instance.pk, ids)
    if item is not None and item.earlier_profile_id is not None and item.earlier_profile_name:
        names.setdefault(item.earlier_profile_id, item.earlier_profile_name)
    return names


def due(
    media: Media,
    instance: Instance,
    item: ItemProfile | None,
    mapping: dict[str, int],
    listeners: tuple[Listener, ...],
    *,
    open_or_asked: bool = False,
) -> bool:
    """Whether planning the item may do something (the run's end sends a task only for
    those: an unchanged library sends none). ``mapping``: the instance's wish -> profile
    id; ``open_or_asked``: the item has an open plan, or an ask waiting."""
    if item is not None and item.hand:
        return False
    current = media.quality_profile_id
    if hand.taken_by_hand(item, current) or open_or_asked:
        return True
    wish = wish_of_media(media, instance, listeners)
    if instance.wish_profiles_return and arrived(media, wish):
        earlier = item.earlier_profile_id if item is not None else None
        set_by_us = item is not None and current is not None and item.set_profile_id == current
        return set_by_us and earlier is not None and earlier != current
    target = mapping.get(wish)
    return target is not None and target != current


def plan_item(
    media_id: int,
    *,
    run_id: int | None,
    token: int,
    listeners: tuple[Listener, ...] | None = None,
    dry: bool = False,
) -> ItemPlan:
    """Plan the item's quality profile; the caller holds the item's lease with
    ``token``. ``dry``: say what would be planned, record nothing (the ask is kept)."""
    result = ItemPlan(media_id)
    media = Media.objects.select_related("instance").filter(pk=media_id).first()
    if media is None:
        return result
    instance = media.instance
    ask = Ask() if dry else take_ask(media_id)
    if instance.wish_profiles == Mode.OFF or not instance.is_arr or media.arr_id is None:
        result.outcome, result.line = OFF, "off"
        return result
    item = ItemProfile.objects.filter(media=media).first()
    current = media.quality_profile_id
    if item is not None and item.hand:
        result.outcome, result.line = HAND, "left alone: its profile was chosen by hand"
        return result
    if item is not None and hand.taken_by_hand(item, current):
        if not hand.listed_since(media, item):  # a listing older than the write: wait
            result.line = "listed before its last change: planned at the next scan"
            return result
        result.outcome = HAND
        result.line = f"changed in the *arr to #{current}: left alone until released"
        if not dry:
            item_lease.hold(media_id, token)
            hand.mark_hand(media, current)
        return result
    wish = wish_of_media(media, instance, listeners)
    mapped = WishProfile.objects.filter(instance=instance, wish=wish).first()
    target, reason = _target(media, instance, item, wish, mapped, ask)
    if target is None or target == current:
        if not dry:
            _stale(media, keep=None)
        result.line = f"{wish}: nothing to change"
        return result
    names = profile_names(instance, item, [each for each in (current, target) if each is not None])
    wanted = ProfileChange(
        instance=instance,
        media=media,
        run_id=run_id,
        arr_id=media.arr_id,
        title=media.title[:500],
        wish=wish,
        reason=reason,
        state=State.PLANNED,
        profile_before=current,
        profile_before_name=names.get(current, "") if current is not None else "",
        profile_after=target,
        profile_after_name=names.get(target, "")[:100],
        asked_by=ask.asked_by[:150],
    )
    result.line = f"{wish}: #{current} -> #{target} ({reason})"
    if dry:
        result.outcome = PLANNED
        return result
    with transaction.atomic():
        item_lease.hold(media_id, token)
        same = _same_open(wanted)
        if same is not None:
            _stale(media, keep=same.pk)
            if ask.reason and (same.reason, same.asked_by) != (reason, wanted.asked_by):
                same.reason, same.asked_by = reason, wanted.asked_by
                same.save(update_fields=["reason", "asked_by", "updated_at"])
            result.outcome, result.change_id = KEPT, same.pk
            return result
        _stale(media, keep=None)
        wanted.save()
    result.outcome, result.change_id = PLANNED, wanted.pk
    return result


def _target(
    media: Media,
    instance: Instance,
    item: ItemProfile | None,
    wish: str,
    mapped: WishProfile | None,
    ask: Ask,
) -> tuple[int | None, str]:
    """The profile the item should have now, and why (None: leave it as it is)."""
    current = media.quality_profile_id
    if instance.wish_profiles_return and arrived(media, wish):
        earlier = item.earlier_profile_id if item is not None else None
        set_by_us = item is not None and item.set_profile_id == current and current is not None
        if set_by_us and earlier is not None and earlier != current:
            return earlier, Reason.ARRIVED
        return None, Reason.ARRIVED
    if mapped is None:
        return None, Reason.WISH
    reason = Reason.SEERR if ask.reason == Reason.SEERR else Reason.WISH
    return mapped.profile_id, reason


def _same_open(wanted: ProfileChange) -> ProfileChange | None:
    """The item's open row that plans exactly this change, if any."""
    return (
        ProfileChange.objects.filter(
            media=wanted.media,
            state=State.PLANNED,
            wish=wanted.wish,
            profile_before=wanted.profile_before,
            profile_after=wanted.profile_after,
        )
        .order_by("-pk")
        .first()
    )


def _stale(media: Media, *, keep: int | None) -> int:
    """The item's open rows, but ``keep``, planned again since."""
    rows = ProfileChange.objects.filter(media=media, state=State.PLANNED)
    if keep is not None:
        rows = rows.exclude(pk=keep)
    return int(rows.update(state=State.STALE, updated_at=timezone.now()))
