"""The default tracks on the change flow (scanner.changes): the option, the lease, the
items a run's end plans, and the default tracks' own plan, write and undo."""

from __future__ import annotations

from scanner.changes.act import Act, TaskNames, followed_run
from scanner.default_tracks import apply, plan, review, undo
from scanner.default_tracks import lease as item_lease
from scanner.models import DefaultTrackChange, Instance, Media


def items_of_run(run_id: int) -> list[int]:
    """The items to plan after ``run_id``: none when its instance's option is off or the
    run did not end well; else its scope's items whose plan is due (plan.due: their
    files, their settings, a write refused for a while)."""
    run = followed_run(run_id)
    if run is None or run.instance.default_tracks == Instance.DefaultTracks.OFF:
        return []
    instance = run.instance
    media = Media.objects.filter(instance=instance).prefetch_related("files")
    scope = run.scope if isinstance(run.scope, list) else []
    if scope:
        media = media.filter(instance.scope_filter(scope))
    return [m.pk for m in media.order_by("pk") if plan.due(m, instance)]


ACT = Act(
    name="default_tracks",
    option="default_tracks",
    held_by=item_lease.ITEM,
    items_of_run=items_of_run,
    plan_item=plan.plan_item,
    apply_item=apply.apply_item,
    undo=undo.undo,
    tasks=TaskNames(
        run="plan_run_default_tracks",
        item="plan_default_tracks",
        apply="apply_default_tracks",
        undo="undo_default_tracks",
    ),
    journal=DefaultTrackChange,
    review=review.REVIEW,
    checks=apply.WRITE_CHECKS,
)
