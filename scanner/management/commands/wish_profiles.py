"""``manage.py wish_profiles plan|apply|undo``: each item's quality profile (issue 82), here
and now, no worker: plan the items of an instance or one item (``--dry-run``: say what
would be planned, record nothing); write what was planned (``--dry-run``: list it); undo
what was written, for an item or a run. One line per item."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser

from scanner.management.changes_command import ChangesCommand
from scanner.models import Instance, ProfileChange
from scanner.wish_profiles import plan
from scanner.wish_profiles.act import ACT
from scanner.wish_profiles.wishes import household


class Command(ChangesCommand):
    help = (
        "Each item's quality profile, as its wish maps it: plan it, write what was planned, "
        "or undo what was written (an instance, an item or a run), here and now."
    )
    changes = ProfileChange
    act = ACT
    planned = ProfileChange.State.PLANNED
    undoable = (ProfileChange.State.WRITTEN,)
    row_order = ("media_id", "pk")

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--instance", help="instance id or name (default: every *arr)")

    def instances(self, options: dict[str, Any]) -> list[Instance]:
        if options.get("instance"):
            return super().instances(options)
        if options.get("item") is not None:
            raise CommandError("--item needs --instance")
        return list(Instance.objects.exclude(kind=Instance.Kind.LIBRARY).order_by("pk"))

    def row_name(self, change: ProfileChange) -> str:
        return change.title

    def plan(self, instance: Instance, options: dict[str, Any]) -> None:
        if instance.wish_profiles == Instance.WishProfiles.OFF:
            self.stdout.write(f"{instance.name}: the option is off; nothing is planned")
            return
        dry = bool(options["dry_run"])
        listeners = household()
        for media_id in self.items(instance, options):

            def planning(token: int, media_id: int = media_id) -> plan.ItemPlan:
                return plan.plan_item(
                    media_id, run_id=options.get("run"), token=token, listeners=listeners, dry=dry
                )

            result = self.planned_held(media_id, dry, planning)
            if result is not None:
                self.stdout.write(f"item {media_id}: {result.outcome}: {result.line}")
