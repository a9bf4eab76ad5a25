"""The first start's admin (``make run``: ``bootstrap --generate-admin``): the generated
password is the last thing the command prints, once, in a box that names the file in
the data dir that holds it too (readable by its owner only); later starts never print
it again, and remind of the file while it is there."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.test import override_settings

from scanner.management.commands.bootstrap import FIRST_ADMIN_FILE, write_password_file
from tests.helpers import CHECKOUT


def _bootstrap(data_dir: Path) -> str:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("TAGGARR_ADMIN_")},
        "DATABASE_URL": f"sqlite:///{data_dir / 'first-admin.sqlite3'}",
        "TAGGARR_DATA_DIR": str(data_dir),
        "TAGGARR_BIND": "127.0.0.1:8123",
    }
    done = subprocess.run(
        [sys.executable, "manage.py", "bootstrap", "--generate-admin"],
        cwd=CHECKOUT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


def test_the_first_password_is_shown_last_in_a_box_and_kept_in_a_file(tmp_path: Path) -> None:
    output = _bootstrap(tmp_path)
    lines = output.rstrip().splitlines()
    # The box closes the output: nothing the command says comes after it.
    assert lines[-1].startswith("+-") and lines[-1].endswith("-+")
    top = lines.index(lines[-1])
    box = lines[top:]
    assert all(line.startswith("|") and line.endswith("|") for line in box[1:-1])
    assert len({len(line) for line in box}) == 1  # a frame, every line as wide
    text = "\n".join(box)
    path = tmp_path / FIRST_ADMIN_FILE
    assert str(path) in text and "http://127.0.0.1:8123/admin/" in text
    [password] = [line.split("password:")[1].strip(" |") for line in box if "password:" in line]
    assert output.count(password) == 1  # printed once, and nowhere else
    # The file: the same user and password, for its owner's eyes only.
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    kept = path.read_text()
    assert "user: admin" in kept and f"password: {password}" in kept
    with sqlite3.connect(tmp_path / "first-admin.sqlite3") as db:
        [(hashed,)] = db.execute(
            "SELECT password FROM auth_user WHERE username = 'admin' AND is_superuser"
        ).fetchall()
    # The production hasher (the tests' settings use a faster one).
    assert PBKDF2PasswordHasher().verify(password, hashed)

    # A later start: no password, a reminder of the file while it is there.
    again = _bootstrap(tmp_path)
    assert password not in again and "+-" not in again
    assert f"still in {path}" in again
    path.unlink()
    assert "still in" not in _bootstrap(tmp_path)


# --- a link planted where the file goes -------------------------------------------------


def _written(data_dir: Path) -> Path:
    with override_settings(DATA_DIR=data_dir):
        path = write_password_file("admin", "s3cret-first-password")
    assert path == data_dir / FIRST_ADMIN_FILE
    return path


def _a_regular_file_for_its_owner_only(path: Path) -> None:
    assert not path.is_symlink() and stat.S_ISREG(path.lstat().st_mode)
    assert stat.S_IMODE(path.lstat().st_mode) == 0o600
    assert "password: s3cret-first-password" in path.read_text()


def test_a_dangling_link_in_its_place_is_replaced_not_followed(tmp_path: Path) -> None:
    """Before, os.open(O_CREAT) followed a link planted as admin-password.txt and created
    its target: the password went wherever the link pointed."""
    data_dir, elsewhere = tmp_path / "data", tmp_path / "elsewhere"
    data_dir.mkdir()
    elsewhere.mkdir()
    target = elsewhere / "stolen.txt"
    (data_dir / FIRST_ADMIN_FILE).symlink_to(target)
    path = _written(data_dir)
    assert not target.exists() and list(elsewhere.iterdir()) == []
    _a_regular_file_for_its_owner_only(path)


def test_a_link_to_an_existing_file_leaves_that_file_untouched(tmp_path: Path) -> None:
    """Before, O_TRUNC emptied the link's target and the password was written into it
    (and fchmod made it 0600)."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    target = tmp_path / "precious.conf"
    target.write_text("keep me\n")
    target.chmod(0o644)
    (data_dir / FIRST_ADMIN_FILE).symlink_to(target)
    path = _written(data_dir)
    assert target.read_text() == "keep me\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    _a_regular_file_for_its_owner_only(path)


def test_an_older_file_is_replaced_by_one_for_its_owner_only(tmp_path: Path) -> None:
    old = tmp_path / FIRST_ADMIN_FILE
    old.write_text("user: admin\npassword: the-old-one\n")
    old.chmod(0o644)
    path = _written(tmp_path)
    assert "the-old-one" not in path.read_text()
    _a_regular_file_for_its_owner_only(path)
