"""Start-up of a Taggarr deployment: wait for the database, migrate, first admin.

Run by the web container before gunicorn and by ``make run``. Several containers
may start it at once: migrations run under a lock (a PostgreSQL advisory lock, or
a file lock in the data dir for SQLite), so only one migrates at a time.
"""

from __future__ import annotations

import contextlib
import fcntl
import secrets
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import OperationalError, connection
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_after_delay,
    wait_exponential,
)

MIGRATION_LOCK_ID = 0x7A6A_A77A  # an arbitrary constant shared by every Taggarr process


class Command(BaseCommand):
    help = "Wait for the database, apply migrations under a lock, create the first admin."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--wait", type=float, default=60.0, help="seconds to wait for the DB")
        parser.add_argument(
            "--generate-admin",
            action="store_true",
            help="with no TAGGARR_ADMIN_USER/PASSWORD, create 'admin' with a random "
            "password and print it once (for make run)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self._wait_for_database(float(options["wait"]))
        with self._migration_lock():
            call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("database is migrated")
        self._ensure_admin(bool(options["generate_admin"]))

    def _wait_for_database(self, timeout: float) -> None:
        """Tries again while the database does not answer (it starts beside us in
        Docker), waits doubling from half a second to five, for ``timeout`` seconds."""

        def told(state: RetryCallState) -> None:
            error = state.outcome.exception() if state.outcome else None
            self.stdout.write(f"waiting for the database ({error.__class__.__name__})")

        try:
            Retrying(
                retry=retry_if_exception_type(OperationalError),
                stop=stop_after_delay(timeout),
                wait=wait_exponential(multiplier=0.5, max=5.0),
                before_sleep=told,
                reraise=True,
            )(connection.ensure_connection)
        except OperationalError as exc:
            raise CommandError(f"database not reachable after {timeout:.0f}s: {exc}") from None

    @contextlib.contextmanager
    def _migration_lock(self) -> Iterator[None]:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_lock(%s)", [MIGRATION_LOCK_ID])
            try:
                yield
            finally:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [MIGRATION_LOCK_ID])
            return
        with open(settings.DATA_DIR / ".migrate.lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _ensure_admin(self, generate: bool) -> None:
        user_model = get_user_model()
        if user_model.objects.filter(is_superuser=True).exists():
            return
        username, password = settings.ADMIN_USER, settings.ADMIN_PASSWORD
        if username and password:
            user_model.objects.create_superuser(username, settings.ADMIN_EMAIL, password)
            self.stdout.write(f"created admin user {username!r} from TAGGARR_ADMIN_USER")
            return
        if not generate:
            self.stdout.write(
                "no admin user yet: set TAGGARR_ADMIN_USER and TAGGARR_ADMIN_PASSWORD, "
                "or run 'python manage.py createsuperuser'"
            )
            return
        username = username or "admin"
        password = secrets.token_urlsafe(12)
        user_model.objects.create_superuser(username, settings.ADMIN_EMAIL, password)
        # Printed to the terminal once, on purpose, and never logged.
        self.stdout.write(
            self.style.SUCCESS(f"created admin user {username!r} with password: {password}")
        )
        self.stdout.write("(shown only this once; change it in the admin)")
