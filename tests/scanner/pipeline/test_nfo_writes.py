"""Issue 38: an NFO that could not be written is told (the run ends partial, its error
counts it, an event names it) and written by the next plain scan, although nothing
else changed; the one after that writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from fakes.arr import FakeArr
from scanner.models import Event, Instance, Media, ScanRun
from scanner.pipeline.writers.nfo_writes import wanted_original
from tests.helpers import arr_tags, block_nfo, nfo_tags, scan_inline
from tests.library import Library

pytestmark = pytest.mark.django_db(transaction=True)


def _due() -> set[str]:
    return set(Media.objects.filter(nfo_due=True).values_list("title", flat=True))


def test_an_nfo_not_written_ends_the_run_partial_and_the_next_scan_writes_it(
    sonarr_instance: Instance, sonarr: FakeArr, tv_library: Library
) -> None:
    sonarr_instance.create_nfo = True
    sonarr_instance.save()
    blocked = {
        title: block_nfo(tv_library.folder(title)) for title in ("Anime Dubbed", "Anime Wrong")
    }

    run = scan_inline(sonarr_instance)
    assert run.status == ScanRun.Status.PARTIAL
    assert run.error == "2 NFOs could not be written"
    assert run.summary["nfo_errors"] == 2
    assert arr_tags(sonarr) == tv_library.expected  # the *arr writes stand
    events = Event.objects.filter(run=run, kind=Event.Kind.NFO_ERROR)
    assert sorted(e.message for e in events) == [
        "Anime Dubbed: an NFO already exists",
        "Anime Wrong: an NFO already exists",
    ]
    assert _due() == set(blocked)

    for path in blocked.values():
        path.rmdir()  # writable again
    again = scan_inline(sonarr_instance)  # plain: no file changed, no tag to change
    assert again.status == ScanRun.Status.SUCCEEDED, again.error
    assert (again.items_total, again.files_probed, again.tags_changed) == (0, 0, 0)
    assert again.summary["nfo_written"] == 2
    assert nfo_tags(blocked["Anime Dubbed"]) == ["dub"]
    assert nfo_tags(blocked["Anime Wrong"]) == ["wrong-dub"]
    assert _due() == set()

    third = scan_inline(sonarr_instance)
    assert third.status == ScanRun.Status.SUCCEEDED, third.error
    assert third.summary["nfo_written"] == 0


def test_an_nfo_that_fails_again_stays_due_and_the_run_partial(
    radarr_instance: Instance, radarr: FakeArr, movie_library: Library
) -> None:
    """A movie whose NFO cannot be created (next to its video: nfo_paths.new_nfo_path):
    partial on every scan until it can."""
    radarr_instance.create_nfo = True
    radarr_instance.save()
    folder = movie_library.root / "Dubbed Film (2020)"
    (folder / "movie.nfo").unlink()
    blocked = block_nfo(folder, "Dubbed Film (2020).nfo")

    for _ in range(2):
        run = scan_inline(radarr_instance)
        assert run.status == ScanRun.Status.PARTIAL
        assert run.error == "1 NFOs could not be written"
        assert _due() == {"Dubbed Film"}
    assert arr_tags(radarr) == movie_library.expected

    blocked.rmdir()
    run = scan_inline(radarr_instance)
    assert run.status == ScanRun.Status.SUCCEEDED, run.error
    assert nfo_tags(blocked) == ["dub"]
    assert _due() == set()


def _nfo(library: Library, title: str) -> Path:
    return library.root / f"{title} (2020)" / "movie.nfo"


def test_nfos_carry_the_original_language_and_taggarr_changes_only_its_own(
    radarr_instance: Instance, radarr: FakeArr, movie_library: Library
) -> None:
    """Issue 70: Kodi 22 reads ``<originallanguage>`` from a movie's NFO, toward its
    "original language" audio choice (xbmc/xbmc pull request 27187,
    ``xbmc/video/VideoInfoTag.cpp`` ``ParseNative``: ISO 639-1 read). Through the real
    apply step: written with the tags, replaced when the original Taggarr wrote changes,
    taken off by a removal; a value a person wrote stays."""
    dubbed, person = _nfo(movie_library, "Dubbed Film"), _nfo(movie_library, "Original Film")
    before = dubbed.read_text("utf-8")
    theirs = person.read_text("utf-8").replace(
        "</title>\n", "</title>\n  <originallanguage>fr</originallanguage>\n"
    )
    person.write_text(theirs, encoding="utf-8")  # a German film a person says is French

    run = scan_inline(radarr_instance)
    assert run.status == ScanRun.Status.SUCCEEDED, run.error
    assert dubbed.read_text("utf-8") == before.replace(
        "</title>\n", "</title>\n  <originallanguage>fr</originallanguage>\n"
    ).replace("<tag>user-tag</tag>", "<tag>user-tag</tag>\n  <tag>dub</tag>")
    assert "<originallanguage>ko</originallanguage>" in _nfo(movie_library, "Wrong Film").read_text(
        "utf-8"
    )
    assert person.read_text("utf-8") == theirs  # the tag is "none": nothing else to write
    owned = dict(Media.objects.values_list("title", "nfo_original"))
    assert owned == {"Dubbed Film": "fra", "Original Film": "", "Wrong Film": "kor"}

    # A person sets another original in Taggarr: a plain scan (no file changed) writes it.
    Media.objects.filter(title="Dubbed Film").update(original_override="ita")
    again = scan_inline(radarr_instance)
    assert again.status == ScanRun.Status.SUCCEEDED, again.error
    assert "<originallanguage>it</originallanguage>" in dubbed.read_text("utf-8")
    assert "<originallanguage>fr</originallanguage>" not in dubbed.read_text("utf-8")
    assert Media.objects.get(title="Dubbed Film").nfo_original == "ita"
    assert scan_inline(radarr_instance).summary["nfo_written"] == 0

    removed = scan_inline(radarr_instance, mode=ScanRun.Mode.REMOVE)
    assert removed.status == ScanRun.Status.SUCCEEDED, removed.error
    assert dubbed.read_text("utf-8") == before
    assert person.read_text("utf-8") == theirs
    assert set(Media.objects.values_list("nfo_original", flat=True)) == {""}


@pytest.mark.parametrize(
    ("language", "override", "suggestion", "wanted"),
    [
        ("fra", "", "", "fra"),
        ("eng", "jpn", "", "jpn"),  # a person's override wins
        ("eng", "", "jpn", None),  # the *arr's English in doubt: Kodi would pick the dub
        ("eng", "eng", "jpn", "eng"),  # confirmed by a person
        ("", "", "", None),
    ],
)
def test_the_original_an_nfo_should_say(
    language: str, override: str, suggestion: str, wanted: str | None
) -> None:
    media = Media(
        original_language=language, original_override=override, original_suggestion=suggestion
    )
    assert wanted_original(media) == wanted
