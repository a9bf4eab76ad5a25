"""Issue 41 end to end: scans through the fake Sonarr, an HD and a 4K Radarr over the
same films, and real files end with exactly the right managed tags on every item of
each server the fakes play (Jellyfin 10.8, 10.10, 10.11 and 12 with trickplay on the
films, Emby 4.9, Plex with new, legacy and HAMA agents), the user's tags kept, each
copy of a film with its own instance's tag; and the scans after them write nothing
anywhere."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from fakes.arr import FakeArr, FakeArrOptions
from fakes.jellyfin import FakeJellyfin
from fakes.plex import FakePlex
from scanner.models import Instance, ScanRun
from tests.factories import InstanceFactory
from tests.helpers import ARR_KEY, arr_writes, nfo_tags, scan_inline
from tests.library import REMOTE_MOVIES, Library, Movie, build_movies
from tests.media import MediaFactory
from tests.scanner.media_servers.writes.server_library import (
    ServerLibrary,
    connect,
    start_jellyfin,
    start_plex,
)

pytestmark = pytest.mark.django_db(transaction=True)

# The 4K copies: other audio, so another tag than the HD copy of each film.
MOVIES_4K = (
    Movie("Dubbed Film", "French", ("fre",), "none"),
    Movie("Original Film", "German", ("ger", "eng"), "dub"),
    Movie("Wrong Film", "Korean", ("kor", "eng"), "dub"),
)
SERVERS = ("10.8.13", "10.10.7", "10.11.11", "12.0.0", "emby-4.9.0.22", "plex")


@pytest.fixture
def uhd_library(tmp_path: Path, media: MediaFactory) -> Library:
    return build_movies(tmp_path / "movies4k", media, MOVIES_4K)


@pytest.fixture
def uhd_radarr(uhd_library: Library) -> Iterator[FakeArr]:
    options = FakeArrOptions(app="radarr", version="5.2.0.0", api_key=ARR_KEY)
    with FakeArr(options, items=uhd_library.arr_items) as fake:
        yield fake


@pytest.fixture
def uhd_instance(db: None, uhd_radarr: FakeArr, uhd_library: Library) -> Instance:
    return InstanceFactory(
        name="movies-4k",
        kind=Instance.Kind.RADARR,
        url=uhd_radarr.url,
        api_key=ARR_KEY,
        root_folders=[str(uhd_library.root)],
        path_mappings=[{"remote": REMOTE_MOVIES, "local": str(uhd_library.root)}],
        target_languages=["eng"],
        audio_source=Instance.AudioSource.FILES,
    )


def _server_tags(fake: FakeJellyfin | FakePlex) -> dict[str, set[str]]:
    if isinstance(fake, FakePlex):
        return {str(item.rating_key): set(item.labels) for item in fake.state.items()}
    return fake.state.tags_by_id()


def _server_writes(fake: FakeJellyfin | FakePlex) -> int:
    if isinstance(fake, FakePlex):
        return sum(n for (method, _), n in fake.state.counters().items() if method == "PUT")
    return fake.state.writes()


@pytest.mark.parametrize("release", SERVERS)
def test_every_server_ends_with_exactly_the_right_tags_and_a_rescan_writes_nothing(
    release: str,
    sonarr_instance: Instance,
    radarr_instance: Instance,
    uhd_instance: Instance,
    tv_library: Library,
    movie_library: Library,
    uhd_library: Library,
    sonarr: FakeArr,
    radarr: FakeArr,
    uhd_radarr: FakeArr,
) -> None:
    libraries = (tv_library, movie_library, uhd_library)
    fake: FakeJellyfin | FakePlex
    expected: ServerLibrary
    if release == "plex":
        fake, expected = start_plex(*libraries)
    else:
        fake, expected = start_jellyfin(release, *libraries)
    kind = {"plex": "plex", "emby-4.9.0.22": "emby"}.get(release, "jellyfin")
    instances = (sonarr_instance, radarr_instance, uhd_instance)
    try:
        connect(fake.url, kind, *libraries, *instances)
        runs = [scan_inline(instance) for instance in instances]
        assert [r.status for r in runs] == [ScanRun.Status.SUCCEEDED] * 3, [r.error for r in runs]
        tags = _server_tags(fake)
        assert {item: tags[item] for item in expected.expected} == expected.expected
        if isinstance(fake, FakeJellyfin) and release not in ("10.8.13", "emby-4.9.0.22"):
            for series, children in expected.children.items():  # copied from 10.9 on
                assert all(tags[child] == expected.expected[series] for child in children)
        assert "dub" in nfo_tags(tv_library.folder("Anime Dubbed") / "tvshow.nfo")

        fake.state.reset_counters()
        for arr in (sonarr, radarr, uhd_radarr):
            arr.state.reset_counters()
        again = [scan_inline(instance) for instance in instances]
        assert [r.status for r in again] == [ScanRun.Status.SUCCEEDED] * 3
        assert _server_writes(fake) == 0
        assert sum(arr_writes(arr) for arr in (sonarr, radarr, uhd_radarr)) == 0
        assert _server_tags(fake) == tags
    finally:
        fake.stop()
