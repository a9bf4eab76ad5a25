"""docs/conventions.md, "Layers": the engine is pure Python, no Django, no Celery, no HTTP."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ENGINE_MODULES = ["episodes", "languages", "library", "nfo", "nfo_xml", "probe", "verdict"]
FORBIDDEN = {"django", "celery", "kombu", "redis", "requests", "urllib3", "http", "rest_framework"}


def test_engine_imports_nothing_from_the_outer_layers() -> None:
    # A fresh interpreter, so modules other tests imported do not count.
    code = (
        "import importlib, json, sys\n"
        f"for name in {ENGINE_MODULES!r}:\n"
        "    importlib.import_module('scanner.engine.' + name)\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    root = Path(__file__).resolve().parents[3]
    output = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    ).stdout
    loaded = set(json.loads(output))
    assert "pymediainfo" in loaded  # the check sees real imports
    assert loaded & FORBIDDEN == set()
