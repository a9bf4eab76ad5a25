"""`python -m scanner.arr.fake` as a separate process, driven over its control endpoints."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from scanner.arr.fake import build_series
from tests.scanner.arr.conftest import API_KEY

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture
def fake_process(tmp_path) -> Iterator[str]:
    items = tmp_path / "items.json"
    items.write_text(json.dumps([build_series(1), build_series(2)]))
    command = [
        sys.executable,
        "-m",
        "scanner.arr.fake",
        "--app=sonarr",
        "--port=0",
        f"--api-key={API_KEY}",
        f"--items={items}",
        "--latency-ms=1",
        "--per-item-ms=0.5",
        "--startup-503=1",
        "--version=4.0.0",
    ]
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, text=True)
    try:
        # The first line announces the URL; reading it waits exactly until it is ready.
        line = process.stdout.readline()
        assert "listening on http://127.0.0.1:" in line, line
        yield line.rsplit(" ", 1)[1].strip()
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()
    assert process.returncode == 0


def test_the_fake_runs_as_a_process_and_reports_its_counters(fake_process, client_factory):
    client = client_factory(fake_process)

    items = client.list_items()  # one 503 "starting up", then the list

    assert [item.id for item in items] == [1, 2]
    counters = requests.get(f"{fake_process}/__fake__/counters", timeout=5).json()
    assert counters == {
        "total": 2,
        "counts": [{"method": "GET", "route": "/api/v3/series", "count": 2}],
    }
    requests.post(f"{fake_process}/__fake__/counters/reset", timeout=5)
    requests.put(f"{fake_process}/__fake__/items", json=[build_series(7)], timeout=5)
    assert [item.id for item in client.list_items()] == [7]
    assert requests.get(f"{fake_process}/__fake__/counters", timeout=5).json()["total"] == 1
