"""The SQLite test database migrated once per run, then copied by every xdist worker.

Each test process makes its own test database, and Django's ``migrate`` spends most of
its time rendering the models' states of some seventy migrations: tens of seconds of
CPU per process on a busy two-core machine, and ``make test`` starts four processes at
once. Here the first process to make its database migrates it as Django does and keeps
a copy (SQLite's backup, under a file lock); the others wait for that lock and copy the
migrated file instead of migrating. On PostgreSQL the first process migrates a template
database of the run (``<test name>_migrated``) and every process makes its own with
``CREATE DATABASE … TEMPLATE`` (PostgreSQL's copy of a whole database, as Django's own
parallel test runner clones one). The database each test gets is the same: the
migrations' schema, the rows post_migrate wrote, Django's cache table. Runs without
xdist keep Django's own creation.
"""

from __future__ import annotations

import fcntl
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.db.backends.postgresql.creation import DatabaseCreation as PostgresCreation
from django.db.backends.sqlite3.creation import DatabaseCreation


def _copy(source: str | Path, target: str | Path) -> None:
    with sqlite3.connect(source) as origin, sqlite3.connect(target) as copy:
        origin.backup(copy)
    origin.close()
    copy.close()


def _create_from(template: Path, django_create: Callable[..., str]) -> Callable[..., str]:
    def create_test_db(
        self: DatabaseCreation,
        verbosity: int = 1,
        autoclobber: bool = False,
        serialize: bool = True,
        keepdb: bool = False,
    ) -> str:
        name = self._get_test_db_name()
        if keepdb or self.is_in_memory_db(name):
            return django_create(self, verbosity, autoclobber, serialize, keepdb)
        with open(template.with_suffix(".lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # the first process migrates, the others wait
            if not template.exists():
                name = django_create(self, verbosity, autoclobber, serialize, keepdb)
                self.connection.close()
                _copy(name, template.with_suffix(".partial"))
                template.with_suffix(".partial").rename(template)
                return name
        # Django's create_test_db, its migrate replaced by the migrated copy.
        self._create_test_db(verbosity, autoclobber, keepdb)
        _copy(template, name)
        self.connection.close()
        settings.DATABASES[self.connection.alias]["NAME"] = name
        self.connection.settings_dict["NAME"] = name
        if serialize:
            self.connection._test_serialized_contents = self.serialize_db_to_string()
        call_command("createcachetable", database=self.connection.alias)
        self.connection.ensure_connection()
        return name

    return create_test_db


def _postgres_from(shared: Path, django_create: Callable[..., str]) -> Callable[..., str]:
    def create_test_db(
        self: PostgresCreation,
        verbosity: int = 1,
        autoclobber: bool = False,
        serialize: bool = True,
        keepdb: bool = False,
    ) -> str:
        if keepdb:
            return django_create(self, verbosity, autoclobber, serialize, keepdb)
        name = self._get_test_db_name()
        test = self.connection.settings_dict["TEST"]
        template = f"{test.get('NAME') or name}".rsplit("_gw", 1)[0] + "_migrated"
        marker = shared / f"taggarr-migrated-{template}"
        with open(marker.with_suffix(".lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # the first process migrates, the others wait
            if not marker.exists():
                own, original = test.get("NAME"), self.connection.settings_dict["NAME"]
                test["NAME"] = template
                try:
                    django_create(self, verbosity, True, False, False)
                finally:
                    self.connection.close()
                    test["NAME"] = own
                    self.connection.settings_dict["NAME"] = original
                    settings.DATABASES[self.connection.alias]["NAME"] = original
                marker.touch()
        quote = self.connection.ops.quote_name
        with self._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(name)}")
            cursor.execute(f"CREATE DATABASE {quote(name)} WITH TEMPLATE {quote(template)}")
        settings.DATABASES[self.connection.alias]["NAME"] = name
        self.connection.settings_dict["NAME"] = name
        if serialize:
            self.connection._test_serialized_contents = self.serialize_db_to_string()
        self.connection.ensure_connection()
        return name

    return create_test_db


@contextmanager
def migrated_once(shared: Path) -> Iterator[None]:
    """Test databases made from one migrated copy (SQLite: a file in ``shared``;
    PostgreSQL: a template database), ``shared`` a folder every test process of this run
    sees (pytest's base temporary folder of the run)."""
    import pytest

    template = shared / "taggarr-migrated.sqlite3"
    with pytest.MonkeyPatch.context() as patch:
        django_create: Any = DatabaseCreation.create_test_db
        patch.setattr(DatabaseCreation, "create_test_db", _create_from(template, django_create))
        postgres_create: Any = PostgresCreation.create_test_db
        patch.setattr(PostgresCreation, "create_test_db", _postgres_from(shared, postgres_create))
        yield
