"""What runs after a scan, per item, wherever it runs: a worker's task (tasks.py), the
inline scan (``scan --inline``), the command line, or at once for a Seerr request
(requests.follow).

After a run of an instance whose option is "plan" or "set" (a dry-run scan only plans),
each item of its scope is planned (the database alone: cheap); on "set" its planned row
is written right after, by the same holder. The item is held by its lease (lease.py)
from its plan to its write: a second task for it marks it asked again and ends, and the
holder plans it once more.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from scanner.engine.listener import Listener
from scanner.held_turns import held_once, take_turns
from scanner.leases import new_token
from scanner.models import Instance, ItemProfile, Media, ProfileChange, ProfileLease, ScanRun
from scanner.wish_profiles import apply, plan
from scanner.wish_profiles import lease as item_lease
from scanner.wish_profiles.hand import send_follow
from scanner.wish_profiles.wishes import household

Mode = Instance.WishProfiles
ENDED = (ScanRun.Status.SUCCEEDED, ScanRun.Status.PARTIAL)
NOT_AFTER = (ScanRun.Mode.REMOVE,)  # a run that takes Taggarr's tags away plans nothing


@dataclass
class ItemRun:
    """What one item's turn did (its plan, and on "set" its write)."""

    media_id: int
    held: bool = True  # False: another task held the item (asked to plan it again)
    plans: list[plan.ItemPlan] = field(default_factory=list)
    applies: list[apply.ItemApply] = field(default_factory=list)

    @property
    def written(self) -> int:
        return sum(a.counts.get(apply.WRITTEN, 0) for a in self.applies)


def items_of_run(run_id: int) -> list[int]:
    """The items to plan after ``run_id``: none when its instance's option is off, it is
    no *arr, or the run did not end well; else its scope's items the *arr lists whose
    plan may do something (plan.due, read in a few queries for the whole scope)."""
    run = ScanRun.objects.select_related("instance").filter(pk=run_id).first()
    if run is None or run.status not in ENDED or run.mode in NOT_AFTER:
        return []
    instance = run.instance
    if instance.wish_profiles == Mode.OFF or not instance.is_arr:
        return []
    mapping = dict(instance.mapped_profiles.values_list("wish", "profile_id"))
    if not mapping and not instance.wish_profiles_return:
        return []
    media = Media.objects.filter(instance=instance, arr_id__isnull=False).only(*PLANNED_FIELDS)
    scope = run.scope if isinstance(run.scope, list) else []
    if scope:
        media = media.filter(instance.scope_filter(scope))
    items = {row.media_id: row for row in ItemProfile.objects.filter(media__instance=instance)}
    waiting = set(
        ProfileChange.objects.filter(
            instance=instance, state=ProfileChange.State.PLANNED
        ).values_list("media_id", flat=True)
    ) | set(
        ProfileLease.objects.filter(media__instance=instance)
        .exclude(asked_reason="")
        .values_list("media_id", flat=True)
    )
    listeners = household()
    return [
        m.pk
        for m in media.order_by("pk")
        if plan.due(m, instance, items.get(m.pk), mapping, listeners, open_or_asked=m.pk in waiting)
    ]


# What plan.due reads of an item.
PLANNED_FIELDS = (
    "instance_id", "kind", "arr_id", "wanted", "wanted_targets", "original_language",
    "original_override", "quality_profile_id", "language_verdicts",
)  # fmt: skip


def writes_after(run_id: int | None, instance: Instance) -> bool:
    """Whether a planned row is written right after its plan: "set", and not a dry run."""
    if instance.wish_profiles != Mode.SET:
        return False
    if run_id is None:
        return True
    return not ScanRun.objects.filter(pk=run_id, dry_run=True).exists()


def run_item(
    media_id: int,
    *,
    run_id: int | None = None,
    token: int | None = None,
    listeners: tuple[Listener, ...] | None = None,
    progressed: Callable[[], None] | None = None,
) -> ItemRun:
    """Plan the item (and on "set" write what was planned), held by ``token`` (a new one
    when None)."""
    token = new_token() if token is None else token
    result = ItemRun(media_id)

    def turn() -> bool:
        instance = Instance.objects.filter(media__pk=media_id).first()
        if instance is None:  # the item was removed meanwhile
            return False
        planned = plan.plan_item(media_id, run_id=run_id, token=token, listeners=listeners)
        result.plans.append(planned)
        if progressed is not None:
            progressed()
        if planned.planned and writes_after(run_id, instance):
            result.applies.append(
                apply.apply_item(media_id, token=token, change_ids=planned.planned)
            )
        return True

    result.held = take_turns(item_lease.ITEM, media_id, token, turn)
    return result


def run_inline(run_id: int) -> list[ItemRun]:
    """``scan --inline``: the run's items planned (and on "set" written) here, one after
    another (there may be no worker at all)."""
    items = items_of_run(run_id)
    listeners = household() if items else ()
    return [run_item(media_id, run_id=run_id, listeners=listeners) for media_id in items]


def send_item(media_id: int) -> None:
    """One item planned (and on "set" written) by a worker: one task (hand.send_follow)."""
    send_follow(media_id)


def apply_held(
    media_id: int,
    change_ids: list[int] | None,
    *,
    token: int,
    by: str,
    via: str,
) -> apply.ItemApply | None:
    """Write the item's planned row (among ``change_ids``) under its lease; None when
    another task holds the item (the row stays planned)."""
    return held_once(
        item_lease.ITEM,
        media_id,
        token,
        lambda: apply.apply_item(media_id, token=token, change_ids=change_ids, by=by, via=via),
    )
