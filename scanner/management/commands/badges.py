"""``manage.py badges plan|apply|undo``: each item's dub badges on the poster file beside
it (issue 95), here and now, no worker: plan the items of an instance or one item
(``--dry-run``: say what would be planned, record nothing); write what was planned
(``--dry-run``: list it); undo what was written, for an item or a run. One line per
poster."""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import CommandParser

from scanner.badges import posters
from scanner.badges.act import ACT
from scanner.management.changes_command import ChangesCommand
from scanner.models import BadgeChange, Instance


class Command(ChangesCommand):
    help = (
        "Each item's dub badges on its poster file: plan them, draw what was planned, or "
        "put the original poster back (an instance, an item or a run), here and now."
    )
    changes = BadgeChange
    act = ACT
    planned = BadgeChange.State.PLANNED
    undoable = (BadgeChange.State.WRITING, BadgeChange.State.WRITTEN)
    row_order = ("media_id", "pk")

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--instance", required=True, help="instance id or name")

    def row_name(self, change: BadgeChange) -> str:
        """The item's folder and its poster file ("Dark (2017)/poster.jpg"), or the
        folder alone for a row with no poster."""
        if change.media is not None and change.path != change.media.path:
            folder = os.path.basename(change.media.path)
            return f"{folder}/{os.path.basename(change.path)}"
        return os.path.basename(change.path)

    def plan(self, instance: Instance, options: dict[str, Any]) -> None:
        if instance.badges == Instance.Badges.OFF:
            self.stdout.write(f"{instance.name}: the option is off; planned on request")
        dry = bool(options["dry_run"])
        for media_id in self.items(instance, options):

            def planning(token: int, media_id: int = media_id) -> posters.ItemPlan:
                return posters.plan_item(media_id, run_id=options.get("run"), token=token, dry=dry)

            result = self.planned_held(media_id, dry, planning)
            for line in result.lines if result is not None else ():
                self.stdout.write(line)
