"""``manage.py create_api_token <user> [--name backup]``: prints a new key once."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import ApiToken


class Command(BaseCommand):
    help = "Create an API token for a staff user and print its key (shown only this once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="what will use it, e.g. 'backup'")

    def handle(self, *args: object, **options: str) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None or not user.is_active or not user.is_staff:
            raise CommandError(f"{options['username']!r} is not an active staff user")
        _, key = ApiToken.issue(user, options["name"])
        self.stdout.write(key)
