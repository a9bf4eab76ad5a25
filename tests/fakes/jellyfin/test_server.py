"""The fake Jellyfin on its own, over plain HTTP and as a process: the token headers it
takes, the update contract it plays, the latency it spends."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from fakes.jellyfin import FakeJellyfin, build_movie, build_series
from fakes.jellyfin.__main__ import main
from scanner.media_servers.jellyfin import JellyfinClient, ServerConfig
from tests.helpers import SERVER_TOKEN

ITEMS = [
    build_series(f"s{n}", f"Show {n:02d}", f"/media/tv/Show {n:02d}", ProviderIds={"Tvdb": str(n)})
    for n in range(1, 8)
] + [build_movie("m1", "Film", "/movies/Film (2020)/Film.mkv", ProviderIds={"Tmdb": "55"})]


@pytest.fixture
def fake() -> Iterator[FakeJellyfin]:
    with FakeJellyfin(token=SERVER_TOKEN, items=ITEMS) as server:
        yield server


def _client(url: str, token: str = SERVER_TOKEN) -> JellyfinClient:
    config = ServerConfig(name="jf", url=url, token=token, page_size=3)
    return JellyfinClient(config, attempts=1)


def test_both_token_headers_are_accepted(fake: FakeJellyfin) -> None:
    for headers in (
        {"Authorization": f'MediaBrowser Client="x", Token="{SERVER_TOKEN}"'},
        {"X-Emby-Token": SERVER_TOKEN},
    ):
        assert requests.get(f"{fake.url}/System/Info", headers=headers, timeout=5).ok
    assert requests.get(f"{fake.url}/System/Info", timeout=5).status_code == 401
    emby_headers = {"X-Emby-Token": SERVER_TOKEN}
    emby = requests.get(f"{fake.url}/emby/System/Info", headers=emby_headers, timeout=5)
    assert emby.json()["Version"] == "12.0.0"


def test_the_fake_clears_what_an_update_leaves_out(fake: FakeJellyfin) -> None:
    """The contract the client works around: POST /Items/{id} sets Overview & co from
    the body (ItemUpdateController.UpdateItem)."""
    response = requests.post(
        f"{fake.url}/Items/s3",
        json={"Tags": ["x"]},
        headers={"X-Emby-Token": SERVER_TOKEN},
        timeout=5,
    )
    assert response.status_code == 204
    item = fake.state.item("s3")
    assert item["Tags"] == ["x"] and item["Overview"] is None and item["Name"] is None
    assert item["Genres"] == ["Drama"]  # only when present


def test_the_fake_runs_as_a_process(tmp_path: Path) -> None:
    items = tmp_path / "items.json"
    items.write_text(json.dumps(ITEMS[:2]))
    process = subprocess.Popen(
        [sys.executable, "-m", "fakes.jellyfin", "--port", "0", "--token", SERVER_TOKEN,
         "--items", str(items)],
        stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        url = process.stdout.readline().split()[-1]
        with _client(url) as client:
            assert [item.id for item in client.items()] == ["s1", "s2"]
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_the_fake_spends_its_latency_on_every_request() -> None:
    spent: list[float] = []
    with (
        FakeJellyfin(token=SERVER_TOKEN, items=ITEMS, latency_s=0.003, sleep=spent.append) as fake,
        _client(fake.url) as client,
    ):
        list(client.items())
        assert spent == [0.003] * client.requests_made


def test_the_command_line_takes_only_a_release_the_fake_plays(capsys) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--token", SERVER_TOKEN, "--version", "10.10.3"])
    assert caught.value.code == 2
    assert "invalid choice: '10.10.3' (choose from '12.0.0')" in capsys.readouterr().err
