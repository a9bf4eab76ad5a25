"""locale/ holds the catalogs and the glossary, nothing else (issue 96: an empty
temporary file was committed in locale/es_419/). Git's own list is what a clone gets: a
compiled .mo is built (scripts/compile_messages.py) and ignored, never committed."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from scripts.messages import DOMAINS, catalog_languages

ROOT = Path(__file__).resolve().parents[2]


def strays(paths: list[str], languages: list[str]) -> list[str]:
    """The committed paths under locale/ that are neither a catalog nor the glossary."""
    catalog = re.compile(
        rf"locale/({'|'.join(map(re.escape, languages))})/LC_MESSAGES/"
        rf"({'|'.join(DOMAINS)})\.po"
    )
    return [p for p in paths if p != "locale/glossary.toml" and not catalog.fullmatch(p)]


@pytest.mark.skipif(
    shutil.which("git") is None or not (ROOT / ".git").exists(), reason="not a git checkout"
)
def test_locale_holds_only_the_catalogs_and_the_glossary() -> None:
    committed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "locale"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert strays(committed, catalog_languages()) == []


def test_the_check_finds_a_stray_file() -> None:
    paths = [
        "locale/glossary.toml",
        "locale/es_419/LC_MESSAGES/django.po",
        "locale/es_419/tmp97sob9j2",
        "locale/xx/LC_MESSAGES/django.po",
        "locale/de/LC_MESSAGES/django.po~",
    ]
    assert strays(paths, ["de", "es_419"]) == [
        "locale/es_419/tmp97sob9j2",
        "locale/xx/LC_MESSAGES/django.po",
        "locale/de/LC_MESSAGES/django.po~",
    ]
