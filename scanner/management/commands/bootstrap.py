"""Start-up of a Taggarr deployment: wait for the database, migrate, first admin.

Run by the web container before gunicorn and by ``make run``. Several containers
may start it at once: migrations run under a lock (a PostgreSQL advisory lock, or
a file lock in the data dir for SQLite), so only one migrates at a time.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
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
            f"password, print it once in a box and write it to {FIRST_ADMIN_FILE} in the data "
            "dir, readable by its owner only (for make run)",
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
            self._remind_of_password_file()
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
        path = write_password_file(username, password)
        # Printed once to the terminal, last before the processes start (make run), in a
        # box that names the file; never logged.
        self.stdout.write(password_box(username, password, path))

    def _remind_of_password_file(self) -> None:
        path = password_file()
        if path.exists():
            self.stdout.write(
                f"The first admin's password is still in {path}: delete that file once "
                "you have changed the password."
            )


FIRST_ADMIN_FILE = "admin-password.txt"  # in the data dir; README, "Without Docker"


def password_file() -> Path:
    return Path(settings.DATA_DIR) / FIRST_ADMIN_FILE


def write_password_file(username: str, password: str) -> Path:
    """The generated password in the data dir, readable by its owner only (0600), made
    so from its first byte, for the person who missed the terminal's box."""
    path = password_file()
    text = (
        "# Taggarr's first admin, made by `manage.py bootstrap --generate-admin`.\n"
        "# Change the password in Taggarr (Change password, top right), then delete this file.\n"
        f"user: {username}\n"
        f"password: {password}\n"
    )
    # A new file, never through a link: whoever can write the data dir could plant
    # admin-password.txt as a link, and the password would be written where it points
    # (a dangling link creates its target). The old name goes (the link itself, not what
    # it points to); O_EXCL with O_NOFOLLOW refuses a link planted again meanwhile.
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    descriptor = os.open(path, flags, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        os.fchmod(handle.fileno(), 0o600)  # exactly 0600, whatever the umask
        handle.write(text)
    return path


def password_box(username: str, password: str, path: Path) -> str:
    """The first admin, framed so that it stands out of the start-up's lines."""
    bind = os.environ.get("TAGGARR_BIND", "")
    lines = [
        "Taggarr's first admin",
        "",
        f"  user:     {username}",
        f"  password: {password}",
        "",
        *([f"Sign in at http://{bind}/admin/"] if bind else []),
        f"Also saved in {path}",
        "(readable by you only). Shown here this once: change it in",
        "Taggarr (Change password, top right), then delete that file.",
    ]
    width = max(len(line) for line in lines)
    rule = "+" + "-" * (width + 4) + "+"
    framed = [f"|  {line.ljust(width)}  |" for line in lines]
    return "\n".join(["", rule, *framed, rule, ""])
