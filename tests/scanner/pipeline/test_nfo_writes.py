"""Issue 38: an NFO that could not be written is told (the run ends partial, its error
counts it, an event names it) and written by the next plain scan, although nothing
else changed; the one after that writes nothing."""

from __future__ import annotations

import pytest

from fakes.arr import FakeArr
from scanner.models import Event, Instance, Media, ScanRun
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
