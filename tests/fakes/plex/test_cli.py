"""`python -m fakes.plex` as a separate process, seeded from a JSON library."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import requests

TOKEN = "fake-plex-5ecret-0f1e2d3c"
REPO = Path(__file__).resolve().parents[3]
LIBRARY = {
    "sections": [{"key": "1", "title": "TV Shows", "type": "show", "locations": ["/tv"]}],
    "items": [{"section_key": "1", "title": "Show", "path": "/tv/Show", "labels": ["dub"]}],
}


def test_the_fake_runs_as_a_process_with_its_library(tmp_path: Path) -> None:
    library = tmp_path / "library.json"
    library.write_text(json.dumps(LIBRARY))
    command = [sys.executable, "-m", "fakes.plex", "--port=0", f"--token={TOKEN}"]
    process = subprocess.Popen(
        [*command, f"--library={library}"], cwd=REPO, stdout=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("Fake Plex 1.41.3.9314-a0bfb8370 listening on http://"), line
        url = line.split()[-1]
        answer = requests.get(
            f"{url}/library/sections/1/all", headers={"X-Plex-Token": TOKEN}, timeout=5
        )
        container = ElementTree.fromstring(answer.content)  # noqa: S314 - our own fake's answer
        assert [(e.get("title"), e.find("Label").get("tag")) for e in container] == [
            ("Show", "dub")
        ]
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()
    assert process.returncode == 0  # SIGTERM stops it cleanly
