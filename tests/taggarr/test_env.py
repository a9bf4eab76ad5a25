from __future__ import annotations

import math
import os
import re
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from taggarr.env import Env, generated_secret, redis_database_url


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("true", True), ("YES", True), ("1", True), ("off", False), ("0", False), (" false ", False)],
)
def test_bool_reads_common_spellings(raw: str, expected: bool) -> None:
    assert Env({"X": raw}).bool("X", not expected) is expected


def test_bool_default_when_unset_or_empty() -> None:
    assert Env({}).bool("X", True) is True
    assert Env({"X": ""}).bool("X", False) is False


@pytest.mark.parametrize(
    ("method", "args", "raw", "message"),
    [
        ("bool", (False,), "maybe", "TAGGARR_X must be true or false, got 'maybe'"),
        ("int", (5,), "five", "TAGGARR_X must be a whole number, got 'five'"),
        ("choice", ("text", ("text", "json")), "xml", "TAGGARR_X must be one of text, json"),
    ],
)
def test_bad_values_name_the_variable(method: str, args: tuple, raw: str, message: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=message):
        getattr(Env({"TAGGARR_X": raw}), method)("TAGGARR_X", *args)


def test_int_minimum() -> None:
    with pytest.raises(ImproperlyConfigured, match="TAGGARR_X must be at least 1, got 0"):
        Env({"TAGGARR_X": "0"}).int("TAGGARR_X", 4, minimum=1)


def test_list_splits_and_strips() -> None:
    assert Env({"X": " a, b ,,c "}).list("X") == ["a", "b", "c"]


def test_secret_from_file(tmp_path: Path) -> None:
    secret_file = tmp_path / "key"
    secret_file.write_text("s3cret\n")
    assert Env({"KEY_FILE": str(secret_file)}).secret("KEY") == "s3cret"


def test_secret_file_missing_names_variable(tmp_path: Path) -> None:
    with pytest.raises(ImproperlyConfigured, match="KEY_FILE: cannot read"):
        Env({"KEY_FILE": str(tmp_path / "nope")}).secret("KEY")


def test_secret_and_file_together_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ImproperlyConfigured, match="set KEY or KEY_FILE, not both"):
        Env({"KEY": "a", "KEY_FILE": str(tmp_path)}).secret("KEY")


def test_generated_secret_is_private_and_stable(tmp_path: Path) -> None:
    path = tmp_path / "secret_key"
    first = generated_secret(path)
    assert len(first) >= 50
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert generated_secret(path) == first


def test_generated_secret_one_winner_under_concurrency(tmp_path: Path) -> None:
    path = tmp_path / "secret_key"
    results: list[str] = []
    barrier = threading.Barrier(8)

    def start() -> None:
        barrier.wait()
        results.append(generated_secret(path))

    threads = [threading.Thread(target=start) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(results)) == 1
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind


def _start_django(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "taggarr.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("TAGGARR_DEBUG", "maybe"),
        ("TAGGARR_LOG_FORMAT", "xml"),
        ("TAGGARR_TIME_ZONE", "Mars/Olympus"),
        ("DATABASE_URL", "mysql://u@h/db"),
        ("REDIS_URL", "http://redis:6379"),
        ("TAGGARR_CSRF_TRUSTED_ORIGINS", "example.org"),
    ],
)
def test_settings_reject_bad_value_naming_the_variable(variable: str, value: str) -> None:
    result = _start_django({variable: value})
    assert result.returncode != 0
    assert variable in result.stderr.splitlines()[-1]


def test_settings_generate_secrets_once_into_data_dir(tmp_path: Path) -> None:
    env = {"TAGGARR_DATA_DIR": str(tmp_path)}
    assert _start_django(env).returncode == 0
    secret_key = (tmp_path / "secret_key").read_text()
    encryption_key = (tmp_path / "encryption_key").read_text()
    assert _start_django(env).returncode == 0
    assert (tmp_path / "secret_key").read_text() == secret_key
    assert (tmp_path / "encryption_key").read_text() == encryption_key
    assert secret_key != encryption_key


