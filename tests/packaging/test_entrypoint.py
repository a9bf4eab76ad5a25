"""docker/entrypoint.sh's set-up before a role starts, run as plain processes (no Docker
engine): UMASK, the drop to PUID:PGID the linuxserver way when started as root, and the
secrets it reads itself from ``NAME_FILE``. The all-in-one role itself:
test_all_in_one.py."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import CHECKOUT


def _entrypoint(
    *args: str, env: dict[str, str], path_first: Path | None = None
) -> subprocess.CompletedProcess[str]:
    kept = {
        name: value
        for name, value in os.environ.items()
        if name not in ("PUID", "PGID", "UMASK", "FLOWER_BASIC_AUTH", "FLOWER_BASIC_AUTH_FILE")
    }
    if path_first is not None:
        kept["PATH"] = f"{path_first}:{kept['PATH']}"
    return subprocess.run(
        ["sh", "docker/entrypoint.sh", *args],
        cwd=CHECKOUT, env={**kept, **env}, capture_output=True, text=True, timeout=60,
        check=False,
    )  # fmt: skip


def test_umask_is_the_mask_of_what_the_processes_make() -> None:
    done = _entrypoint("sh", "-c", "umask", env={"UMASK": "002"})
    assert (done.returncode, done.stdout.strip()) == (0, "0002")


@pytest.mark.parametrize("mask", ["abc", "0999", "12345"])
def test_a_bad_umask_stops_the_start_naming_it(mask: str) -> None:
    done = _entrypoint("sh", "-c", "echo started", env={"UMASK": mask})
    assert done.returncode == 2
    assert "started" not in done.stdout
    assert f"UMASK must be an octal mask such as 022 or 002, got '{mask}'" in done.stderr


def test_without_puid_and_pgid_it_runs_as_who_started_it() -> None:
    """`make run` and the tests start the entrypoint outside the image (no PUID/PGID):
    as root too, nothing is dropped and no folder is touched."""
    done = _entrypoint("id", "-u", env={})
    assert (done.returncode, done.stdout.strip()) == (0, str(os.getuid()))


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A folder another user can reach (pytest's tmp_path is its owner's only)."""
    folder = Path(tempfile.mkdtemp(prefix="taggarr-entrypoint-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.skipif(os.getuid() != 0, reason="dropping to PUID:PGID needs root")
def test_as_root_the_data_dir_becomes_puid_pgids_and_the_role_runs_as_them(
    shared_dir: Path,
) -> None:
    config = shared_dir / "config"
    (config / "logs").mkdir(parents=True)
    (config / "taggarr.sqlite3").write_text("")
    outside = shared_dir / "outside"
    outside.write_text("root's")
    (config / "link").symlink_to(outside)
    done = _entrypoint(
        "sh",
        "-c",
        'id -u; id -g; id -G; echo "$HOME"; umask; touch "$TAGGARR_DATA_DIR/made"',
        env={"PUID": "12345", "PGID": "12346", "UMASK": "027", "TAGGARR_DATA_DIR": str(config)},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["12345", "12346", "12346", str(config), "0027"]
    for path in (config, config / "logs", config / "taggarr.sqlite3", config / "made"):
        assert (path.stat().st_uid, path.stat().st_gid) == (12345, 12346), path
    assert (config / "made").stat().st_mode & 0o777 == 0o640
    # A link in the data dir is made theirs, never what it points to.
    assert (config / "link").lstat().st_uid == 12345
    assert (outside.stat().st_uid, outside.stat().st_gid) == (0, 0)


@pytest.mark.skipif(os.getuid() != 0, reason="starting as root needs root")
def test_puid_0_stays_root_and_bad_ids_stop_the_start(shared_dir: Path) -> None:
    config = shared_dir / "config"
    done = _entrypoint("id", "-u", env={"PUID": "0", "PGID": "0", "TAGGARR_DATA_DIR": str(config)})
    assert (done.returncode, done.stdout.strip()) == (0, "0")
    refused = _entrypoint("id", "-u", env={"PUID": "abc", "TAGGARR_DATA_DIR": str(config)})
    assert refused.returncode == 2
    assert "PUID and PGID must be numbers, got PUID='abc'" in refused.stderr


@pytest.fixture
def fake_celery(tmp_path: Path) -> Path:
    """A ``celery`` that prints its arguments, first on PATH: the flower role's command."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    celery = bin_dir / "celery"
    celery.write_text('#!/bin/sh\nprintf "%s\\n" "$@"\n')
    celery.chmod(0o755)
    return bin_dir


def test_flower_reads_its_basic_auth_from_a_file(tmp_path: Path, fake_celery: Path) -> None:
    secret = tmp_path / "flower_auth"
    secret.write_text("admin:s3cret\n")
    done = _entrypoint(
        "flower", env={"FLOWER_BASIC_AUTH_FILE": str(secret)}, path_first=fake_celery
    )
    assert done.returncode == 0, done.stderr
    assert "--basic-auth=admin:s3cret" in done.stdout.splitlines()


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("both", "set FLOWER_BASIC_AUTH or FLOWER_BASIC_AUTH_FILE, not both"),
        ("missing", "FLOWER_BASIC_AUTH_FILE: cannot read"),
        ("empty", "FLOWER_BASIC_AUTH_FILE: '{path}' is empty"),
    ],
)
def test_flowers_file_errors_name_the_variable(
    tmp_path: Path, fake_celery: Path, given: str, message: str
) -> None:
    secret = tmp_path / "flower_auth"
    if given != "missing":
        secret.write_text("admin:s3cret" if given == "both" else "\n")
    env = {"FLOWER_BASIC_AUTH_FILE": str(secret)}
    if given == "both":
        env["FLOWER_BASIC_AUTH"] = "admin:other"
    done = _entrypoint("flower", env=env, path_first=fake_celery)
    assert done.returncode == 2
    assert message.format(path=secret) in done.stderr
    assert "s3cret" not in done.stderr
