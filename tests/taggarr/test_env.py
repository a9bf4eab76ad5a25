from __future__ import annotations

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
