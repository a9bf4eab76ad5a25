"""The fake *arr's root folders and languages, as Sonarr and Radarr answer them."""

from __future__ import annotations

import json
import urllib.request

from fakes.arr import FakeArr, FakeArrOptions

KEY = "0123456789abcdef0123456789abcdef"
SERIES = [
    {"id": 1, "title": "Dark", "path": "/tv/Dark"},
    {"id": 2, "title": "Akira", "path": "/anime/Akira"},
    {"id": 3, "title": "Monster", "path": "/anime/Monster"},
]


def _get(fake: FakeArr, path: str) -> object:
    request = urllib.request.Request(fake.url + path, headers={"X-Api-Key": KEY})  # noqa: S310
    with urllib.request.urlopen(request, timeout=5) as answer:  # noqa: S310 - the fake
        return json.load(answer)


def test_root_folders_are_the_items_parents_with_a_trailing_slash() -> None:
    with FakeArr(FakeArrOptions(api_key=KEY), items=SERIES) as fake:
        folders = _get(fake, "/api/v3/rootfolder")
    assert [folder["path"] for folder in folders] == ["/anime/", "/tv/"]
    assert all(folder["accessible"] for folder in folders)


def test_languages_list_the_release_table_and_the_pseudo_languages() -> None:
    with FakeArr(FakeArrOptions(app="radarr", api_key=KEY)) as fake:
        languages = _get(fake, "/api/v3/language")
    names = {row["name"]: row["id"] for row in languages}
    assert names["Any"] == -1 and names["Original"] == -2 and names["Unknown"] == 0
    assert names["English"] == 1 and "Japanese" in names
    assert all(row["nameLower"] == row["name"].lower() for row in languages)
