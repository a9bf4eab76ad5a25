"""Django set up in a benchmark's own process on a throwaway data dir: SQLite and the
embedded broker (DATABASE_URL and REDIS_URL dropped), migrated, with the *arr retry
budget given. For the benchmarks that run one scenario in-process (hanging_arr.py,
hostile_items.py)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def embedded_django(prefix: str, arr_retry_seconds: int) -> Path:
    """Set up and migrate; the data dir (its worker subprocesses inherit the environment)."""
    data = Path(tempfile.mkdtemp(prefix=prefix))
    os.environ.update(
        TAGGARR_DATA_DIR=str(data),
        TAGGARR_ARR_RETRY_SECONDS=str(arr_retry_seconds),
        DJANGO_SETTINGS_MODULE="taggarr.settings",
    )
    os.environ.setdefault("TAGGARR_LOG_LEVEL", "warning")
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return data
