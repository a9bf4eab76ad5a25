"""The quality profiles on the change flow (scanner.changes): the option, the lease, the
items a run's end plans, and the profiles' own plan, write and undo. The household's
listeners are read once per inline run (``context``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from scanner.changes.act import Act, TaskNames, followed_run
from scanner.models import Instance, ItemProfile, Media, ProfileChange, ProfileLease
from scanner.wish_profiles import apply, plan, review, undo
from scanner.wish_profiles import lease as item_lease
from scanner.wish_profiles.wishes import household

# What plan.due reads of an item.
PLANNED_FIELDS = (
    "instance_id", "kind", "arr_id", "wanted", "wanted_targets", "original_language",
    "original_override", "quality_profile_id", "language_verdicts",
)  # fmt: skip


def items_of_run(run_id: int) -> list[int]:
    """The items to plan after ``run_id``: none when its instance's option is off, it is
    no *arr, or the run did not end well; else its scope's items the *arr lists whose
    plan may do something (plan.due, read in a few queries for the whole scope)."""
    run = followed_run(run_id)
    if run is None:
        return []
    instance = run.instance
    if instance.wish_profiles == Instance.WishProfiles.OFF or not instance.is_arr:
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


def shared() -> Mapping[str, Any]:
    """What every item of an inline run reads: the household's listeners, once."""
    return {"listeners": household()}


ACT = Act(
    name="wish_profiles",
    option="wish_profiles",
    held_by=item_lease.ITEM,
    items_of_run=items_of_run,
    plan_item=plan.plan_item,
    apply_item=apply.apply_item,
    undo=undo.undo,
    tasks=TaskNames(
        run="plan_run_wish_profiles",
        item="follow_wish_profile",
        apply="apply_wish_profiles",
        undo="undo_wish_profiles",
    ),
    context=shared,
    journal=ProfileChange,
    review=review.REVIEW,
    checks=apply.WRITE_CHECKS,
)
