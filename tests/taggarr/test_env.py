from __future__ import annotations

import math
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from taggarr.env import Env, generated_secret


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
        ("TAGGARR_CACHE_URL", "memcached://cache:11211"),
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


def test_a_hold_limit_no_longer_than_the_stall_window_is_refused() -> None:
    """A step may wait a whole stall window for the desk's answer: a hold limit no
    longer than that would fail a healthy item as held (the old name counts too)."""
    window = {"TAGGARR_SCAN_STALL_SECONDS": "90"}
    refused = _start_django({**window, "TAGGARR_HOLD_SECONDS": "90"})
    assert refused.returncode != 0
    last = refused.stderr.splitlines()[-1]
    assert "TAGGARR_HOLD_SECONDS (90 s) must be longer than TAGGARR_SCAN_STALL_SECONDS" in last
    assert _start_django({**window, "TAGGARR_ITEM_HOLD_SECONDS": "60"}).returncode != 0
    assert _start_django({**window, "TAGGARR_HOLD_SECONDS": "91"}).returncode == 0


def test_a_retry_budget_shorter_than_the_stall_window_is_allowed() -> None:
    """The wait for the desk is not the budget's (scanner.pipeline.runtime.item_step):
    8 s budgets under a 10 s window start (issue 69 measured them failing items)."""
    budgets = {"TAGGARR_ARR_RETRY_SECONDS": "8", "TAGGARR_STORAGE_RETRY_SECONDS": "8"}
    started = _start_django({**budgets, "TAGGARR_SCAN_STALL_SECONDS": "10"})
    assert started.returncode == 0, started.stderr


def _cache_settings(tmp_path: Path, env: dict[str, str]) -> list[str]:
    """The cache's backend, location and key prefix as the settings make them from
    ``env`` (REDIS_URL and TAGGARR_CACHE_URL unset unless it names them)."""
    base = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "TAGGARR_CACHE_URL")}
    shown = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "from taggarr.celery import app; cache = settings.CACHES['default']; "
            "print(app.conf.broker_url); print(cache['BACKEND'].rsplit('.', 1)[-1]); "
            "print(cache['LOCATION']); print(cache.get('KEY_PREFIX', '-'))",
        ],
        env={
            **base,
            "DJANGO_SETTINGS_MODULE": "taggarr.settings",
            "TAGGARR_DATA_DIR": str(tmp_path),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return shown.stdout.split()


def test_the_cache_shares_the_brokers_database_as_given_under_its_prefix(tmp_path: Path) -> None:
    """No database REDIS_URL does not name (its + 1 was someone else's on a shared Redis,
    and past /15 there was none)."""
    for url in ("redis://:secret@redis.invalid:6379/2", "redis://redis.invalid:6379/15"):
        assert _cache_settings(tmp_path, {"REDIS_URL": url}) == [
            url,
            "RedisCache",
            url,
            "taggarr-cache",
        ]


def test_taggarr_cache_url_takes_the_cache_elsewhere(tmp_path: Path) -> None:
    env = {
        "REDIS_URL": "redis://redis.invalid:6379/2",
        "TAGGARR_CACHE_URL": "rediss://cache.invalid:6380/9",
    }
    assert _cache_settings(tmp_path, env) == [
        "redis://redis.invalid:6379/2",
        "RedisCache",
        "rediss://cache.invalid:6380/9",
        "taggarr-cache",
    ]
    # Without REDIS_URL too: the broker stays the embedded one.
    shown = _cache_settings(tmp_path, {"TAGGARR_CACHE_URL": "redis://cache.invalid/0"})
    assert not shown[0].startswith(("redis:", "rediss:"))
    assert shown[1:] == ["RedisCache", "redis://cache.invalid/0", "taggarr-cache"]


def test_without_redis_the_cache_is_files_in_the_data_dir(tmp_path: Path) -> None:
    shown = _cache_settings(tmp_path, {})
    assert shown[1:] == ["FileBasedCache", str(tmp_path / "cache"), "-"]
