"""``manage.py import_config taggarr.yaml``: instances from the original Taggarr config,
and media servers from its ``media_servers`` section (Taggarr's own)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from scanner.errors import ConfigError
from scanner.legacy_import.config import read_original_config
from scanner.legacy_import.importer import import_config


class Command(BaseCommand):
    help = (
        "Import the instances of the original Taggarr's taggarr.yaml and the media servers "
        "of its media_servers section (safe to run again)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        try:
            config = read_original_config(path)
            report = import_config(config)
        except ConfigError as exc:
            raise CommandError(str(exc)) from None
        for note in config.notes:
            self.stdout.write(f"note: {note}")
        for outcome in ("created", "updated", "unchanged"):
            for name in getattr(report, outcome):
                self.stdout.write(f"{outcome}: instance {name!r}")
        for outcome, name in report.media_servers:
            self.stdout.write(f"{outcome}: media server {name!r}")
        self.stdout.write(
            "Add path mappings in the admin if Sonarr/Radarr see your media under other paths."
        )
