"""Issue 15 end to end: per-language tags, subtitle tags and season coverage, through
the fake Sonarr over HTTP, real files (with SRT subtitle tracks) and the NFOs; changing
the targets or the mode re-decides without probing and writes only the difference."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from fakes.arr import FakeArr, FakeArrOptions
from fakes.arr.samples import build_series
from scanner.models import Instance, Media, ScanRun, Season
from tests.factories import InstanceFactory
from tests.helpers import ARR_KEY, arr_labels, arr_writes, nfo_tags, scan_inline
from tests.media import MediaFactory, SubtitleSpec, layout

pytestmark = pytest.mark.django_db(transaction=True)

REMOTE = "/data/tv"
GERMAN_SUBS = (SubtitleSpec("ger"),)
FORCED_FRENCH = (SubtitleSpec("fre", title="Forced", forced=True),)


@dataclass(frozen=True)
class Show:
    title: str
    # season -> episodes -> (audio languages, subtitles)
    seasons: dict[int, list[tuple[tuple[str, ...], tuple[SubtitleSpec, ...]]]]
    labels: frozenset[str]  # what it ends with, targets de and fr, everything on


SHOWS = (
    # The rules' example: German in every episode, French in some; German subtitles.
    Show(
        "Anime Dubbed",
        {
            1: [(("jpn", "ger", "fre"), GERMAN_SUBS), (("jpn", "ger"), GERMAN_SUBS)],
            2: [(("jpn", "ger"), GERMAN_SUBS), (("jpn", "ger"), GERMAN_SUBS)],
        },
        frozenset({"semi-dub", "dub-de", "semi-dub-fr", "sub-de"}),
    ),
    # Only French in some episodes; forced French subtitles do not count.
    Show(
        "French Sometimes",
        {1: [(("jpn", "fre"), FORCED_FRENCH), (("jpn",), ())]},
        frozenset({"semi-dub", "semi-dub-fr"}),
    ),
    Show("Never Dubbed", {1: [(("jpn",), ()), (("jpn",), ())]}, frozenset()),
)


def _build(root: Path, media: MediaFactory) -> list[dict[str, object]]:
    items = []
    for number, show in enumerate(SHOWS, start=1):
        folder = root / show.title
        for season, episodes in show.seasons.items():
            for episode, (audio, subtitles) in enumerate(episodes, start=1):
                name = f"{show.title} - S{season:02d}E{episode:02d}.mkv"
                path = folder / f"Season {season:02d}" / name
                media.make_video(path, layout(*audio), subtitles=subtitles)
        (folder / "tvshow.nfo").write_text(
            f"<tvshow>\n  <title>{show.title}</title>\n  <tag>mine</tag>\n</tvshow>\n"
        )
        items.append(
            build_series(
                number,
                title=show.title,
                path=f"{REMOTE}/{show.title}",
                original_language="Japanese",
                seasons=max(show.seasons),
            )
        )
    return items


@pytest.fixture
def library(tmp_path: Path, media: MediaFactory) -> tuple[Path, list[dict[str, object]]]:
    root = tmp_path / "tv"
    return root, _build(root, media)


@pytest.fixture
def fake(library: tuple[Path, list[dict[str, object]]]) -> Iterator[FakeArr]:
    options = FakeArrOptions(app="sonarr", api_key=ARR_KEY)
    with FakeArr(options, items=library[1], tags=[{"id": 90, "label": "mine"}]) as server:
        yield server


@pytest.fixture
def instance(fake: FakeArr, library: tuple[Path, list[dict[str, object]]]) -> Instance:
    root = library[0]
    return InstanceFactory(
        name="multi",
        url=fake.url,
        api_key=ARR_KEY,
        root_folders=[str(root)],
        path_mappings=[{"remote": REMOTE, "local": str(root)}],
        target_languages=["deu", "fra"],
        language_tags=True,
        subtitle_tags=True,
    )


def _nfo(library: tuple[Path, object], title: str) -> set[str]:
    return set(nfo_tags(library[0] / title / "tvshow.nfo")) - {"mine"}


def test_two_targets_end_with_per_language_and_subtitle_tags_everywhere(
    instance: Instance, fake: FakeArr, library: tuple[Path, object]
) -> None:
    run = scan_inline(instance)
    assert run.status == ScanRun.Status.SUCCEEDED, run.error
    assert arr_labels(fake) == {show.title: set(show.labels) for show in SHOWS}
    for show in SHOWS:
        assert _nfo(library, show.title) == show.labels
    dubbed = Media.objects.get(title="Anime Dubbed")
    assert dubbed.language_verdicts == {"deu": "dub", "fra": "semi-dub"}
    assert dubbed.subtitle_verdicts == {"deu": "sub", "fra": "none"}
    assert dubbed.coverage == {"deu": [4, 4], "fra": [1, 4]}
    assert dubbed.lowest_coverage == 25
    seasons = {s.number: s.coverage for s in Season.objects.filter(media=dubbed)}
    assert seasons == {1: {"deu": [2, 2], "fra": [1, 2]}, 2: {"deu": [2, 2], "fra": [0, 2]}}

    fake.state.reset_counters()
    again = scan_inline(instance)
    assert (again.files_probed, again.items_total) == (0, 0)
    assert arr_writes(fake) == 0  # the second scan writes nothing


def test_changing_targets_and_modes_redecides_without_probing_and_writes_the_difference(
    instance: Instance, fake: FakeArr, library: tuple[Path, object]
) -> None:
    scan_inline(instance)
    fake.state.reset_counters()
    Instance.objects.filter(pk=instance.pk).update(target_languages=["deu"], subtitle_tags=False)
    instance.refresh_from_db()
    run = scan_inline(instance)
    assert run.files_probed == 0  # the stored tracks suffice
    assert run.items_total == len(SHOWS)  # every item decided again
    assert arr_labels(fake) == {
        "Anime Dubbed": {"dub", "dub-de"},  # all targets (de) everywhere now
        # French is no target any more: its labels go, and a French-only episode is
        # now a wrong dub (the rules' table, over the one target left)
        "French Sometimes": {"wrong-dub"},
        "Never Dubbed": set(),
    }
    assert _nfo(library, "Anime Dubbed") == {"dub", "dub-de"}
    editor = {route: n for (method, route), n in fake.state.counters().items() if method == "PUT"}
    # one bulk request per (label, add or remove), not per item: -semi-dub (2 items),
    # +dub, +wrong-dub, -semi-dub-fr (2 items), -sub-de
    assert editor == {"/api/v3/series/editor": 5}

    Instance.objects.filter(pk=instance.pk).update(summary_tags=False)
    instance.refresh_from_db()
    scan_inline(instance)
    assert arr_labels(fake)["Anime Dubbed"] == {"dub-de"}  # instead of the summary tag


def test_coverage_below_filters_the_media_api(
    instance: Instance, fake: FakeArr, admin_client
) -> None:
    scan_inline(instance)
    response = admin_client.get("/api/media/?coverage_below=30")
    assert [row["title"] for row in response.json()["results"]] == [
        "Anime Dubbed", "French Sometimes", "Never Dubbed"
    ]  # fmt: skip
    full = admin_client.get("/api/media/?coverage_below=101&ordering=title").json()["results"]
    assert {row["title"]: row["lowest_coverage"] for row in full} == {
        "Anime Dubbed": 25, "French Sometimes": 0, "Never Dubbed": 0
    }  # fmt: skip
    page = admin_client.get(
        f"/admin/scanner/media/{Media.objects.get(title='Anime Dubbed').pk}/change/"
    )
    # The series page's coverage bars: German in both files, French in one.
    html = page.content.decode()
    assert 'aria-label="German audio in 2 files"' in html
    assert 'aria-label="French audio in 1 file"' in html


def test_bazarr_sidecars_count_and_a_change_is_decided_without_reading_the_video(
    instance: Instance, fake: FakeArr, library: tuple[Path, object]
) -> None:
    """Never Dubbed has no subtitle track: French subtitle files beside its episodes (as
    Bazarr writes them) give it sub-fr; removing one gives semi-sub-fr; each change is
    seen by the next plain scan, which reads no video."""
    season = library[0] / "Never Dubbed" / "Season 01"
    episodes = sorted(season.glob("*.mkv"))
    scan_inline(instance)
    for episode in episodes:
        episode.with_name(f"{episode.stem}.fr.srt").write_text(
            "1\n00:00:00,000 --> 00:00:01,000\nSalut\n"
        )
        episode.with_name(f"{episode.stem}.de.forced.srt").write_text("x")  # does not count

    added = scan_inline(instance)
    assert (added.items_total, added.files_probed) == (1, 0)
    assert arr_labels(fake)["Never Dubbed"] == {"sub-fr"}
    assert _nfo(library, "Never Dubbed") == {"sub-fr"}
    never = Media.objects.get(title="Never Dubbed")
    assert never.subtitle_verdicts == {"deu": "none", "fra": "sub"}
    shown = never.verdict_reasons["seasons"][0]["files"][0]
    assert shown["sidecars"] == [f"Season 01/{episodes[0].stem}.de.forced.srt",
                                 f"Season 01/{episodes[0].stem}.fr.srt"]  # fmt: skip
    assert shown["subtitles"] == ["fra"]

    episodes[1].with_name(f"{episodes[1].stem}.fr.srt").unlink()
    removed = scan_inline(instance)
    assert (removed.items_total, removed.files_probed) == (1, 0)
    assert arr_labels(fake)["Never Dubbed"] == {"semi-sub-fr"}

    fake.state.reset_counters()
    again = scan_inline(instance)
    assert (again.items_total, arr_writes(fake)) == (0, 0)


def test_a_lone_hi_file_is_hindi_unless_the_instance_reads_it_as_hearing_impaired(
    instance: Instance, fake: FakeArr, library: tuple[Path, object]
) -> None:
    """Bazarr in its single-language mode names a hearing-impaired subtitle
    ``Video.hi.srt``, with no language (morpheus65535/bazarr
    custom_libs/subliminal_patch/core.py: save_subtitles passes no language when
    ``single``; get_subtitle_path appends the HI tag, "hi" by default). Read as Hindi by
    default; with the instance's option it counts for no language, and turning the
    option on decides the item again without reading the video."""
    Instance.objects.filter(pk=instance.pk).update(target_languages=["deu", "fra", "hin"])
    instance.refresh_from_db()
    season = library[0] / "Never Dubbed" / "Season 01"
    for episode in sorted(season.glob("*.mkv")):
        episode.with_name(f"{episode.stem}.hi.srt").write_text(
            "1\n00:00:00,000 --> 00:00:01,000\n[door creaks]\n"
        )
    scan_inline(instance)
    assert arr_labels(fake)["Never Dubbed"] == {"sub-hi"}

    Instance.objects.filter(pk=instance.pk).update(sidecar_hi_hearing_impaired=True)
    instance.refresh_from_db()
    run = scan_inline(instance)
    assert run.files_probed == 0
    assert arr_labels(fake)["Never Dubbed"] == set()
    never = Media.objects.get(title="Never Dubbed")
    assert never.subtitle_verdicts["hin"] == "none"
    tracks = [track for row in never.files.all() for track in row.subtitle_tracks]
    assert len(tracks) == 2
    assert all(t["language"] is None and t["file"].endswith(".hi.srt") for t in tracks)
