"""``manage.py worker_health [worker@host]``: the worker's health check (docker compose's
healthcheck): exits 1 when the worker does not answer, or answers that its item
machinery is gone or stuck, an item task hangs or its memory is past the bound
(scanner.worker.health)."""

from __future__ import annotations

import socket

from django.core.management.base import BaseCommand, CommandError, CommandParser

from scanner.reports.unheard import reason_text
from scanner.worker.health import ask


class Command(BaseCommand):
    help = "Ask a worker whether its item machinery is healthy (exit 1 if not)."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "destination",
            nargs="?",
            default=f"worker@{socket.gethostname()}",
            help="the worker's node name (default: worker@ this host's name)",
        )
        parser.add_argument("--timeout", type=float, default=10.0)

    def handle(self, *args: object, **options: object) -> None:
        destination = str(options["destination"])
        reply = ask(destination, float(options["timeout"]))  # type: ignore[arg-type]
        if reply is None:
            raise CommandError(f"{destination}: no answer")
        if not reply.get("ok"):
            raise CommandError(f"{destination}: {'; '.join(reply.get('problems', ()))}")
        if reply.get("cannot_listen"):  # healthy, but its scans go on with the labels
            why = reason_text(str(reply["cannot_listen"]))
            self.stdout.write(f"{destination}: ok; cannot listen: {why}")
            return
        self.stdout.write(f"{destination}: ok")
