"""Sonarr v5 (issue 79, finding 9). v5 loads Sonarr.Api.V3 beside Sonarr.Api.V5
(Sonarr/Sonarr v5-develop, src/NzbDrone.Host/Bootstrap.cs, ``ASSEMBLIES``), so Taggarr
keeps /api/v3 there; what v5 changes under it is played by the fake (fakes/arr/streams.py:
an untagged audio stream is ``und`` in ``audioLanguages``; options.py: tag labels must
match ``^[a-z0-9-]+$``, src/Sonarr.Api.V3/Tags/TagController.cs). A v5 server without
/api/v3 is not a configuration Sonarr has: nothing in its source turns V3 off."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fakes.arr import SONARR_V5, FakeArr, FakeArrOptions
from scanner.models import Instance, ScanRun
from tests.helpers import ARR_KEY, arr_tags, manage, scan_inline, sonarr_over
from tests.library import SHOWS, Library, Show, build_tv
from tests.media import MediaFactory
from tests.worker import live_database_url

pytestmark = pytest.mark.django_db(transaction=True)

UNMOUNTED = "/mnt/not-mounted-here/tv"
# The original track untagged, the English dub tagged: v4 leaves the untagged stream
# out of audioLanguages ("eng", 2 streams), v5 writes it "und" ("und/eng").
UNTAGGED_ORIGINAL = Show("Untagged Original", "Japanese", {1: [(None, "eng")] * 2}, "dub")


def _as_read_by_v5(files: list[dict[str, Any]], languages: list[tuple[str | None, ...]]) -> None:
    """The files as v5's VideoFileInfoReader stores them: every audio stream, an
    untagged one as "und" (src/NzbDrone.Core/MediaFiles/MediaInfo/VideoFileInfoReader.cs)."""
    for entry, streams in zip(files, languages, strict=True):
        entry["mediaInfo"] = {"audioStreams": [{"language": lang or "und"} for lang in streams]}


@pytest.fixture
def v5_library(tmp_path: Path, media: MediaFactory) -> Library:
    shows = (*SHOWS, UNTAGGED_ORIGINAL)
    library = build_tv(tmp_path / "tv", media, shows)
    for number, show in enumerate(shows, start=1):
        episodes = [langs for season in show.seasons.values() for langs in season]
        _as_read_by_v5(library.episode_files[number], episodes)
    return library


@pytest.fixture
def sonarr_v5(v5_library: Library) -> Iterator[FakeArr]:
    options = FakeArrOptions(app="sonarr", version=SONARR_V5, api_key=ARR_KEY)
    with FakeArr(options, items=v5_library.arr_items) as fake:
        v5_library.load_episode_files(fake)
        yield fake


def test_scan_inline_from_the_command_line_tags_a_sonarr_v5_library(
    sonarr_v5: FakeArr, v5_library: Library
) -> None:
    instance = sonarr_over(sonarr_v5, str(v5_library.root), Instance.AudioSource.FILES)
    env = {**os.environ, "DATABASE_URL": live_database_url()}
    result = manage("scan", "--inline", "--instance", instance.name, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert arr_tags(sonarr_v5) == v5_library.expected
    # Written through v3's editor, which v5 still serves; its labels pass v5's rule.
    counters = sonarr_v5.state.counters()
    assert counters[("PUT", "/api/v3/series/editor")] >= 1
    assert counters[("POST", "/api/v3/tag")] >= 1


def test_hidden_media_is_tagged_from_sonarr_v5_media_info(
    sonarr_v5: FakeArr, v5_library: Library
) -> None:
    """The arr source reads v5's "und" as the unknown track it is, in its place."""
    assert not Path(UNMOUNTED).exists()
    instance = sonarr_over(sonarr_v5, UNMOUNTED, Instance.AudioSource.ARR)
    run = scan_inline(instance)
    assert run.status == ScanRun.Status.SUCCEEDED, run.error
    assert run.files_probed == 0
    assert arr_tags(sonarr_v5) == v5_library.expected
    served = sonarr_v5.state.counters()
    assert served[("GET", "/api/v3/episodefile")] == len(v5_library.arr_items)
