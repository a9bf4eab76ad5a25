"""The shape of ``manage.py default_tracks`` and ``manage.py wish_profiles``: a feature's
changes planned, written and undone here and now, no worker (``plan|apply|undo``, an
instance, an item or a run, ``--dry-run`` saying it and changing nothing). Each command
names its act (scanner.changes: its lease, its write held, its undo) and change model,
what a row is called in a line, and plans in its own words; the rest is here, once."""

from __future__ import annotations

import getpass
from collections.abc import Callable, Collection
from typing import Any, ClassVar, TypeVar

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Model, Q, QuerySet

from scanner.changes.act import Act
from scanner.leases import new_token
from scanner.models import Event, Instance, Media
from scanner.runtime.held_turns import held_once

T = TypeVar("T")


class ChangesCommand(BaseCommand):
    changes: ClassVar[type[Model]]  # the feature's journal (its State: PLANNED, WRITTEN)
    act: ClassVar[Act]  # its lease, its write held (apply_held), its undo
    planned: ClassVar[str]  # the journal's planned state
    undoable: ClassVar[Collection[str]]  # its states undo takes
    row_order: ClassVar[tuple[str, ...]]
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["plan", "apply", "undo"])
        parser.add_argument("--item", type=int, help="only this item (its id)")
        parser.add_argument("--run", type=int, help="the rows of this run (apply, undo)")
        parser.add_argument("--dry-run", action="store_true", help="say it, change nothing")

    def instances(self, options: dict[str, Any]) -> list[Instance]:
        return [self.instance(str(options["instance"]))]

    def handle(self, *args: Any, **options: Any) -> None:
        instances = self.instances(options)
        self.by = getpass.getuser()
        act = {"plan": self.plan, "apply": self.apply, "undo": self.undo_rows}[options["action"]]
        for instance in instances:
            act(instance, options)

    # --- what a command says for itself -------------------------------------------------

    def plan(self, instance: Instance, options: dict[str, Any]) -> None:
        raise NotImplementedError

    def row_name(self, change: Any) -> str:
        raise NotImplementedError

    def narrow(self, rows: QuerySet[Any], options: dict[str, Any]) -> QuerySet[Any]:
        """The rows of the command's own options (a file, say)."""
        return rows

    # --- the same for every feature -----------------------------------------------------

    def instance(self, given: str) -> Instance:
        found = Instance.objects.filter(
            Q(pk=int(given)) if given.isdigit() else Q(name=given)
        ).first()
        if found is None:
            raise CommandError(f"no instance {given!r}")
        return found

    def items(self, instance: Instance, options: dict[str, Any]) -> list[int]:
        media = Media.objects.filter(instance=instance)
        if options.get("item") is not None:
            media = media.filter(pk=options["item"])
            if not media.exists():
                raise CommandError(f"no item {options['item']} in {instance.name}")
        return list(media.order_by("pk").values_list("pk", flat=True))

    def planned_held(self, media_id: int, dry: bool, planning: Callable[[int], T]) -> T | None:
        """``planning(token)`` under the item's lease (a dry run takes none); None, said,
        when another task holds the item."""
        token = new_token()
        result = (
            planning(token)
            if dry
            else held_once(self.act.held_by, media_id, token, lambda: planning(token))
        )
        if result is None:
            self.stdout.write(f"item {media_id}: held by another task, not planned")
        return result

    def rows(
        self, instance: Instance, options: dict[str, Any], states: Collection[str]
    ) -> QuerySet[Any]:
        rows = self.changes._default_manager.filter(instance=instance, state__in=list(states))
        rows = self.narrow(rows, options)
        if options.get("item") is not None:
            rows = rows.filter(media_id=options["item"])
        if options.get("run") is not None:
            rows = rows.filter(run_id=options["run"])
        return rows.order_by(*self.row_order)

    def apply(self, instance: Instance, options: dict[str, Any]) -> None:
        by_item: dict[int, list[int]] = {}
        for change in self.rows(instance, options, (self.planned,)):
            if options["dry_run"]:
                self.stdout.write(f"{self.row_name(change)}: would be written")
            elif change.media_id is not None:
                by_item.setdefault(change.media_id, []).append(change.pk)
        for media_id, ids in by_item.items():
            result = self.act.apply_held(
                media_id, ids, token=new_token(), by=self.by, via=Event.Via.CLI
            )
            if result is None:
                self.stdout.write(f"item {media_id}: held by another task, not written")
                continue
            for line in result.lines:
                self.stdout.write(line)
        if not by_item and not options["dry_run"]:
            self.stdout.write("nothing planned to write")

    def undo_rows(self, instance: Instance, options: dict[str, Any]) -> None:
        rows = self.rows(instance, options, self.undoable)
        if options["dry_run"]:
            for change in rows:
                self.stdout.write(f"{self.row_name(change)}: would be undone")
            return
        ids = list(rows.values_list("pk", flat=True))
        if not ids:
            self.stdout.write("nothing written to undo")
            return
        result = self.act.undo(change_ids=ids, by=self.by, via=Event.Via.CLI)
        for line in result.lines:
            self.stdout.write(line)
