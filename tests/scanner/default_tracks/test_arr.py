"""A Radarr's movie (the fake over HTTP): a file the *arr is importing is left alone and
planned again; a written file's item is refreshed on the *arr, once."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from fakes.arr import FakeArr, FakeArrOptions
from scanner.models import DefaultTrackChange, Instance
from tests.factories import InstanceFactory
from tests.helpers import ARR_KEY, scan_inline
from tests.library import REMOTE_MOVIES, Library, Movie, build_movies
from tests.media import MediaFactory
from tests.mkv_files import default_flags, mkvmerge_file
from tests.scanner.default_tracks.quebec import MULTI, SUBTITLES, sha256

State = DefaultTrackChange.State


@pytest.fixture
def quebec_movies(tmp_path: Path, media: MediaFactory) -> Library:
    library = build_movies(tmp_path / "movies", media, (Movie("Film", "English", ("eng",), ""),))
    (path,) = library.files["Film"]
    path.unlink()
    mkvmerge_file(path, MULTI, SUBTITLES)
    return library


@pytest.fixture
def radarr(quebec_movies: Library) -> Iterator[FakeArr]:
    options = FakeArrOptions(app="radarr", version="5.26.2.10099", api_key=ARR_KEY)
    with FakeArr(options, items=quebec_movies.arr_items) as fake:
        yield fake


def _instance(radarr: FakeArr, library: Library) -> Instance:
    return InstanceFactory(
        name="movies",
        kind=Instance.Kind.RADARR,
        url=radarr.url,
        api_key=ARR_KEY,
        root_folders=[str(library.root)],
        path_mappings=[{"remote": REMOTE_MOVIES, "local": str(library.root)}],
        target_languages=["fr-CA"],
        audio_source=Instance.AudioSource.FILES,
        default_tracks=Instance.DefaultTracks.PLAN,
    )


def _apply(instance: Instance) -> str:
    out = StringIO()
    call_command("default_tracks", "apply", "--instance", str(instance.pk), stdout=out)
    return out.getvalue()


def _refreshes(radarr: FakeArr) -> list[dict[str, object]]:
    return [c["body"] for c in radarr.state.commands() if c["name"] == "RefreshMovie"]


@pytest.mark.django_db(transaction=True)
def test_a_movie_the_arr_is_importing_is_left_alone_and_planned_again(
    radarr: FakeArr, quebec_movies: Library
) -> None:
    (path,) = quebec_movies.files["Film"]
    original = sha256(path)
    instance = _instance(radarr, quebec_movies)
    scan_inline(instance)
    planned = DefaultTrackChange.objects.get(path=str(path))
    assert planned.state == State.PLANNED
    # A download of the movie is being imported (trackedDownloadState "importing",
    # Radarr's TrackedDownloadState): the file may be replaced any moment.
    record = radarr.state.queue.add(1, "importing")
    before = len(_refreshes(radarr))
    assert "Film (2020).mkv: refused, importing" in _apply(instance)
    assert sha256(path) == original
    planned.refresh_from_db()
    assert (planned.state, planned.refusal) == (State.REFUSED, "importing")
    radarr.state.queue.remove(record["id"])
    scan_inline(instance)  # planned again, though nothing else changed
    again = DefaultTrackChange.objects.filter(path=str(path)).latest("id")
    assert (again.state, again.pk != planned.pk) == (State.PLANNED, True)
    assert "Film (2020).mkv: written" in _apply(instance)
    assert default_flags(path)[("audio", 3)] is True
    # The *arr is asked to read the movie again, once (its media info follows).
    refreshes = _refreshes(radarr)[before:]
    assert refreshes == [{"name": "RefreshMovie", "movieIds": [1]}]


@pytest.mark.django_db(transaction=True)
def test_an_arr_that_cannot_say_whether_it_imports_writes_nothing(
    radarr: FakeArr, quebec_movies: Library
) -> None:
    """The queue answers 500 (Radarr's QueueController failing): nobody can say the
    movie is not being imported, so nothing is written; planned again next run."""
    (path,) = quebec_movies.files["Film"]
    original = sha256(path)
    instance = _instance(radarr, quebec_movies)
    scan_inline(instance)
    radarr.state.queue.fail(True)
    assert "Film (2020).mkv: refused, arr-unanswered" in _apply(instance)
    assert sha256(path) == original
    row = DefaultTrackChange.objects.get(path=str(path))
    assert (row.state, row.refusal) == (State.REFUSED, "arr-unanswered")
    radarr.state.queue.fail(False)
    scan_inline(instance)
    assert DefaultTrackChange.objects.filter(path=str(path)).latest("id").state == State.PLANNED
