"""The worker's main process loads the language tables before it forks its children."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# A fresh interpreter: this test process has long loaded the tables.
CHECK = """
import sys
import django
django.setup()
import pycountry
from celery import signals
from scanner.engine.languages import _macrolanguages
from taggarr.celery import app
assert not _macrolanguages.cache_info().currsize and not pycountry.languages._is_loaded
signals.worker_init.send(sender=None)
print(_macrolanguages.cache_info().currsize == 1, pycountry.languages._is_loaded)
# The macrolanguage table is read alone: python-iso639's own tables are never loaded.
print("iso639" in sys.modules)
"""


def test_worker_init_loads_the_language_tables(tmp_path: Path) -> None:
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "taggarr.settings",
        "TAGGARR_DATA_DIR": str(tmp_path),
    }
    done = subprocess.run(
        [sys.executable, "-c", CHECK], cwd=REPO, env=env, capture_output=True, text=True,
        timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "True", "False"]