def test_a_stall_window_shorter_than_the_longest_retry_wait_is_refused() -> None:
    """An item waiting for its retry beats no heartbeat: with a stall window shorter than
    the longest wait (scanner.pipeline.retries) a run waiting on retries looks dead."""
    from scanner.pipeline.retries import JITTER, LONGEST_WAIT

    longest = math.ceil(LONGEST_WAIT * (1 + JITTER))
    budgets = {"TAGGARR_ARR_RETRY_SECONDS": "120", "TAGGARR_STORAGE_RETRY_SECONDS": "14"}
    refused = _start_django({**budgets, "TAGGARR_SCAN_STALL_SECONDS": str(longest)})
    assert refused.returncode != 0
    last = refused.stderr.splitlines()[-1]
    assert "TAGGARR_SCAN_STALL_SECONDS must be longer than the longest wait" in last
    assert f"({longest} s," in last
    accepted = _start_django({**budgets, "TAGGARR_SCAN_STALL_SECONDS": str(longest + 1)})
    assert accepted.returncode == 0


def test_a_wait_never_passes_its_budget_so_short_budgets_allow_a_short_stall_window() -> None:
    """The last wait ends at the budget's deadline (Budget.next_wait): with budgets of
    10 s no wait is longer than 10 s, and a 12 s window is enough; 10 s is not."""
    budgets = {"TAGGARR_ARR_RETRY_SECONDS": "10", "TAGGARR_STORAGE_RETRY_SECONDS": "4"}
    assert _start_django({**budgets, "TAGGARR_SCAN_STALL_SECONDS": "12"}).returncode == 0
    refused = _start_django({**budgets, "TAGGARR_SCAN_STALL_SECONDS": "10"})
    assert refused.returncode != 0
    assert "(10 s," in refused.stderr.splitlines()[-1]


@pytest.mark.parametrize(
    ("url", "database", "expected"),
    [
        ("redis://:secret@redis:6379/0", -1, "redis://:secret@redis:6379/1"),
        ("redis://redis:6379", -1, "redis://redis:6379/1"),
        (
            "rediss://redis:6380/4?ssl_cert_reqs=none",
            -1,
            "rediss://redis:6380/5?ssl_cert_reqs=none",
        ),
        ("redis://redis/2?db=6", -1, "redis://redis/7"),  # redis-py reads ?db= first
        ("redis://redis/0", 9, "redis://redis/9"),
    ],
)
def test_the_cache_gets_a_redis_database_of_its_own(url: str, database: int, expected: str) -> None:
    assert redis_database_url(url, database, "TAGGARR_REDIS_CACHE_DB") == expected


@pytest.mark.parametrize(
    ("url", "database", "said"),
    [
        ("redis://:secret@redis/3", 3, "must not be REDIS_URL's own database (3)"),
        ("redis://:secret@redis/15", -1, "set TAGGARR_REDIS_CACHE_DB to a free one"),
    ],
)
def test_a_cache_database_that_cannot_be_apart_is_refused(
    url: str, database: int, said: str
) -> None:
    with pytest.raises(ImproperlyConfigured, match=re.escape(said)) as refused:
        redis_database_url(url, database, "TAGGARR_REDIS_CACHE_DB")
    assert "secret" not in str(refused.value)


def test_settings_put_the_cache_beside_the_broker_in_its_own_database(tmp_path: Path) -> None:
    shown = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "from taggarr.celery import app; "
            "print(app.conf.broker_url); print(settings.CACHES['default']['LOCATION'])",
        ],
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "taggarr.settings",
            "TAGGARR_DATA_DIR": str(tmp_path),
            "REDIS_URL": "redis://redis.invalid:6379/2",
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert shown.stdout.split() == ["redis://redis.invalid:6379/2", "redis://redis.invalid:6379/3"]
