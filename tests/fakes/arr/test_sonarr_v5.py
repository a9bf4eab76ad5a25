"""The fake plays Sonarr v5 as read in Sonarr/Sonarr v5-develop (49df353): /api/v5
beside /api/v3 (src/NzbDrone.Host/Bootstrap.cs), the per-stream media info
(src/Sonarr.Api.V5/EpisodeFiles/), the editor's 200, v5's tag-label rule on both."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from fakes.arr import SONARR_V4, SONARR_V5, FakeArr, FakeArrOptions, build_series
from fakes.arr.samples import build_episode_file
from tests.fakes.arr.conftest import API_KEY

KEY = {"X-Api-Key": API_KEY}


def _fake(version: str) -> FakeArr:
    options = FakeArrOptions(app="sonarr", version=version, api_key=API_KEY)
    return FakeArr(options, items=[build_series(1)], tags=[{"id": 1, "label": "dub"}])


@pytest.fixture
def v5() -> Iterator[FakeArr]:
    with _fake(SONARR_V5) as fake:
        yield fake


def test_v5_serves_both_apis_and_v4_only_v3(v5: FakeArr) -> None:
    for api in ("v3", "v5"):
        status = requests.get(f"{v5.url}/api/{api}/system/status", headers=KEY, timeout=5)
        assert status.json()["version"] == SONARR_V5
        listed = requests.get(f"{v5.url}/api/{api}/series", headers=KEY, timeout=5)
        assert [item["id"] for item in listed.json()] == [1]
    with _fake(SONARR_V4) as v4:
        assert requests.get(f"{v4.url}/api/v5/series", headers=KEY, timeout=5).status_code == 404


def test_the_v5_editor_answers_200_and_v3_s_202(v5: FakeArr) -> None:
    body = {"seriesIds": [1], "tags": [1], "applyTags": "add"}
    assert (
        requests.put(
            f"{v5.url}/api/v5/series/editor", json=body, headers=KEY, timeout=5
        ).status_code
        == 200
    )
    assert (
        requests.put(
            f"{v5.url}/api/v3/series/editor", json=body, headers=KEY, timeout=5
        ).status_code
        == 202
    )
    assert v5.state.item(1)["tags"] == [1]


def test_v5_refuses_labels_outside_its_rule_on_v3_too(v5: FakeArr) -> None:
    for api in ("v3", "v5"):
        refused = requests.post(
            f"{v5.url}/api/{api}/tag", json={"label": "dub fr"}, headers=KEY, timeout=5
        )
        assert refused.status_code == 400
    taken = requests.post(
        f"{v5.url}/api/v3/tag", json={"label": "semi-dub"}, headers=KEY, timeout=5
    )
    assert taken.status_code == 201


def test_episode_files_per_stream_on_v5_and_joined_on_v3(v5: FakeArr) -> None:
    read_by_v5 = build_episode_file(build_series(1), 1)
    read_by_v5["mediaInfo"] = {
        "audioStreams": [
            {"language": "und", "codec": "AAC"},
            {"language": "eng", "title": "Commentary"},
        ],
        "subtitleStreams": [{"language": "fre", "forced": True}],
    }
    read_by_v4 = build_episode_file(build_series(1), 2, episode=2, audio_languages="")
    v5.state.set_episode_files(1, [read_by_v5, read_by_v4])
    new, old = requests.get(
        f"{v5.url}/api/v5/episodefile?seriesId=1", headers=KEY, timeout=5
    ).json()
    assert new["mediaInfo"]["audioStreams"][1] == {"language": "eng", "title": "Commentary"}
    assert new["mediaInfo"]["subtitleStreams"] == [{"language": "fre", "forced": True}]
    assert "audioLanguages" not in new["mediaInfo"]
    # Migration 225: a v4 file with no tagged stream becomes one "und" stream.
    assert old["mediaInfo"]["audioStreams"] == [{"language": "und"}]
    new, old = requests.get(
        f"{v5.url}/api/v3/episodefile?seriesId=1", headers=KEY, timeout=5
    ).json()
    assert new["mediaInfo"] == {
        "audioLanguages": "und/eng", "audioStreamCount": 2, "audioCodec": "AAC", "subtitles": "fre",
    }  # fmt: skip
    assert (old["mediaInfo"]["audioLanguages"], old["mediaInfo"]["audioStreamCount"]) == ("und", 1)


def test_v5_knows_the_languages_it_added(v5: FakeArr) -> None:
    names = {
        row["name"]: row["id"]
        for row in requests.get(f"{v5.url}/api/v3/language", headers=KEY, timeout=5).json()
    }
    assert (names["Georgian"], names["Urdu"]) == (52, 50)
