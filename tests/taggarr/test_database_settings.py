"""Every wait on PostgreSQL has a deadline (issue 69, item 2): the connect and a dead
connection. Settings are read in a process of their own, as the app starts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import free_port

_SHOW = (
    "import json, django; django.setup(); from django.conf import settings; "
    "print(json.dumps(settings.DATABASES['default']['OPTIONS']))"
)


def _options(tmp_path: Path, url: str) -> dict[str, object]:
    shown = subprocess.run(
        [sys.executable, "-c", _SHOW],
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "taggarr.settings",
            "TAGGARR_DATA_DIR": str(tmp_path),
            "DATABASE_URL": url,
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return dict(json.loads(shown.stdout))


def test_postgresql_connections_have_a_connect_timeout_and_keepalives(tmp_path: Path) -> None:
    options = _options(tmp_path, "postgres://taggarr@db.invalid:5432/taggarr")
    assert options["connect_timeout"] == 10
    assert (options["keepalives"], options["keepalives_idle"]) == (1, 30)
    assert (options["keepalives_interval"], options["keepalives_count"]) == (10, 3)


def test_the_urls_own_parameters_win(tmp_path: Path) -> None:
    url = "postgres://taggarr@db.invalid:5432/taggarr?connect_timeout=30&sslmode=require"
    options = _options(tmp_path, url)
    assert (options["connect_timeout"], options["sslmode"]) == (30, "require")
    assert options["keepalives"] == 1


def test_a_server_that_never_answers_the_connect_fails_it(tmp_path: Path) -> None:
    """A port that takes the TCP connection and never speaks (a PostgreSQL frozen, a
    proxy with nothing behind it): libpq gives up at connect_timeout, with the options the
    settings give, instead of waiting for ever."""
    import socket

    import psycopg

    port = free_port()
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", port))
        silent.listen(1)  # the kernel completes the handshake; nothing ever answers
        options = _options(tmp_path, f"postgres://taggarr@127.0.0.1:{port}/taggarr")
        options["connect_timeout"] = 2  # the setting's value, shorter for the test
        with pytest.raises(psycopg.OperationalError, match="timeout"):
            psycopg.connect(host="127.0.0.1", port=port, dbname="taggarr", **options)


def test_postgresql_statements_and_lock_waits_have_deadlines(tmp_path: Path) -> None:
    options = _options(tmp_path, "postgres://taggarr@db.invalid:5432/taggarr")
    assert options["options"] == "-c statement_timeout=120000 -c lock_timeout=60000"


def test_a_deadline_of_zero_is_none(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TAGGARR_DB_STATEMENT_SECONDS", "0")
    monkeypatch.setenv("TAGGARR_DB_LOCK_SECONDS", "7")
    options = _options(tmp_path, "postgres://taggarr@db.invalid:5432/taggarr")
    assert options["options"] == "-c lock_timeout=7000"


def test_sqlite_waits_for_a_lock_within_its_busy_timeout(tmp_path: Path) -> None:
    options = _options(tmp_path, f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert options["timeout"] == 30
