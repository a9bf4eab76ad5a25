"""``manage.py changes --kind KIND plan|apply|undo …``: every act's changes from one command
(scanner.changes), here and now, no worker. ``--kind`` names the act; what follows is the
act's own command's (``manage.py default_tracks``, ``manage.py wish_profiles``,
``manage.py badges``, which stay
as they were: the same command under its act's name). ``--kind`` may come anywhere."""

from __future__ import annotations

import argparse
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

# The acts and their commands (scanner/management/commands/<command>.py).
KINDS = {"default_tracks": "default_tracks", "wish_profiles": "wish_profiles", "badges": "badges"}


def _kind_first(args: list[str]) -> list[str]:
    """``args`` with ``--kind X`` (or ``--kind=X``) moved to the front, where the parser
    reads it before the act's own arguments."""
    for at, arg in enumerate(args):
        if arg == "--kind" and at + 1 < len(args):
            return [arg, args[at + 1], *args[:at], *args[at + 2 :]]
        if arg.startswith("--kind="):
            return [arg, *args[:at], *args[at + 1 :]]
    return args


class Command(BaseCommand):
    help = (
        "Taggarr's changes, whatever the act: plan them, write what was planned, or undo "
        "what was written, here and now. --kind names the act; `manage.py changes --kind "
        "default_tracks --help` shows its own options."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kind", required=True, choices=sorted(KINDS), help="the act")
        parser.add_argument(
            "rest", nargs=argparse.REMAINDER, help="the act's command: plan|apply|undo and more"
        )

    def run_from_argv(self, argv: list[str]) -> None:
        super().run_from_argv([*argv[:2], *_kind_first(argv[2:])])

    def handle(self, *args: Any, **options: Any) -> None:
        rest = list(options["rest"])
        call_command(KINDS[options["kind"]], *rest, stdout=self.stdout, stderr=self.stderr)
