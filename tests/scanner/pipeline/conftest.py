"""A real library on disk, a fake Sonarr/Radarr over HTTP that lists it, and instances."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from scanner.arr.fake import FakeArr, FakeArrOptions
from scanner.models import Instance
from tests.factories import InstanceFactory
from tests.library import REMOTE_MOVIES, REMOTE_TV, Library, build_movies, build_tv
from tests.media import MediaFactory

ARR_KEY = "pipeline-test-key-0123456789"


@pytest.fixture(scope="session")
def media(tmp_path_factory: pytest.TempPathFactory) -> MediaFactory:
    return MediaFactory(tmp_path_factory.mktemp("media-templates"))


@pytest.fixture
def tv_library(tmp_path, media: MediaFactory) -> Library:
    return build_tv(tmp_path / "tv", media)


@pytest.fixture
def movie_library(tmp_path, media: MediaFactory) -> Library:
    return build_movies(tmp_path / "movies", media)


@pytest.fixture
def sonarr(tv_library: Library) -> Iterator[FakeArr]:
    with FakeArr(FakeArrOptions(app="sonarr", api_key=ARR_KEY), items=tv_library.arr_items) as fake:
        yield fake


@pytest.fixture
def radarr(movie_library: Library) -> Iterator[FakeArr]:
    options = FakeArrOptions(app="radarr", version="5.2.0.0", api_key=ARR_KEY)
    with FakeArr(options, items=movie_library.arr_items) as fake:
        yield fake


@pytest.fixture
def sonarr_instance(db, sonarr: FakeArr, tv_library: Library) -> Instance:
    return InstanceFactory(
        name="tv",
        kind=Instance.Kind.SONARR,
        url=sonarr.url,
        api_key=ARR_KEY,
        root_folders=[str(tv_library.root)],
        path_mappings=[{"remote": REMOTE_TV, "local": str(tv_library.root)}],
        target_languages=["eng"],
    )


@pytest.fixture
def radarr_instance(db, radarr: FakeArr, movie_library: Library) -> Instance:
    return InstanceFactory(
        name="movies",
        kind=Instance.Kind.RADARR,
        url=radarr.url,
        api_key=ARR_KEY,
        root_folders=[str(movie_library.root)],
        path_mappings=[{"remote": REMOTE_MOVIES, "local": str(movie_library.root)}],
        target_languages=["eng"],
    )
