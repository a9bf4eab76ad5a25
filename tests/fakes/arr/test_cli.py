"""`python -m fakes.arr` as a separate process, driven over its control endpoints."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from fakes.arr import build_episode_file, build_series
from fakes.arr.__main__ import options_from_args, parse_args
from scanner.errors import ArrTransientError
from tests.fakes.arr.conftest import API_KEY

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture
def fake_process(tmp_path) -> Iterator[str]:
    items = tmp_path / "items.json"
    items.write_text(json.dumps([build_series(1), build_series(2)]))
    episode_files = tmp_path / "episodefiles.json"
    episode_files.write_text(json.dumps([build_episode_file(build_series(2), 5)]))
    command = [
        sys.executable,
        "-m",
        "fakes.arr",
        "--app=sonarr",
        "--port=0",
        f"--api-key={API_KEY}",
        f"--items={items}",
        f"--episode-files={episode_files}",
        "--latency-ms=1",
        "--per-item-ms=0.5",
        "--startup-503=1",
        "--version=4.0.0",
        "--format-samples",
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

    with pytest.raises(ArrTransientError, match="starting up"):  # started with one 503
        client.list_items()
    items = client.list_items()

    assert [item.id for item in items] == [1, 2]
    counters = requests.get(f"{fake_process}/__fake__/counters", timeout=5).json()
    assert counters == {
        "total": 2,
        "counts": [{"method": "GET", "route": "/api/v3/series", "count": 2}],
        "connections": 2,  # the client's, kept alive across the 503 and the list, and this one
    }
    requests.post(f"{fake_process}/__fake__/counters/reset", timeout=5)
    requests.put(f"{fake_process}/__fake__/items", json=[build_series(7)], timeout=5)
    assert [item.id for item in client.list_items()] == [7]
    assert requests.get(f"{fake_process}/__fake__/counters", timeout=5).json()["total"] == 1


def test_the_fake_process_loads_episode_files_and_takes_new_ones(fake_process):
    url, key = f"{fake_process}/api/v3/episodefile", {"X-Api-Key": API_KEY}
    while requests.get(url, params={"seriesId": 2}, headers=key, timeout=5).status_code == 503:
        pass  # started with --startup-503=1

    loaded = requests.get(url, params={"seriesId": 2}, headers=key, timeout=5).json()

    assert [(f["id"], f["seriesId"]) for f in loaded] == [(5, 2)]
    one = build_episode_file(build_series(1), 8)
    requests.put(f"{fake_process}/__fake__/episodefiles/1", json=[one], timeout=5)
    assert requests.get(url, params={"seriesId": 1}, headers=key, timeout=5).json() == [one]
    requests.put(f"{fake_process}/__fake__/episodefiles", json=[one], timeout=5)  # all of them
    assert requests.get(url, params={"seriesId": 2}, headers=key, timeout=5).json() == []


def test_the_fake_process_has_the_format_samples_and_grabs_what_a_profile_prefers(fake_process):
    """--format-samples: the TRaSH-like profiles; releases set over the control routes,
    the profile changed by the editor, a search grabs (fakes/arr/releases.py)."""
    from fakes.arr import format_samples as samples
    from fakes.arr import release_names as names

    api, key = f"{fake_process}/api/v3", {"X-Api-Key": API_KEY}
    while requests.get(f"{api}/qualityprofile", headers=key, timeout=5).status_code == 503:
        pass  # started with --startup-503=1
    profiles = requests.get(f"{api}/qualityprofile", headers=key, timeout=5).json()
    assert [p["name"] for p in profiles] == [p["name"] for p in samples.PROFILES]
    titles = [names.SONARR_FRENCH_VFF, names.SONARR_FRENCH_VFQ]
    requests.put(f"{fake_process}/__fake__/releases/1", json=titles, timeout=5)
    editor = {"seriesIds": [1], "qualityProfileId": samples.VFQ_ID}
    assert requests.put(f"{api}/series/editor", json=editor, headers=key, timeout=5).ok
    search = {"name": "SeriesSearch", "seriesId": 1}
    assert requests.post(f"{api}/command", json=search, headers=key, timeout=5).status_code == 201
    grabs = requests.get(f"{fake_process}/__fake__/grabs", timeout=5).json()
    assert grabs == {"1": [names.SONARR_FRENCH_VFQ]}


def test_the_command_line_stages_every_failure_and_defaults_to_real_releases():
    args = parse_args(
        [
            "--app=radarr",
            "--api-key=k",
            "--per-edit-ms=4",
            "--invalid-ids=3,5",
            "--stall-editor-ids=7",
            "--stall-s=2",
        ]
    )
    options = options_from_args(args)

    assert options.version == "5.26.2.10099"
    assert options.per_edit_latency_s == 0.004
    assert options.invalid_ids == frozenset({3, 5})
    assert options.stall_editor_ids == frozenset({7})
    assert options.stall_s == 2.0
    assert options.strict_tag_labels is False  # Radarr v5 does not check labels
    strict = options_from_args(parse_args(["--app=radarr", "--api-key=k", "--version=6.0.3.10276"]))
    assert strict.strict_tag_labels is True
