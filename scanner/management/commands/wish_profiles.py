"""``manage.py wish_profiles plan|apply|undo``: each item's quality profile (issue 82), here
and now, no worker: plan the items of an instance or one item (``--dry-run``: say what
would be planned, record nothing); write what was planned (``--dry-run``: list it); undo
what was written, for an item or a run. One line per item."""

from __future__ import annotations

import getpass
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q, QuerySet

from scanner.held_turns import held_once
from scanner.leases import new_token
from scanner.models import Event, Instance, Media, ProfileChange
from scanner.wish_profiles import lease as item_lease
from scanner.wish_profiles import plan, runner, undo
from scanner.wish_profiles.wishes import household

State = ProfileChange.State


class Command(BaseCommand):
    help = (
        "Each item's quality profile, as its wish maps it: plan it, write what was planned, "
        "or undo what was written (an instance, an item or a run), here and now."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["plan", "apply", "undo"])
        parser.add_argument("--instance", help="instance id or name (default: every *arr)")
        parser.add_argument("--item", type=int, help="only this item (its id)")
        parser.add_argument("--run", type=int, help="the rows of this run (apply, undo)")
        parser.add_argument("--dry-run", action="store_true", help="say it, change nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        if options.get("instance"):
            instances = [self._instance(str(options["instance"]))]
        elif options.get("item") is not None:
            raise CommandError("--item needs --instance")
        else:
            instances = list(Instance.objects.exclude(kind=Instance.Kind.LIBRARY).order_by("pk"))
        self.by = getpass.getuser()
        action = options["action"]
        for instance in instances:
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
        media = Media.objects.filter(instance=instance)
        if options.get("item") is not None:
            media = media.filter(pk=options["item"])
            if not media.exists():
                raise CommandError(f"no item {options['item']} in {instance.name}")
        return list(media.order_by("pk").values_list("pk", flat=True))

    def _plan(self, instance: Instance, options: dict[str, Any]) -> None:
        if instance.wish_profiles == Instance.WishProfiles.OFF:
            self.stdout.write(f"{instance.name}: the option is off; nothing is planned")
            return
        dry = bool(options["dry_run"])
        listeners = household()
        for media_id in self._items(instance, options):
            token = new_token()

            def planned(media_id: int = media_id, token: int = token) -> plan.ItemPlan:
                return plan.plan_item(
                    media_id, run_id=options.get("run"), token=token, listeners=listeners, dry=dry
                )

            result = planned() if dry else held_once(item_lease.ITEM, media_id, token, planned)
            if result is None:
                self.stdout.write(f"item {media_id}: held by another task, not planned")
                continue
            self.stdout.write(f"item {media_id}: {result.outcome}: {result.line}")

    def _rows(
        self, instance: Instance, options: dict[str, Any], states: tuple[str, ...]
    ) -> QuerySet[ProfileChange]:
        rows = ProfileChange.objects.filter(instance=instance, state__in=states)
        if options.get("item") is not None:
            rows = rows.filter(media_id=options["item"])
        if options.get("run") is not None:
            rows = rows.filter(run_id=options["run"])
        return rows.order_by("media_id", "pk")

    def _apply(self, instance: Instance, options: dict[str, Any]) -> None:
        rows = self._rows(instance, options, (State.PLANNED,))
        by_item: dict[int, list[int]] = {}
        for change in rows:
            if options["dry_run"]:
                self.stdout.write(f"{change.title}: would be written")
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
        rows = self._rows(instance, options, (State.WRITTEN,))
        if options["dry_run"]:
            for change in rows:
                self.stdout.write(f"{change.title}: would be undone")
            return
        ids = list(rows.values_list("pk", flat=True))
        if not ids:
            self.stdout.write("nothing written to undo")
            return
        result = undo.undo(change_ids=ids, by=self.by, via=Event.Via.CLI)
        for line in result.lines:
            self.stdout.write(line)
