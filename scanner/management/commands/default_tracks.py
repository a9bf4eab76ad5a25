"""``manage.py default_tracks plan|apply|undo``: each file's own default track (issue 81),
here and now, no worker: plan the files of an instance, an item or one file (``--dry-run``:
say what would be planned, record nothing); write what was planned (``--dry-run``: list
it); undo what was written, for a file, an item or a run. One line per file."""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q, QuerySet

from scanner.default_tracks import lease as item_lease
from scanner.default_tracks import plan, runner, undo
from scanner.held_turns import held_once
from scanner.leases import new_token
from scanner.models import DefaultTrackChange, Event, Instance, Media, MediaFile

State = DefaultTrackChange.State


class Command(BaseCommand):
    help = (
        "Each file's own default audio and subtitle track: plan it, write what was planned, "
        "or undo what was written (an instance, an item, a file or a run), here and now."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["plan", "apply", "undo"])
        parser.add_argument("--instance", required=True, help="instance id or name")
        parser.add_argument("--item", type=int, help="only this item (its id)")
        parser.add_argument("--file", type=int, help="only this file (its MediaFile id)")
        parser.add_argument("--run", type=int, help="the rows of this run (apply, undo)")
        parser.add_argument("--dry-run", action="store_true", help="say it, change nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        instance = self._instance(str(options["instance"]))
        self.by = getpass.getuser()
        action = options["action"]
        if action == "plan":
            self._plan(instance, options)
        elif action == "apply":
            self._apply(instance, options)
        else:
            self._undo(instance, options)

    def _instance(self, given: str) -> Instance:
        found = Instance.objects.filter(
            Q(pk=int(given)) if given.isdigit() else Q(name=given)
        ).first()
        if found is None:
            raise CommandError(f"no instance {given!r}")
        return found

    def _items(self, instance: Instance, options: dict[str, Any]) -> list[int]:
        if options.get("file") is not None:
            row = MediaFile.objects.filter(pk=options["file"], media__instance=instance).first()
            if row is None:
                raise CommandError(f"no file {options['file']} in {instance.name}")
            return [row.media_id]
        media = Media.objects.filter(instance=instance)
        if options.get("item") is not None:
            media = media.filter(pk=options["item"])
            if not media.exists():
                raise CommandError(f"no item {options['item']} in {instance.name}")
        return list(media.order_by("pk").values_list("pk", flat=True))

    def _plan(self, instance: Instance, options: dict[str, Any]) -> None:
        if instance.default_tracks == Instance.DefaultTracks.OFF:
            self.stdout.write(f"{instance.name}: the option is off; planned on request")
        only = {options["file"]} if options.get("file") is not None else None
        dry = bool(options["dry_run"])
        for media_id in self._items(instance, options):
            token = new_token()

            def planned(media_id: int = media_id, token: int = token) -> plan.ItemPlan:
                return plan.plan_item(
                    media_id, run_id=options.get("run"), token=token, only_files=only, dry=dry
                )

            result = planned() if dry else held_once(item_lease.ITEM, media_id, token, planned)
            if result is None:
                self.stdout.write(f"item {media_id}: held by another task, not planned")
                continue
            for line in result.lines:
                self.stdout.write(line)

    def _rows(
        self, instance: Instance, options: dict[str, Any], states: tuple[str, ...]
    ) -> QuerySet[DefaultTrackChange]:
        rows = DefaultTrackChange.objects.filter(instance=instance, state__in=states)
        if options.get("file") is not None:
            rows = rows.filter(media_file_id=options["file"])
        if options.get("item") is not None:
            rows = rows.filter(media_id=options["item"])
        if options.get("run") is not None:
            rows = rows.filter(run_id=options["run"])
        return rows.order_by("media_id", "path")

    def _apply(self, instance: Instance, options: dict[str, Any]) -> None:
        rows = self._rows(instance, options, (State.PLANNED,))
        by_item: dict[int, list[int]] = {}
        for change in rows:
            if options["dry_run"]:
                self.stdout.write(f"{os.path.basename(change.path)}: would be written")
            elif change.media_id is not None:
                by_item.setdefault(change.media_id, []).append(change.pk)
        for media_id, ids in by_item.items():
            result = runner.apply_held(
                media_id, ids, token=new_token(), by=self.by, via=Event.Via.CLI
            )
            if result is None:
                self.stdout.write(f"item {media_id}: held by another task, not written")
                continue
            for line in result.lines:
                self.stdout.write(line)
        if not by_item and not options["dry_run"]:
            self.stdout.write("nothing planned to write")

    def _undo(self, instance: Instance, options: dict[str, Any]) -> None:
        rows = self._rows(instance, options, undo.UNDOABLE)
        if options["dry_run"]:
            for change in rows:
                self.stdout.write(f"{os.path.basename(change.path)}: would be undone")
            return
        ids = list(rows.values_list("pk", flat=True))
        if not ids:
            self.stdout.write("nothing written to undo")
            return
        result = undo.undo(change_ids=ids, by=self.by, via=Event.Via.CLI)
        for line in result.lines:
            self.stdout.write(line)
