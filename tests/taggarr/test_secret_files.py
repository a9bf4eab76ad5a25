"""Every secret setting is read from ``NAME`` or from the file ``NAME_FILE`` names (Docker
and Kubernetes secrets), through the one reader taggarr.env.Env.secret; the database's
password may be kept out of DATABASE_URL (TAGGARR_DATABASE_PASSWORD). The reader's own
errors (both set, a file unreadable or empty): test_env.py."""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from tests.packaging import image_facts

SECRETS = {
    "TAGGARR_SECRET_KEY",
    "TAGGARR_ENCRYPTION_KEY",
    "DATABASE_URL",
    "TAGGARR_DATABASE_PASSWORD",
    "REDIS_URL",
    "TAGGARR_CACHE_URL",
    "TAGGARR_METRICS_TOKEN",
    "TAGGARR_ADMIN_PASSWORD",
}
# Names that look like a secret's and are not one: a link shown in the admin.
NOT_SECRET = {"TAGGARR_FLOWER_URL"}
SHOW = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "db = s.DATABASES['default']; print(json.dumps({"
    "'TAGGARR_SECRET_KEY': s.SECRET_KEY, 'TAGGARR_ENCRYPTION_KEY': s.TAGGARR_ENCRYPTION_KEY, "
    "'DATABASE_URL': f\"{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}\", "
    "'TAGGARR_DATABASE_PASSWORD': db['PASSWORD'], 'REDIS_URL': s.REDIS_URL, "
    "'TAGGARR_CACHE_URL': s.CACHES['default']['LOCATION'], "
    "'TAGGARR_METRICS_TOKEN': s.METRICS_TOKEN, 'TAGGARR_ADMIN_PASSWORD': s.ADMIN_PASSWORD}))"
)


def _start(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {name: value for name, value in os.environ.items() if name not in SECRETS}
    return subprocess.run(
        [sys.executable, "-c", SHOW],
        env={**base, "DJANGO_SETTINGS_MODULE": "taggarr.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_every_secret_setting_is_read_through_the_file_reader() -> None:
    """A new setting whose name says secret (a password, a token, a key, a URL that may
    hold a password) is read with env.secret, so that NAME_FILE works for it too."""
    looks_secret = {
        name
        for name in image_facts.settings_variables()
        if re.search(r"PASSWORD|SECRET|TOKEN|_KEY$|_URL$", name)
    }
    assert looks_secret - NOT_SECRET == SECRETS
    assert image_facts.settings_secrets() == SECRETS


def test_every_secret_setting_reads_its_file(tmp_path: Path) -> None:
    given = {
        "TAGGARR_SECRET_KEY": secrets.token_urlsafe(50),
        "TAGGARR_ENCRYPTION_KEY": secrets.token_urlsafe(32),
        "DATABASE_URL": "postgres://taggarr@db.invalid:5432/taggarr",
        "TAGGARR_DATABASE_PASSWORD": "db-" + secrets.token_hex(8),
        "REDIS_URL": f"redis://:{secrets.token_hex(8)}@redis.invalid:6379/3",
        "TAGGARR_CACHE_URL": "redis://cache.invalid:6379/4",
        "TAGGARR_METRICS_TOKEN": secrets.token_hex(32),
        "TAGGARR_ADMIN_PASSWORD": "admin-" + secrets.token_hex(8),
    }
    env = {"TAGGARR_DATA_DIR": str(tmp_path / "data")}
    for name, value in given.items():
        (tmp_path / name).write_text(f"{value}\n")  # as `echo value > file` writes it
        env[f"{name}_FILE"] = str(tmp_path / name)
    started = _start(env)
    assert started.returncode == 0, started.stderr
    read = json.loads(started.stdout)
    assert read == {**given, "DATABASE_URL": "taggarr@db.invalid:5432/taggarr"}


def test_a_secret_and_its_file_together_stop_the_start_naming_it(tmp_path: Path) -> None:
    (tmp_path / "password").write_text("from-the-file\n")
    started = _start(
        {
            "TAGGARR_DATA_DIR": str(tmp_path / "data"),
            "TAGGARR_ADMIN_PASSWORD": "from-the-variable",
            "TAGGARR_ADMIN_PASSWORD_FILE": str(tmp_path / "password"),
        }
    )
    assert started.returncode != 0
    last = started.stderr.splitlines()[-1]
    assert "set TAGGARR_ADMIN_PASSWORD or TAGGARR_ADMIN_PASSWORD_FILE, not both" in last
    assert "from-the" not in started.stderr


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("sqlite:////tmp/taggarr.sqlite3", "TAGGARR_DATABASE_PASSWORD is for a postgres://"),
        (
            "postgres://taggarr:in-the-url@db.invalid/taggarr",
            "DATABASE_URL holds a password already: set TAGGARR_DATABASE_PASSWORD or the "
            "URL's password, not both",
        ),
    ],
)
def test_the_database_password_goes_with_a_postgres_url_without_one(
    tmp_path: Path, url: str, message: str
) -> None:
    started = _start(
        {
            "TAGGARR_DATA_DIR": str(tmp_path / "data"),
            "DATABASE_URL": url,
            "TAGGARR_DATABASE_PASSWORD": "the-password",
        }
    )
    assert started.returncode != 0
    assert message in started.stderr.splitlines()[-1]
    assert "the-password" not in started.stderr and "in-the-url" not in started.stderr
