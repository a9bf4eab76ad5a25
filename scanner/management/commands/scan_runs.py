"""``manage.py scan_runs``: list recent scans, cancel one, resume an interrupted one."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from scanner.actions.scans import cancel_scan, resume_scan
from scanner.errors import TaggarrError
from scanner.models import ScanRun
from scanner.reports.progress import Progress


class Command(BaseCommand):
    help = "List recent scans (default), or cancel / resume one by its number."
    requires_system_checks: list[str] = []  # as ``scan``'s: a client of the scans

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action")
        listing = actions.add_parser("list", help="recent scans, newest first")
        listing.add_argument("--limit", type=int, default=20)
        helps = {
            "cancel": "stop a queued or running scan",
            "resume": "re-queue what an interrupted scan had not done",
        }
        for name, text in helps.items():
            action = actions.add_parser(name, help=text)
            action.add_argument("run", type=int, help="the scan number (#N)")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options.get("action") or "list"
        if action == "list":
            self._list(int(options.get("limit") or 20))
            return
        run = ScanRun.objects.select_related("instance").filter(pk=options["run"]).first()
        if run is None:
            raise CommandError(f"there is no scan #{options['run']}")
        try:
            run = cancel_scan(run) if action == "cancel" else resume_scan(run)
        except TaggarrError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"scan #{run.pk} of {run.instance.name}: {run.status}")

    def _list(self, limit: int) -> None:
        for run in ScanRun.objects.select_related("instance")[:limit]:
            self.stdout.write(
                f"#{run.pk:<6} {run.instance.name:<20} {run.status:<11} {run.trigger:<8} "
                f"{run.mode:<8} {Progress.of(run).line()}"
            )
