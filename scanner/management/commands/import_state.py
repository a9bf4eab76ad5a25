"""``manage.py import_state taggarr.json``: what the original Taggarr had applied."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from scanner.errors import ConfigError
from scanner.legacy_import.importer import import_state
from scanner.models import Instance


class Command(BaseCommand):
    help = (
        "Import the per-show/movie tags of the original Taggarr's taggarr.json (safe to run again)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--instance", metavar="NAME", help="the instance the file belongs to "
            "(default: the one whose root folders hold each entry)",
        )  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        instance = None
        if options["instance"]:
            instance = Instance.objects.filter(name=options["instance"]).first()
            if instance is None:
                raise CommandError(f"unknown instance {options['instance']!r}")
        try:
            report = import_state(options["path"], instance)
        except ConfigError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"{len(report.created)} created, {len(report.updated)} updated, "
            f"{len(report.unchanged)} unchanged"
        )
        for reason, count in sorted(report.skipped.items()):
            self.stdout.write(f"skipped {count}: {reason}")
