"""``manage.py default_tracks plan|apply|undo``: each file's own default track (issue 81),
here and now, no worker: plan the files of an instance, an item or one file (``--dry-run``:
say what would be planned, record nothing); write what was planned (``--dry-run``: list
it); undo what was written, for a file, an item or a run. One line per file."""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.db.models import QuerySet

from scanner.default_tracks import plan, undo
from scanner.default_tracks.act import ACT
from scanner.management.changes_command import ChangesCommand
from scanner.models import DefaultTrackChange, Instance, MediaFile


class Command(ChangesCommand):
    help = (
        "Each file's own default audio and subtitle track: plan it, write what was planned, "
        "or undo what was written (an instance, an item, a file or a run), here and now."
    )
    changes = DefaultTrackChange
    act = ACT
    planned = DefaultTrackChange.State.PLANNED
    undoable = undo.UNDOABLE
    row_order = ("media_id", "path")

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--instance", required=True, help="instance id or name")
        parser.add_argument("--file", type=int, help="only this file (its MediaFile id)")

    def row_name(self, change: DefaultTrackChange) -> str:
        return os.path.basename(change.path)

    def narrow(
        self, rows: QuerySet[DefaultTrackChange], options: dict[str, Any]
    ) -> QuerySet[DefaultTrackChange]:
        if options.get("file") is not None:
            rows = rows.filter(media_file_id=options["file"])
        return rows

    def items(self, instance: Instance, options: dict[str, Any]) -> list[int]:
        if options.get("file") is None:
            return super().items(instance, options)
        row = MediaFile.objects.filter(pk=options["file"], media__instance=instance).first()
        if row is None:
            raise CommandError(f"no file {options['file']} in {instance.name}")
        return [row.media_id]

    def plan(self, instance: Instance, options: dict[str, Any]) -> None:
        if instance.default_tracks == Instance.DefaultTracks.OFF:
            self.stdout.write(f"{instance.name}: the option is off; planned on request")
        only = {options["file"]} if options.get("file") is not None else None
        dry = bool(options["dry_run"])
        for media_id in self.items(instance, options):

            def planning(token: int, media_id: int = media_id) -> plan.ItemPlan:
                return plan.plan_item(
                    media_id, run_id=options.get("run"), token=token, only_files=only, dry=dry
                )

            result = self.planned_held(media_id, dry, planning)
            for line in result.lines if result is not None else ():
                self.stdout.write(line)
