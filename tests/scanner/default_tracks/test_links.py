"""Only the library's own regular files are written (issue 92, finding 2): a symbolic
link in a library folder is never written through into the file it points to (one
outside every library, or a download a torrent seeds: its link count is the target's,
1, so the hardlink guard alone lets it through), a folder linked out of the root
folders neither, a link put in a planned file's place is refused at the write, and an
*arr's ``relativePath`` that leaves its item's folder is no file of the item's. Real
Matroska files, real links."""

from __future__ import annotations

import os
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from fakes.arr import FakeArr, FakeArrOptions
from scanner.arr.media_info import parse_file
from scanner.default_tracks.refusals import refusal_text
from scanner.models import DefaultTrackChange, Instance, MediaFile
from tests.factories import InstanceFactory
from tests.helpers import ARR_KEY, scan_inline
from tests.library import REMOTE_MOVIES
from tests.mkv_files import mkvmerge_file
from tests.scanner.default_tracks.quebec import (
    MULTI,
    SUBTITLES,
    Films,
    films,
    quebec_instance,
    sha256,
)

__all__ = ["films"]

State = DefaultTrackChange.State
pytestmark = pytest.mark.django_db(transaction=True)


def _row(path: Path) -> DefaultTrackChange:
    return DefaultTrackChange.objects.filter(path=str(path)).latest("id")


@pytest.mark.parametrize("elsewhere", ["private", "downloads"])
def test_a_link_in_the_library_is_never_written_through(
    films: Films, tmp_path: Path, elsewhere: str
) -> None:
    """A file outside every library, or a single-link download a torrent seeds."""
    target = mkvmerge_file(tmp_path / elsewhere / "Linked.2020.MULTi.mkv", MULTI, SUBTITLES)
    linked = films.root / "Linked (2020)" / "Linked (2020).mkv"
    linked.parent.mkdir()
    linked.symlink_to(target)
    original = sha256(target)
    scan_inline(quebec_instance(films))
    row = _row(linked)
    assert (row.state, row.refusal) == (State.REFUSED, "link")
    assert sha256(target) == original and os.stat(target).st_nlink == 1
    assert _row(films.multi).state == State.WRITTEN  # the library's own file is written


def test_a_folder_linked_out_of_the_root_folders_is_outside(films: Films, tmp_path: Path) -> None:
    target = mkvmerge_file(tmp_path / "other" / "Away (2020)" / "Away (2020).mkv", MULTI)
    (films.root / "Away (2020)").symlink_to(target.parent)
    original = sha256(target)
    scan_inline(quebec_instance(films))
    row = _row(films.root / "Away (2020)" / "Away (2020).mkv")
    assert (row.state, row.refusal) == (State.REFUSED, "outside")
    assert sha256(target) == original


def test_a_link_put_in_a_planned_files_place_is_refused_at_the_write(
    films: Films, tmp_path: Path
) -> None:
    instance = quebec_instance(films, default_tracks=Instance.DefaultTracks.PLAN)
    scan_inline(instance)
    assert _row(films.multi).state == State.PLANNED
    copy = tmp_path / "seeding" / "Film.2020.mkv"
    copy.parent.mkdir()
    shutil.copy2(films.multi, copy)  # the same size and mtime as planned
    films.multi.unlink()
    films.multi.symlink_to(copy)
    original = sha256(copy)
    out = StringIO()
    call_command("default_tracks", "apply", "--instance", str(instance.pk), stdout=out)
    assert "Film (2020).mkv: refused, link" in out.getvalue()
    assert sha256(copy) == original
    assert (_row(films.multi).state, _row(films.multi).refusal) == (State.REFUSED, "link")


def test_the_refusals_are_said_in_the_readers_language() -> None:
    from django.utils import translation

    for code in ("link", "outside"):
        english = refusal_text(code, {})
        for language in ("de", "fr", "es", "pt-br"):
            with translation.override(language):
                assert refusal_text(code, {}) != english, (code, language)


@pytest.mark.parametrize(
    "given", ["../../other/private.mkv", "Season 01/../../../x.mkv", "..\\..\\x.mkv", "C:/x.mkv"]
)
def test_an_arr_path_that_leaves_its_item_is_no_file_of_the_item(given: str) -> None:
    """Sonarr's and Radarr's ``relativePath`` is the file's path from the item's folder
    (EpisodeFile.RelativePath, MovieFile.RelativePath: ``series.Path.GetRelativePath``):
    it never climbs out of it. One that does is left out at the boundary."""
    assert parse_file({"relativePath": given, "size": 1}) is None
    assert parse_file({"relativePath": "Season 01/./a.mkv", "size": 1}) is not None


def test_a_listed_file_outside_the_movie_is_neither_stored_nor_written(tmp_path: Path) -> None:
    """The arr audio source: Radarr lists ``../../other/private.mkv`` for a movie."""
    root = tmp_path / "movies"
    private = mkvmerge_file(tmp_path / "other" / "private.mkv", MULTI, SUBTITLES)
    folder = root / "Film (2020)"
    folder.mkdir(parents=True)
    original = sha256(private)
    options = FakeArrOptions(app="radarr", version="5.26.2.10099", api_key=ARR_KEY)
    movie = {
        "id": 1,
        "title": "Film",
        "year": 2020,
        "path": f"{REMOTE_MOVIES}/Film (2020)",
        "hasFile": True,
        "originalLanguage": {"id": 1, "name": "English"},
        "movieFile": {
            "id": 1,
            "movieId": 1,
            "relativePath": "../../other/private.mkv",
            "size": private.stat().st_size,
            "mediaInfo": {"audioLanguages": "eng/fre/fre", "audioStreamCount": 3},
        },
    }
    with FakeArr(options, items=[movie]) as radarr:
        instance = InstanceFactory(
            name="movies",
            kind=Instance.Kind.RADARR,
            url=radarr.url,
            api_key=ARR_KEY,
            root_folders=[str(root)],
            path_mappings=[{"remote": REMOTE_MOVIES, "local": str(root)}],
            target_languages=["fr-CA"],
            audio_source=Instance.AudioSource.ARR,
            default_tracks=Instance.DefaultTracks.SET,
        )
        scan_inline(instance)
    assert not MediaFile.objects.filter(path__contains="..").exists()
    assert not DefaultTrackChange.objects.filter(state=State.WRITTEN).exists()
    assert sha256(private) == original
