"""What runs after a scan, per item, wherever it runs: a worker's task (tasks.py), the
inline scan (``scan --inline``) or the command line.

After a run of an instance whose option is "plan" or "set" (a dry-run scan only plans),
each item of its scope whose plan may have changed (plan.due: its files, its settings,
a write refused for a while) is planned; on "set" its planned rows are written right
after, by the same holder. The item is held by its lease (lease.py) from its plan to its
last write: a second task for it marks it asked again and ends, and the holder plans it
once more.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from scanner.default_tracks import apply, plan
from scanner.default_tracks import lease as item_lease
from scanner.held_turns import held_once, take_turns
from scanner.leases import new_token
from scanner.models import Instance, Media, ScanRun

Mode = Instance.DefaultTracks
ENDED = (ScanRun.Status.SUCCEEDED, ScanRun.Status.PARTIAL)
NOT_AFTER = (ScanRun.Mode.REMOVE,)  # a run that takes Taggarr's tags away plans nothing


@dataclass
class ItemRun:
    """What one item's turn did (its plan, and on "set" its writes)."""

    media_id: int
    held: bool = True  # False: another task held the item (asked to plan it again)
    plans: list[plan.ItemPlan] = field(default_factory=list)
    applies: list[apply.ItemApply] = field(default_factory=list)

    @property
    def written(self) -> int:
        return sum(a.counts.get(apply.WRITTEN, 0) for a in self.applies)


def items_of_run(run_id: int) -> list[int]:
    """The items to plan after ``run_id``: none when its instance's option is off or the
    run did not end well; else its scope's items whose plan is due."""
    run = ScanRun.objects.select_related("instance").filter(pk=run_id).first()
    if run is None or run.status not in ENDED or run.mode in NOT_AFTER:
        return []
    instance = run.instance
    if instance.default_tracks == Mode.OFF:
        return []
    media = Media.objects.filter(instance=instance).prefetch_related("files")
    scope = run.scope if isinstance(run.scope, list) else []
    if scope:
        media = media.filter(instance.scope_filter(scope))
    return [m.pk for m in media.order_by("pk") if plan.due(m, instance)]


def writes_after(run_id: int | None, instance: Instance) -> bool:
    """Whether planned rows are written right after their plan: "set", and not a dry run."""
    if instance.default_tracks != Mode.SET:
        return False
    if run_id is None:
        return True
    return not ScanRun.objects.filter(pk=run_id, dry_run=True).exists()


def run_item(
    media_id: int,
    *,
    run_id: int | None,
    token: int,
    progressed: Callable[[], None] | None = None,
) -> ItemRun:
    """Plan the item (and on "set" write what was planned), held by ``token``."""
    result = ItemRun(media_id)

    def turn() -> bool:
        instance = Instance.objects.filter(media__pk=media_id).first()
        if instance is None:  # the item was removed meanwhile
            return False
        planned = plan.plan_item(media_id, run_id=run_id, token=token)
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
    return [
        run_item(media_id, run_id=run_id, token=new_token()) for media_id in items_of_run(run_id)
    ]


def apply_held(
    media_id: int,
    change_ids: list[int] | None,
    *,
    token: int,
    by: str,
    via: str,
) -> apply.ItemApply | None:
    """Write the item's planned rows (``change_ids`` among them) under its lease; None
    when another task holds the item (the rows stay planned: asked again later)."""
    return held_once(
        item_lease.ITEM,
        media_id,
        token,
        lambda: apply.apply_item(media_id, token=token, change_ids=change_ids, by=by, via=via),
    )
