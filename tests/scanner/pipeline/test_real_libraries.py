"""Issue 12 end to end: one library holding every case real libraries and real *arrs
bring (tagging-rules.md), real files in MKV, MP4 and MPEG-TS read by the real
MediaInfo, scanned through the fake Sonarr/Radarr over HTTP; then a second scan
that writes nothing."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from fakes.arr import FakeArr, FakeArrOptions
from fakes.arr.samples import build_movie, build_series
from scanner.actions.original_language import set_original_override
from scanner.models import Event, Instance, Media, MediaFile, ScanRun
from tests.factories import InstanceFactory
from tests.helpers import ARR_KEY, arr_tags, arr_writes, nfo_tags, scan_inline
from tests.media import AudioSpec, MediaFactory, layout

pytestmark = pytest.mark.django_db(transaction=True)

REMOTE = "/data/tv"
NOT_UTF8 = os.fsdecode(b"Bad\xff\xfe")


@dataclass(frozen=True)
class Episode:
    audio: tuple[AudioSpec, ...]
    container: str = "mkv"
    name: str | None = None  # default "<title> - S01Exx"


@dataclass(frozen=True)
class Show:
    title: str
    original: str  # what the *arr says
    episodes: tuple[Episode, ...]
    expected: str
    nfo: str | None = "tvshow"  # root element of its NFO; None: no NFO


def _ep(*languages: str | None, container: str = "mkv") -> Episode:
    return Episode(tuple(layout(*languages)), container)


SHOWS = (
    # Macrolanguages: the *arr says Chinese/Norwegian, the tracks say cmn/yue/nob.
    Show("Chinese Drama", "Chinese", (_ep("cmn"), _ep("cmn")), "none"),
    Show("Cantonese Dubbed", "Chinese", (_ep("yue", "eng"), _ep("yue", "eng")), "dub"),
    Show("Norwegian Crime", "Norwegian", (_ep("nob"), _ep("nob", "eng")), "semi-dub"),
    # The *arr's English fallback: an English dub of a Japanese show whose *arr says
    # "English": judged with the *arr's original (English is no dub of English) until
    # a person confirms Japanese.
    Show("Unmapped Anime", "English", (_ep("jpn", "eng"), _ep("jpn", "eng")), "none"),
    # Non-programme tracks in other languages do not count.
    Show(
        "Described German",
        "Japanese",
        (Episode((AudioSpec("jpn"), AudioSpec("ger", title="Audiodeskription"))),) * 2,
        "none",
    ),
    Show(
        "DVS English",
        "Japanese",
        (Episode((AudioSpec("jpn"), AudioSpec("eng", title="DVS"), AudioSpec("eng"))),) * 2,
        "dub",
    ),
    # Containers: MP4 and MPEG-TS beside Matroska; a language only in LanguageBCP47.
    Show(
        "Mixed Containers",
        "Japanese",
        (
            _ep("jpn", "eng", container="mp4"),
            _ep("jpn", "eng", container="ts"),
            Episode((AudioSpec("jpn"), AudioSpec("en-GB", bcp47_only=True))),
        ),
        "dub",
    ),
    # A file name that is not UTF-8 is stored, probed and shown.
    Show(
        "Odd Names",
        "Japanese",
        (
            Episode(tuple(layout("jpn", "eng")), name=f"{NOT_UTF8} - S01E01"),
            _ep("jpn", "eng"),
        ),
        "dub",
    ),
    # NFOs that are left alone: one links outside the show's folder, one is a movie's.
    Show("Linked NFO", "Japanese", (_ep("jpn", "eng"),), "dub", nfo="link"),
    Show("Wrong NFO", "Japanese", (_ep("jpn", "eng"),), "dub", nfo="movie"),
)


@dataclass
class Built:
    root: Path
    outside_nfo: Path
    items: list[dict[str, object]]


def _nfo(path: Path, root: str, title: str) -> None:
    path.write_text(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<{root}>\n  <title>{title}</title>\n'
        f"  <tag>user-tag</tag>\n</{root}>\n",
        encoding="utf-8",
    )


def _build(tmp_path: Path, media: MediaFactory) -> Built:
    root = tmp_path / "tv"
    outside = tmp_path / "shared" / "tvshow.nfo"
    outside.parent.mkdir(parents=True)
    _nfo(outside, "tvshow", "Shared")
    items = []
    for number, show in enumerate(SHOWS, start=1):
        folder = root / show.title
        for index, episode in enumerate(show.episodes, start=1):
            name = episode.name or f"{show.title} - S01E{index:02d}"
            media.make_video(
                folder / "Season 01" / f"{name}.{episode.container}",
                episode.audio,
                episode.container,
            )
        if show.nfo == "link":
            (folder / "tvshow.nfo").symlink_to(outside)
        elif show.nfo:
            _nfo(folder / "tvshow.nfo", show.nfo, show.title)
        items.append(
            build_series(
                number,
                title=show.title,
                path=f"{REMOTE}/{show.title}",
                original_language=show.original,
                seasons=1,
            )
        )
    return Built(root, outside, items)


@pytest.fixture
def built(tmp_path: Path, media: MediaFactory) -> Built:
    return _build(tmp_path, media)


@pytest.fixture
def fake(built: Built) -> Iterator[FakeArr]:
    with FakeArr(FakeArrOptions(app="sonarr", api_key=ARR_KEY), items=built.items) as server:
        yield server


@pytest.fixture
def instance(fake: FakeArr, built: Built) -> Instance:
    return InstanceFactory(
        name="real",
        url=fake.url,
        api_key=ARR_KEY,
        root_folders=[str(built.root)],
        path_mappings=[{"remote": REMOTE, "local": str(built.root)}],
        target_languages=["eng"],
    )


def test_every_case_is_tagged_right_and_a_second_scan_writes_nothing(
    instance: Instance, fake: FakeArr, built: Built
) -> None:
    run = scan_inline(instance)
    # Every tag is right; the two odd NFOs are reported and left alone (the user's files).
    assert (run.status, run.error) == (ScanRun.Status.SUCCEEDED, "")
    assert run.summary["nfo_left_alone"] == 2
    assert arr_tags(fake) == {show.title: show.expected for show in SHOWS}

    # The written NFOs got the tag; the two odd ones are reported and left alone.
    assert nfo_tags(built.root / "Cantonese Dubbed" / "tvshow.nfo") == ["user-tag", "dub"]
    assert nfo_tags(built.outside_nfo) == ["user-tag"]
    assert nfo_tags(built.root / "Wrong NFO" / "tvshow.nfo") == ["user-tag"]
    errors = {e.media.title: e.message for e in Event.objects.filter(kind=Event.Kind.NFO_ERROR)}
    assert "outside the item's folder" in errors["Linked NFO"]
    assert "root element is <movie>" in errors["Wrong NFO"]

    # The *arr's English is in doubt, and said so; nothing was changed silently.
    anime = Media.objects.get(title="Unmapped Anime")
    assert (anime.original_language, anime.original_suggestion) == ("eng", "jpn")
    assert anime.original_doubtful
    assert not Media.objects.exclude(pk=anime.pk).filter(Media.DOUBTFUL_ORIGINAL).exists()

    # The name that is not UTF-8 came back from the database as it is on disk.
    odd = MediaFile.objects.get(media__title="Odd Names", path__contains="S01E01")
    assert odd.path == f"Season 01/{NOT_UTF8} - S01E01.mkv"
    assert (built.root / "Odd Names" / odd.path).exists()
    assert odd.result == MediaFile.Result.ALL

    fake.state.reset_counters()
    again = scan_inline(instance)  # the odd NFOs are looked at again, and left alone again
    assert (again.status, again.files_probed, again.items_total) == ("succeeded", 0, 0)
    assert again.summary["nfo_left_alone"] == 2
    assert nfo_tags(built.root / "Wrong NFO" / "tvshow.nfo") == ["user-tag"]
    assert arr_writes(fake) == 0
    assert arr_tags(fake) == {show.title: show.expected for show in SHOWS}


def test_confirming_the_suggested_original_redecides_without_probing(
    instance: Instance, fake: FakeArr, built: Built
) -> None:
    scan_inline(instance)
    anime = Media.objects.get(title="Unmapped Anime")
    folder = built.root / "Unmapped Anime"
    folder.rename(folder.with_name("away"))  # nothing can be listed or probed meanwhile
    set_original_override(anime, anime.original_suggestion, user="admin", via="test")
    folder.with_name("away").rename(folder)
    anime.refresh_from_db()
    assert (anime.planned_tag, anime.original_doubtful) == ("dub", False)
    assert anime.files.filter(result=MediaFile.Result.ERROR).count() == 0
    run = scan_inline(instance)  # the override holds across scans, and the tag is written
    assert run.files_probed == 0
    assert arr_tags(fake)["Unmapped Anime"] == "dub"
    assert Media.objects.get(pk=anime.pk).original_override == "jpn"


MOVIES = (
    ("The Others (2001)", "English", ("eng", "deu"), "dub"),  # targets en, de
    ("Sample People (2015)", "French", ("fre", "eng"), "semi-dub"),
)


def test_movies_whose_titles_hold_extras_words(tmp_path: Path, media: MediaFactory) -> None:
    root = tmp_path / "movies"
    items = []
    for number, (folder, original, audio, _expected) in enumerate(MOVIES, start=1):
        media.make_video(root / folder / f"{folder}.mkv", layout(*audio))
        big_sample = media.make_video(root / folder / f"{folder} - sample.mkv", layout("ita"))
        os.truncate(big_sample, 10_000_000)  # larger than the movie: still left out
        media.make_video(root / folder / "Extras" / "Interview.mkv", layout("spa"))
        items.append(
            build_movie(
                number, title=folder, path=f"/data/movies/{folder}", original_language=original
            )
        )
    options = FakeArrOptions(app="radarr", version="5.2.0.0", api_key=ARR_KEY)
    with FakeArr(options, items=items) as radarr:
        instance = InstanceFactory(
            name="films",
            kind=Instance.Kind.RADARR,
            url=radarr.url,
            api_key=ARR_KEY,
            root_folders=[str(root)],
            path_mappings=[{"remote": "/data/movies", "local": str(root)}],
            target_languages=["eng", "deu"],
        )
        run = scan_inline(instance)
        assert run.status == ScanRun.Status.SUCCEEDED, run.error
        assert arr_tags(radarr) == {folder: expected for folder, _, _, expected in MOVIES}
    counted = dict(MediaFile.objects.values_list("media__title", "path"))
    assert counted == {folder: f"{folder}.mkv" for folder, *_ in MOVIES}
