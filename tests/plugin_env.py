"""Loaded with ``-p`` before Django starts: every test session gets its own data dir.

The data dir holds the generated secrets, the SQLite test database and the
embedded broker's queue folders, so a fresh one per session means no message or
row left over from an earlier run. DATABASE_URL and REDIS_URL are left as the
caller set them: CI points them at PostgreSQL and Redis, a laptop uses neither.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from urllib.parse import urlsplit, urlunsplit

from scripts.compile_messages import compile_stale

_worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
_data_dir = tempfile.mkdtemp(prefix=f"taggarr-test-{_worker}-")
os.environ["TAGGARR_DATA_DIR"] = _data_dir
atexit.register(shutil.rmtree, _data_dir, ignore_errors=True)
# The test client speaks plain HTTP; tests of the HTTPS settings override them.
os.environ["TAGGARR_HTTPS"] = "false"
os.environ.setdefault("TAGGARR_LOG_LEVEL", "warning")
# Steps give up at once; the tests of the retries set their own budgets.
os.environ.setdefault("TAGGARR_ARR_RETRY_SECONDS", "0")
os.environ.setdefault("TAGGARR_STORAGE_RETRY_SECONDS", "0")
os.environ.setdefault("TAGGARR_MEDIA_SERVER_RETRY_SECONDS", "0")
if os.environ.get("REDIS_URL") and _worker != "main":
    # One Redis database per xdist worker keeps their queues apart: the ones after the
    # database REDIS_URL names (so two checkouts can test at once on 0 and 5, say).
    _url = urlsplit(os.environ["REDIS_URL"])
    _base = int(_url.path.strip("/") or 0)
    _index = _base + 1 + int(_worker.removeprefix("gw"))
    os.environ["REDIS_URL"] = urlunsplit(_url._replace(path=f"/{_index}"))

# The translations as `make test` builds them, for a bare `pytest` too.
compile_stale()
