"""Compile every catalog (locale/<lang>/LC_MESSAGES/*.po) to its .mo, in pure Python.

Django's compilemessages runs GNU gettext's msgfmt, which a minimal Debian (and the
python:slim image) does not have; Babel reads and writes the same formats from PyPI.
A catalog with an error stops the build, and so does a fuzzy entry (gettext would
leave it out silently). Run by `make install`, `make run`, `make test` and the image."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE = Path(__file__).resolve().parent.parent / "locale"


def compile_catalog(po_path: Path) -> Path:
    with po_path.open("rb") as source:
        catalog = read_po(source, abort_invalid=True)
    fuzzy = [message.id for message in catalog if message.id and message.fuzzy]
    if fuzzy:
        raise SystemExit(f"{po_path}: fuzzy entries: {fuzzy[:3]}")
    mo_path = po_path.with_suffix(".mo")
    # Written aside and renamed: processes that compile at once (test workers) never
    # see a half-written catalog.
    with tempfile.NamedTemporaryFile("wb", dir=mo_path.parent, delete=False) as target:
        write_mo(target, catalog)
    os.chmod(target.name, 0o644)  # a temporary file is its owner's only; a catalog is not
    os.replace(target.name, mo_path)
    return mo_path


def compile_stale() -> None:
    """Compile each catalog whose .mo is missing or older than its .po."""
    for po_path in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
            compile_catalog(po_path)


def main() -> int:
    for po_path in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
        compile_catalog(po_path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
