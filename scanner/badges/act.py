"""The dub badges on the change flow (scanner.changes): the option, the lease, the items
a run's end plans, and the badges' own plan, write and undo (scanner.badges.posters)."""

from __future__ import annotations

from collections.abc import Iterator

from scanner.badges import links, posters, review
from scanner.badges.due import CHUNK, due_items
from scanner.badges.lease import ITEM
from scanner.changes.act import Act, TaskNames, followed_run
from scanner.models import BadgeChange, Instance, Media


def items_of_run(run_id: int) -> list[int]:
    """The items to plan after ``run_id``: none when its instance's option is off or the
    run did not end well; else its scope's items whose badges are due (scanner.badges.due)."""
    run = followed_run(run_id)
    if run is None or run.instance.badges == Instance.Badges.OFF:
        return []
    instance = run.instance
    links.refresh_links(instance)  # the server items the badges are written to
    fields = (
        "pk", "instance_id", "path", "language_verdicts", "verdict_reasons",
        "subtitle_verdicts", "original_language", "original_override",
    )  # fmt: skip
    media = Media.objects.filter(instance=instance).only(*fields)
    scope = run.scope if isinstance(run.scope, list) else []
    if scope:
        media = media.filter(instance.scope_filter(scope))
    writes = instance.badges == Instance.Badges.SET

    def with_instance() -> Iterator[Media]:
        for item in media.order_by("pk").iterator(chunk_size=CHUNK):
            item.instance = instance  # read once: its look and options, not once per item
            yield item

    return list(due_items(with_instance(), writes=writes))


ACT = Act(
    name="badges",
    option="badges",
    held_by=ITEM,
    items_of_run=items_of_run,
    plan_item=posters.plan_item,
    apply_item=posters.apply_item,
    undo=posters.undo,
    tasks=TaskNames(
        run="plan_run_badges", item="plan_badges", apply="apply_badges", undo="undo_badges"
    ),
    journal=BadgeChange,
    review=review.REVIEW,
    checks=posters.WRITE_CHECKS,
)
