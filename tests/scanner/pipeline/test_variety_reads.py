"""Issue 68, items 1 and 2: on the default audio source (automatic: hybrid with the
folders here), a file whose *arr media info has a track of a regional target's language
is read once to learn the variety, which the *arr's media info never carries (no track
title, no BCP-47 element); a change that needs files read again reads them on the next
ordinary scan; the files source never takes a row judged from the *arr's word as read;
the *arr source alone says why a variety stays unknown."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.test import Client

from fakes.arr import FakeArr, FakeArrOptions
from fakes.arr.samples import build_series
from scanner.models import Instance, Media, MediaFile, ScanRun
from scanner.reports.progress import summary_lines
from tests.factories import InstanceFactory
from tests.helpers import ARR_KEY, arr_labels, scan_inline
from tests.library import REMOTE_TV, arr_file
from tests.media import AudioSpec, MediaFactory

pytestmark = pytest.mark.django_db(transaction=True)

ENGLISH = AudioSpec("eng", default=True)
# title -> its episodes' audio streams, and the languages the *arr's media info lists for
# them: ffprobe's stream language tags alone, as Sonarr stores them at import
# (Sonarr src/NzbDrone.Core/MediaFiles/MediaInfo/VideoFileInfoReader.cs reads each
# stream's "language" tag; titles and Matroska's LanguageBCP47 are not kept).
SHOWS: dict[str, tuple[list[AudioSpec], str]] = {
    "Paw Patrol": ([ENGLISH, AudioSpec("fr-CA", bcp47_only=True)], "eng/fre"),
    "Titled Quebec": ([ENGLISH, AudioSpec("fre", title="VFQ")], "eng/fre"),
    "France Only": ([ENGLISH, AudioSpec("fre", title="VFF")], "eng/fre"),
    "English Only": ([ENGLISH], "eng"),
}
FRENCH_FILES = 6  # two episodes each of the three shows with a French track


@contextmanager
def _served(
    root: Path, media: MediaFactory, shows: dict[str, tuple[list[AudioSpec], str]]
) -> Iterator[FakeArr]:
    """The shows' files under ``root`` (two episodes each) and a fake Sonarr v4 serving
    them with their media info."""
    items, episode_files = [], {}
    for number, (title, (streams, said)) in enumerate(shows.items(), start=1):
        folder = root / title
        files = []
        for episode in (1, 2):
            path = folder / "Season 01" / f"{title} - S01E{episode:02d}.mkv"
            media.make_video(path, streams)
            files.append(arr_file(path, folder, tuple(said.split("/")), season=1))
        item = build_series(
            number, title=title, path=f"{REMOTE_TV}/{title}", original_language="English"
        )
        item["statistics"] = {
            "seasonCount": 1,
            "episodeFileCount": len(files),
            "sizeOnDisk": sum(file["size"] for file in files),
        }
        items.append(item)
        episode_files[number] = files
    with FakeArr(FakeArrOptions(app="sonarr", api_key=ARR_KEY), items=items) as fake:
        for number, files in episode_files.items():
            fake.state.set_episode_files(number, files)
        yield fake


@pytest.fixture
def quebec(tmp_path: Path, media: MediaFactory) -> Iterator[tuple[Path, FakeArr]]:
    root = tmp_path / "tv"
    with _served(root, media, SHOWS) as fake:
        yield root, fake


def _instance(root: Path, fake: FakeArr, targets: list[str], **options: object) -> Instance:
    return InstanceFactory(
        name="quebec", url=fake.url, api_key=ARR_KEY, root_folders=[str(root)],
        path_mappings=[{"remote": REMOTE_TV, "local": str(root)}],
        target_languages=targets, language_tags=True, **options,
    )  # fmt: skip


def _dubs(fake: FakeArr) -> dict[str, bool]:
    return {title: "dub-fr-ca" in labels for title, labels in arr_labels(fake).items()}


def _sources() -> dict[str, set[tuple[str, str]]]:
    found: dict[str, set[tuple[str, str]]] = {}
    for title, source, note in MediaFile.objects.values_list(
        "media__title", "source", "source_note"
    ):
        found.setdefault(title, set()).add((source, note))
    return found


def test_the_default_source_reads_each_french_file_once(quebec: tuple[Path, FakeArr]) -> None:
    root, fake = quebec
    instance = _instance(root, fake, ["fr-CA"])
    assert instance.audio_source == Instance.AudioSource.AUTO  # nothing touched

    first = scan_inline(instance)
    assert (first.status, first.audio_source) == (ScanRun.Status.SUCCEEDED, "hybrid")
    assert first.files_probed == FRENCH_FILES  # the English-only show's are not opened
    assert _dubs(fake) == {
        "Paw Patrol": True,  # BCP-47 fr-CA
        "Titled Quebec": True,  # the title VFQ
        "France Only": False,  # the VFF: French, not the Quebec dub
        "English Only": False,
    }
    reread = {(MediaFile.Source.ARR_PROBE, "variety_unknown")}
    assert _sources() == {
        "Paw Patrol": reread, "Titled Quebec": reread, "France Only": reread,
        "English Only": {(MediaFile.Source.ARR, "")},
    }  # fmt: skip

    second = scan_inline(instance)
    assert (second.items_total, second.files_probed) == (0, 0)  # read once: unchanged
    assert "Why files were read" not in dict(summary_lines(second))


def test_a_target_that_gains_a_variety_reads_those_files_on_the_next_scan(
    quebec: tuple[Path, FakeArr],
) -> None:
    root, fake = quebec
    instance = _instance(root, fake, ["fra"])
    first = scan_inline(instance)
    assert first.files_probed == 0  # any French will do: the *arr's word suffices
    assert {media.planned_tag for media in Media.objects.exclude(title="English Only")} == {"dub"}

    Instance.objects.filter(pk=instance.pk).update(target_languages=["fr-CA"])
    instance.refresh_from_db()
    normal = scan_inline(instance)  # an ordinary scan: no rewrite, no bulk action
    assert normal.mode == ScanRun.Mode.NORMAL
    assert normal.items_total == len(SHOWS)  # none said to be unchanged
    assert normal.files_probed == FRENCH_FILES  # exactly those files, once
    # The run page says why files that had not changed were read.
    why = dict(summary_lines(normal))["Why files were read"]
    assert why == f"{FRENCH_FILES} to learn a variety the *arr's media info never names"
    assert _dubs(fake)["Paw Patrol"] and _dubs(fake)["Titled Quebec"]
    assert not _dubs(fake)["France Only"]
    assert scan_inline(instance).files_probed == 0


def test_an_items_own_regional_list_reads_its_files_on_the_next_scan(
    quebec: tuple[Path, FakeArr],
) -> None:
    from scanner.actions.wanted_languages import clean_wanted, set_wanted

    root, fake = quebec
    instance = _instance(root, fake, ["fra"])
    scan_inline(instance)
    paw = Media.objects.get(title="Paw Patrol")
    assert set_wanted(paw, clean_wanted(["fr-CA"]), user="alice", via="test")
    again = scan_inline(instance)
    assert (again.items_total, again.files_probed) == (1, 2)
    assert Media.objects.get(title="Paw Patrol").planned_tag == "dub"


def test_the_files_source_never_takes_the_arrs_word_for_a_read(
    quebec: tuple[Path, FakeArr],
) -> None:
    root, fake = quebec
    instance = _instance(root, fake, ["fra"])  # hybrid: the *arr's word suffices for "fra"
    scan_inline(instance)
    assert set(MediaFile.objects.values_list("source", flat=True)) == {MediaFile.Source.ARR}

    # The files source, and a regional target: the same unchanged files, read now.
    Instance.objects.filter(pk=instance.pk).update(
        audio_source=Instance.AudioSource.FILES, target_languages=["fr-CA"]
    )
    instance.refresh_from_db()
    files = scan_inline(instance)
    assert files.items_total == len(SHOWS)
    assert files.files_probed == 2 * len(SHOWS)  # every file, read this time
    assert set(MediaFile.objects.values_list("source", "source_note")) == {
        (MediaFile.Source.FILE, "arr_word_only")
    }
    why = dict(summary_lines(files))["Why files were read"]
    assert why == f"{2 * len(SHOWS)} judged before from the *arr's media info alone"
    assert _dubs(fake)["Paw Patrol"] and _dubs(fake)["Titled Quebec"]
    assert scan_inline(instance).files_probed == 0


def test_switching_hybrid_to_files_is_a_reason_to_look_again(
    quebec: tuple[Path, FakeArr],
) -> None:
    """With nothing else changed, the plan does not call the items unchanged: the files
    hybrid judged from the *arr's word are read."""
    root, fake = quebec
    instance = _instance(root, fake, ["fra"], audio_source=Instance.AudioSource.HYBRID)
    scan_inline(instance)
    Instance.objects.filter(pk=instance.pk).update(audio_source=Instance.AudioSource.FILES)
    instance.refresh_from_db()
    files = scan_inline(instance)
    assert (files.items_total, files.files_probed) == (len(SHOWS), 2 * len(SHOWS))


