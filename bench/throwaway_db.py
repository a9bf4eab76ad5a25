"""Django in a standalone benchmark script, on a database of its own.

The database is the test database of DATABASE_URL's server (PostgreSQL:
``taggarr_bench_<pid>``, dropped at the end; SQLite without DATABASE_URL: a file in
``data_dir``), created and migrated on entry.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def configure_django(data_dir: str) -> None:
    os.environ["TAGGARR_DATA_DIR"] = data_dir
    os.environ["TAGGARR_HTTPS"] = "false"
    os.environ["TAGGARR_DEBUG"] = "false"
    os.environ.setdefault("TAGGARR_LOG_LEVEL", "warning")
    os.environ["DJANGO_SETTINGS_MODULE"] = "taggarr.settings"
    import django

    django.setup()


@contextmanager
def throwaway_database(data_dir: str) -> Iterator[str]:
    """Django set up on a new, migrated database; yields its vendor."""
    configure_django(data_dir)
    from django.db import connection

    test_settings = connection.settings_dict.setdefault("TEST", {})
    if connection.vendor == "postgresql":
        test_settings["NAME"] = f"taggarr_bench_{os.getpid()}"
    else:
        test_settings["NAME"] = str(Path(data_dir) / "bench.sqlite3")
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        yield connection.vendor
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def repeat_line(script: str, argv: list[str]) -> str:
    """The command that repeats a run; never the database URL itself (it may carry a
    password)."""
    database = 'DATABASE_URL="$DATABASE_URL" ' if os.environ.get("DATABASE_URL") else ""
    return f"repeat: {database}.venv/bin/python {script} " + " ".join(argv)
