"""Issue 68, end to end on the defaults a new user gets: a Quebec household (target
``fr-CA``) and a Latin-American one (``es-419``) behind a fake Sonarr v4 and Radarr v5
that serve media info as the real ones do (ffprobe's plain codes in
``mediaInfo.audioLanguages``: never a track title, never Matroska's ``LanguageBCP47``;
the file's ``languages`` as their LanguageParser reads the release name). The files are
real Matroska files, named and labelled as real releases are. The audio source is left
*automatic* (the folders are here: hybrid), nothing else is touched: the first scan
ends right, the next one reads nothing, and a change of target reads the files it needs
once and tells no dub as arrived or lost."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from fakes.arr import FakeArr, FakeArrOptions
from fakes.arr.languages import file_languages
from fakes.arr.samples import build_movie, build_series
from scanner.models import Event, Instance, ScanRun
from tests.factories import InstanceFactory
from tests.helpers import ARR_KEY, arr_tags, scan_inline
from tests.library import arr_file
from tests.media import AudioSpec, MediaFactory

pytestmark = pytest.mark.django_db(transaction=True)


@dataclass(frozen=True)
class Release:
    title: str
    original: str  # the *arr's name of the original language
    file_name: str  # the release's file name (an episode's, for a series)
    audio: tuple[AudioSpec, ...]
    languages: tuple[str, ...]  # what the *arr's LanguageParser reads from the name
    expected: str  # the summary tag after the first scan


def _a(language: str | None, title: str | None = None) -> AudioSpec:
    return AudioSpec(language, title=title)


QUEBEC_SHOWS = (
    # LanguageBCP47 fr-CA (mkvmerge writes Language "fre" beside it): ffprobe says "fre".
    Release("PAW Patrol", "English", "PAW.Patrol.S01E01.1080p.mkv",
            (_a("eng"), _a("fr-CA")), ("French", "English"), "dub"),
    Release("Naruto", "Japanese", "Naruto.S01E01.1080p.mkv",
            (_a("jpn"), _a("fre", "VFQ")), ("French", "Japanese"), "dub"),
    # Both French dubs in one release, neither track titled: it holds the VFQ.
    Release("Squid Game", "Korean", "Squid.Game.S01E01.MULTi.VF2.1080p.mkv",
            (_a("kor"), _a("eng"), _a("fre"), _a("fre")), ("French", "Korean"), "dub"),
    # The France dub only: French, so never wrong-dub; not the Quebec one.
    Release("Dark", "German", "Dark.S01E01.1080p.mkv",
            (_a("ger"), _a("fre", "VFF")), ("French", "German"), "none"),
)  # fmt: skip
QUEBEC_MOVIES = (
    Release("Shrek", "English", "Shrek.2001.1080p.mkv",
            (_a("eng"), _a("fre", "Français (Canada)")), ("French", "English"), "dub"),
    Release("Inception", "English", "Inception.2010.VF2.1080p.mkv",
            (_a("eng"), _a("fre", "VFF"), _a("fre", "VFQ")), ("French", "English"), "dub"),
    # English, the France dub and the Latin-American Spanish dub: French is there.
    Release("Coco", "English", "Coco.2017.MULTi.1080p.mkv",
            (_a("eng"), _a("fre", "VFF"), _a("spa", "Español Latino")),
            ("English", "French", "Spanish (Latino)"), "none"),
)  # fmt: skip
LATIN_SHOWS = (
    Release("Naruto", "Japanese", "Naruto.S01E01.1080p.mkv",
            (_a("jpn"), _a("es-MX")), ("Spanish", "Japanese"), "dub"),
    Release("Game of Thrones", "English", "Game.of.Thrones.S01E01.1080p.mkv",
            (_a("eng"), _a("spa", "Español Latino")), ("Spanish", "English"), "dub"),
    # ``lat``, as Spanish-speaking groups tag Latino (ffprobe says "lat").
    Release("Dark", "German", "Dark.S01E01.1080p.mkv",
            (_a("ger"), _a("lat")), ("German",), "dub"),
)  # fmt: skip
LATIN_MOVIES = (
    Release("Coco", "English", "Coco.2017.DUAL.LATINO-INGLES.1080p.mkv",
            (_a("eng"), _a("spa")), ("Spanish (Latino)", "English"), "dub"),
    Release("Amelie", "French", "Amelie.2001.CASTELLANO.1080p.mkv",
            (_a("fre"), _a("spa")), ("Spanish", "French"), "none"),
)  # fmt: skip


@contextmanager
def _household(
    root: Path,
    media: MediaFactory,
    shows: Sequence[Release],
    movies: Sequence[Release],
    targets: list[str],
) -> Iterator[tuple[FakeArr, FakeArr, Instance, Instance]]:
    """A Sonarr and a Radarr over real files at ``root`` (the same paths on both
    sides: no mapping), and their instances as a new user adds them."""
    series, episode_files = [], {}
    for number, show in enumerate(shows, start=1):
        folder = root / "tv" / show.title
        path = media.make_video(folder / "Season 01" / show.file_name, list(show.audio))
        entry = arr_file(path, folder, tuple(_ffprobe(show.audio)), season=1)
        entry["path"] = str(path)
        entry["languages"] = file_languages("sonarr", (4,), show.languages)
        item = build_series(
            number, title=show.title, path=str(folder), original_language=show.original,
            seasons=1,
        )  # fmt: skip
        item["statistics"] = {"seasonCount": 1, "episodeFileCount": 1, "sizeOnDisk": entry["size"]}
        series.append(item)
        episode_files[number] = [entry]
    films = []
    for number, movie in enumerate(movies, start=1):
        folder = root / "movies" / f"{movie.title} (2020)"
        path = media.make_video(folder / movie.file_name, list(movie.audio))
        item = build_movie(
            number, title=movie.title, path=str(folder), original_language=movie.original
        )
        entry = arr_file(path, folder, tuple(_ffprobe(movie.audio)))
        entry["path"] = str(path)
        entry["languages"] = file_languages("radarr", (5,), movie.languages)
        item["movieFile"] = {"id": number, "movieId": number, **entry}
        films.append(item)
    sonarr_options = FakeArrOptions(app="sonarr", api_key=ARR_KEY)
    radarr_options = FakeArrOptions(app="radarr", version="5.2.0.0", api_key=ARR_KEY)
    with (
        FakeArr(sonarr_options, items=series) as sonarr,
        FakeArr(radarr_options, items=films) as radarr,
    ):
        for series_id, files in episode_files.items():
            sonarr.state.set_episode_files(series_id, files)
        tv = InstanceFactory(
            name="tv", kind=Instance.Kind.SONARR, url=sonarr.url, api_key=ARR_KEY,
            root_folders=[str(root / "tv")], target_languages=targets, first_scan_at=None,
        )  # fmt: skip
        film = InstanceFactory(
            name="movies", kind=Instance.Kind.RADARR, url=radarr.url, api_key=ARR_KEY,
            root_folders=[str(root / "movies")], target_languages=targets, first_scan_at=None,
        )  # fmt: skip
        yield sonarr, radarr, tv, film


def _ffprobe(audio: Sequence[AudioSpec]) -> list[str | None]:
    """The languages ffprobe reads (Matroska's ``Language`` element, ISO 639-2): a
    track's title and BCP-47 element are not in the *arr's media info."""
    codes = {"fr-CA": "fre", "es-MX": "spa"}
    return [codes.get(spec.language or "", spec.language) for spec in audio]


def _expected(releases: Sequence[Release]) -> dict[str, str]:
    return {release.title: release.expected for release in releases}


def _scan(instance: Instance) -> ScanRun:
    run = scan_inline(instance)
    assert run.status == ScanRun.Status.SUCCEEDED, run.error
    return run


def _news() -> list[str]:
    kinds = (Event.Kind.DUB_ARRIVED, Event.Kind.DUB_LOST, Event.Kind.LOST_DUB_ACTION)
    return list(Event.objects.filter(kind__in=kinds).values_list("message", flat=True))


@pytest.mark.parametrize(
    ("target", "shows", "movies"),
    [("fr-CA", QUEBEC_SHOWS, QUEBEC_MOVIES), ("es-419", LATIN_SHOWS, LATIN_MOVIES)],
    ids=["quebec", "latin-america"],
)
def test_a_regional_household_is_right_after_its_first_scan(
    tmp_path: Path, media: MediaFactory, target: str, shows: tuple[Release, ...],
    movies: tuple[Release, ...],
) -> None:  # fmt: skip
    with _household(tmp_path, media, shows, movies, [target]) as (sonarr, radarr, tv, film):
        assert tv.audio_source == Instance.AudioSource.AUTO  # the default, untouched
        for instance, fake, releases in ((tv, sonarr, shows), (film, radarr, movies)):
            first = _scan(instance)
            assert first.audio_source == "hybrid"
            assert arr_tags(fake) == _expected(releases)
            again = _scan(instance)
            assert again.files_probed == 0  # each file is read once
            assert arr_tags(fake) == _expected(releases)
        assert _news() == []


def test_a_target_that_gains_its_variety_reads_the_files_once_and_tells_no_news(
    tmp_path: Path, media: MediaFactory
) -> None:
    with _household(tmp_path, media, QUEBEC_SHOWS, (), ["fr"]) as (sonarr, _, tv, _):
        plain = _scan(tv)
        # Any French: the *arr's word is enough, no file is read for a variety.
        assert plain.files_probed == 0
        assert arr_tags(sonarr) == {release.title: "dub" for release in QUEBEC_SHOWS}

        Instance.objects.filter(pk=tv.pk).update(target_languages=["fr-CA"])
        tv.refresh_from_db()
        regional = _scan(tv)  # the ordinary next scan: no bulk action
        # Each French file whose name does not settle the variety, once (Squid Game's
        # MULTi.VF2 holds the VFQ by its name alone).
        unsettled = [r for r in QUEBEC_SHOWS if "VF2" not in r.file_name]
        assert regional.files_probed == len(unsettled) == 3
        assert arr_tags(sonarr) == _expected(QUEBEC_SHOWS)
        # Dark's France dub no longer meets the target, but no file changed on disk:
        # a correction, not a lost dub; nothing arrived either.
        assert _news() == []
        assert _scan(tv).files_probed == 0
