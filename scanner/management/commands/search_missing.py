"""``manage.py search_missing``: ask Sonarr/Radarr to search for the episodes and movies
whose files lack a target language (issue 44), here and now (cron needs no worker), or
``--preview`` what that would ask for."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from scanner.models import Instance, Media, MissingSearch
from scanner.searches.actions import preview_search
from scanner.searches.due import candidates
from scanner.searches.plan import Skipped
from scanner.searches.send import search_missing


class Command(BaseCommand):
    help = (
        "Search for missing dubs: the items given (--media), or every item of an instance "
        "that lacks a target (--instance), within the daily bound and the interval."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--media", type=int, action="append", default=[], help="item id")
        parser.add_argument("--instance", action="append", default=[], help="instance name")
        parser.add_argument("--season", type=int, help="only this season (one series)")
        parser.add_argument("--preview", action="store_true", help="show it, ask nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        ids = self._chosen(options["media"], options["instance"])
        season: int | None = options.get("season")
        if season is not None and len(ids) != 1:
            raise CommandError("--season takes exactly one item (--media ID)")
        skipped: list[Skipped]
        if options["preview"]:
            plan = preview_search(ids, season=season)
            for search in plan.searches:
                note = f" ({search.note})" if search.note else ""
                self.stdout.write(f"would search: {search.media.title}: {search.count}{note}")
            skipped = plan.skipped
        else:
            report = search_missing(ids, season=season, trigger=MissingSearch.Trigger.CLI)
            for row in report.asked:
                self.stdout.write(
                    f"searched: {row.title}: {row.searched} (command {row.command_id})"
                )
            for why in report.failed:
                self.stderr.write(f"failed: {why}")
            skipped = report.skipped
        for each in skipped:
            self.stdout.write(f"skipped: {each.media.title}: {each.reason}")

    def _chosen(self, media: list[int], names: list[str]) -> list[int]:
        ids = list(Media.objects.filter(pk__in=media).values_list("pk", flat=True))
        if len(ids) < len(set(media)):
            raise CommandError(f"no item with id {sorted(set(media) - set(ids))}")
        for name in names:
            instance = Instance.objects.filter(name=name).first()
            if instance is None:
                raise CommandError(f"no instance named {name!r}")
            ids += candidates(instance, timezone.now()).values_list("pk", flat=True)
        if not ids:
            raise CommandError("name the items (--media ID) or an instance (--instance NAME)")
        return ids
