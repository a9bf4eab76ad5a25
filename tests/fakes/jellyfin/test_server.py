"""The fake Jellyfin on its own, over plain HTTP and as a process: the routes each
release has, the members an answer carries, the administrator's folder limits, what a
series' update saves (and the NFOs it rewrites), Emby's tag routes, the latency."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import requests

from fakes.jellyfin import FakeJellyfin, build_library, build_movie, build_seasons, build_series
from fakes.jellyfin.__main__ import main
from fakes.jellyfin.state import USER_ID
from tests.helpers import SERVER_TOKEN

HEADERS = {"Authorization": f'MediaBrowser Client="test", Token="{SERVER_TOKEN}"'}
SERIES = build_series("s1", "Show", "/media/tv/Show", ProviderIds={"Tvdb": "1"})
MOVIE = build_movie("m1", "Film", "/movies/Film (2020)/Film.mkv", trickplay=True)
ITEMS = [SERIES, *build_seasons(SERIES, seasons=2, episodes=3), MOVIE]


def _get(fake: FakeJellyfin, path: str, **params: Any) -> requests.Response:
    return requests.get(f"{fake.url}{path}", params=params, headers=HEADERS, timeout=5)


def _post(fake: FakeJellyfin, path: str, body: Any) -> requests.Response:
    return requests.post(f"{fake.url}{path}", json=body, headers=HEADERS, timeout=5)


@pytest.mark.parametrize(
    ("version", "emby_prefix", "item_route"),
    [
        ("10.8.13", 200, 405),  # no GET /Items/{itemId} before 10.9
        ("10.11.11", 200, 400),  # an API key has no user: "Guid can't be empty"
        ("12.0.0", 404, 400),  # /emby gone
    ],
)
def test_the_routes_each_release_has(version: str, emby_prefix: int, item_route: int) -> None:
    with FakeJellyfin(token=SERVER_TOKEN, items=ITEMS, version=version) as fake:
        assert _get(fake, "/emby/System/Info").status_code == emby_prefix
        assert _get(fake, "/Items/m1").status_code == item_route
        if item_route == 400:
            assert _get(fake, "/Items/m1", userId=USER_ID).json()["Name"] == "Film"
        assert _get(fake, f"/Users/{USER_ID}/Items/m1").status_code == 200  # obsolete in 12


def test_an_answer_carries_the_members_its_fields_ask_for() -> None:
    """DtoService: /Items gives Overview, Tags ... only when Fields names them; a whole
    item (the user route) gives everything, Trickplay included."""
    with FakeJellyfin(token=SERVER_TOKEN, items=ITEMS) as fake:
        (bare,) = _get(fake, "/Items", Ids="m1").json()["Items"]
        (asked,) = _get(fake, "/Items", Ids="m1", Fields="Overview,Settings").json()["Items"]
        whole = _get(fake, f"/Users/{USER_ID}/Items/m1").json()
    assert "Overview" not in bare and "Tags" not in bare and bare["Name"] == "Film"
    assert asked["Overview"] == MOVIE["Overview"] and asked["LockedFields"] == []
    assert "Trickplay" not in asked and whole["Trickplay"] == MOVIE["Trickplay"]


def test_the_administrators_folder_limits_apply_on_the_user_routes_only() -> None:
    with FakeJellyfin(token=SERVER_TOKEN, items=ITEMS) as fake:
        fake.state.limit_user_folders(["tv"])
        assert _get(fake, f"/Users/{USER_ID}/Items/m1").status_code == 404
        assert _get(fake, f"/Users/{USER_ID}/Items/s1").status_code == 200
        assert _get(fake, "/Items", Ids="m1").json()["TotalRecordCount"] == 1
        assert _get(fake, "/Items", Ids="m1", userId=USER_ID).json()["TotalRecordCount"] == 0
        (user,) = _get(fake, "/Users").json()
    assert user["Policy"]["EnableAllFolders"] is False and user["Policy"]["EnabledFolders"] == [
        "tv"
    ]


def test_a_series_update_saves_its_children_and_rewrites_their_nfos() -> None:
    libraries = [build_library("TV Shows", "tv", "tvshows", ["/media/tv"], nfo_saver=True)]
    spent: list[float] = []
    with FakeJellyfin(
        token=SERVER_TOKEN, items=ITEMS, libraries=libraries, version="10.11.11",
        save_latency_s=0.01, sleep=spent.append,
    ) as fake:  # fmt: skip
        whole = _get(fake, f"/Users/{USER_ID}/Items/s1").json()
        assert _post(fake, "/Items/s1", {**whole, "Tags": ["dub"]}).status_code == 204
        assert (
            _post(fake, "/Items/m1", _get(fake, f"/Users/{USER_ID}/Items/m1").json()).status_code
            == 500
        )
        saves, nfos = fake.state.saves(), fake.state.nfo_writes()
        children = fake.state.children("s1")
    assert len(saves) == len(nfos) == 9 and set(saves) == {"s1", *(c["Id"] for c in children)}
    assert all(child["Tags"] == ["dub"] for child in children)
    assert "m1" not in saves  # the trickplay body was refused before anything was saved
    assert spent == pytest.approx([9 * 0.01])


def test_emby_keeps_tags_as_tag_items_and_changes_them_through_its_tag_routes() -> None:
    with FakeJellyfin(token=SERVER_TOKEN, items=ITEMS, version="emby-4.9.0.22") as fake:
        headers = {"X-Emby-Token": SERVER_TOKEN}
        add = {"Tags": [{"Name": "dub"}, {"Name": "mine"}]}
        url = f"{fake.url}/emby/Items/m1/Tags"
        assert requests.post(f"{url}/Add", json=add, headers=headers, timeout=5).status_code == 204
        (listed,) = requests.get(
            f"{fake.url}/Items", params={"Ids": "m1", "Fields": "Tags"}, headers=headers, timeout=5
        ).json()["Items"]
        assert listed["Tags"] is None
        dub = next(tag for tag in listed["TagItems"] if tag["Name"] == "dub")
        remove = {"Tags": [{"Id": dub["Id"]}]}
        assert requests.post(f"{url}/Delete", json=remove, headers=headers, timeout=5).ok
        assert fake.state.item("m1")["Tags"] == ["mine"]
        assert fake.state.writes() == 2


def test_the_fake_runs_as_a_process(tmp_path: Path) -> None:
    items = tmp_path / "items.json"
    items.write_text(json.dumps(ITEMS))
    process = subprocess.Popen(
        [sys.executable, "-m", "fakes.jellyfin", "--port", "0", "--token", SERVER_TOKEN,
         "--items", str(items), "--version", "10.10.7"],
        stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("Fake Jellyfin Server 10.10.7 listening on http://127.0.0.1:")
        url = line.split()[-1]
        listed = requests.get(
            f"{url}/Items", params={"IncludeItemTypes": "Series"}, headers=HEADERS, timeout=5
        )
        assert [item["Id"] for item in listed.json()["Items"]] == ["s1"]
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_the_fake_spends_its_latency_on_every_request() -> None:
    spent: list[float] = []
    with FakeJellyfin(token=SERVER_TOKEN, items=ITEMS, latency_s=0.003, sleep=spent.append) as fake:
        for _ in range(3):
            _get(fake, "/System/Info")
    assert spent == [0.003] * 3


def test_the_command_line_takes_only_a_release_the_fake_plays(capsys) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--token", SERVER_TOKEN, "--version", "10.9.11"])
    assert caught.value.code == 2
    assert "invalid choice: '10.9.11' (choose from '10.8.13', '10.10.7'" in capsys.readouterr().err