def test_the_arr_source_alone_says_why_a_variety_stays_unknown(
    quebec: tuple[Path, FakeArr], admin_client: Client
) -> None:
    root, fake = quebec
    instance = _instance(root, fake, ["fr-CA"], audio_source=Instance.AudioSource.ARR)
    run = scan_inline(instance)
    assert run.files_probed == 0  # no file is opened
    paw = Media.objects.get(title="Paw Patrol")
    assert paw.variety_unknown and paw.planned_tag == "none"
    assert {note for _, note in _sources()["Paw Patrol"]} == {"variety_unknown"}
    page = admin_client.get(f"/admin/scanner/media/{paw.pk}/change/").content.decode()
    assert "only the release name" in page and "file is not read here" in page
    assert "no source names the variety" not in page.lower()


def test_the_connection_test_says_which_files_are_read_for_a_variety(
    quebec: tuple[Path, FakeArr],
) -> None:
    from scanner.actions.check_instance import connection_report

    root, fake = quebec
    here = connection_report(_instance(root, fake, ["fr-CA"]))
    assert any("fr-CA" in line and "read once" in line for line in map(str, here.lines))
    Instance.objects.all().delete()
    alone = connection_report(_instance(root, fake, ["fr-CA"], audio_source="arr"))
    assert any("only from the release name" in line for line in map(str, alone.lines))
    Instance.objects.all().delete()
    plain = connection_report(_instance(root, fake, ["fra"]))
    assert not any("variety" in line for line in map(str, plain.lines))


def test_a_rules_version_bump_reads_the_files_the_arrs_word_alone_judged(
    quebec: tuple[Path, FakeArr], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A library an earlier version scanned with a fr-CA target, trusting the *arr's word
    on every file (rows of Source.ARR, each item's settings hash as it stored it): the
    next version's rules are a reason to look again, and the files are read then."""
    from scanner.models import instance_options
    from scanner.pipeline.scanning.options import ScanOptions

    root, fake = quebec
    instance = _instance(root, fake, ["fra"])
    scan_inline(instance)  # every file judged from the *arr's word
    Instance.objects.filter(pk=instance.pk).update(target_languages=["fr-CA"])
    instance.refresh_from_db()
    options = ScanOptions.for_instance(instance)
    for media in Media.objects.all():
        Media.objects.filter(pk=media.pk).update(settings_hash=options.settings_hash(media))
    assert scan_inline(instance).items_total == 0  # as that version left it: unchanged

    monkeypatch.setattr(instance_options, "RULES_VERSION", instance_options.RULES_VERSION + 1)
    bumped = scan_inline(instance)
    assert (bumped.items_total, bumped.files_probed) == (len(SHOWS), FRENCH_FILES)
    assert _dubs(fake)["Paw Patrol"] and _dubs(fake)["Titled Quebec"]


def test_a_mount_that_comes_and_goes_rescans_nothing(quebec: tuple[Path, FakeArr]) -> None:
    """Automatic resolves to the *arr's word while the folders are away: the settings
    hash holds the audio source as set, so neither way is a reason to scan again."""
    root, fake = quebec
    instance = _instance(root, fake, ["fr-CA"])
    assert scan_inline(instance).files_probed == FRENCH_FILES
    away = root.rename(root.with_name("tv-away"))
    gone = scan_inline(instance)
    assert (gone.audio_source, gone.items_total) == ("arr", 0)
    away.rename(root)
    back = scan_inline(instance)
    assert (back.audio_source, back.items_total, back.files_probed) == ("hybrid", 0, 0)
    assert _dubs(fake)["Paw Patrol"]


def test_a_latin_american_library_on_the_defaults(tmp_path: Path, media: MediaFactory) -> None:
    root = tmp_path / "tv"
    shows = {
        "Naruto": ([ENGLISH, AudioSpec("es-MX", bcp47_only=True)], "eng/spa"),
        "Game of Thrones": ([ENGLISH, AudioSpec("spa", title="Español Latino")], "eng/spa"),
        "Madrid Show": ([ENGLISH, AudioSpec("spa", title="Castellano")], "eng/spa"),
    }
    with _served(root, media, shows) as fake:
        instance = _instance(root, fake, ["es-419"])
        run = scan_inline(instance)
        assert run.files_probed == 2 * len(shows)
        labels = arr_labels(fake)
        assert {title: "dub-es-419" in found for title, found in labels.items()} == {
            "Naruto": True, "Game of Thrones": True, "Madrid Show": False,
        }  # fmt: skip
        assert scan_inline(instance).files_probed == 0
