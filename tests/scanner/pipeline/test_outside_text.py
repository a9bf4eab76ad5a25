"""Issue 50: text from Sonarr and from a media server with lone surrogates, NUL and
control characters is stored cleaned (scanner.outside_text), and the item still works.

RFC 8259, 8.2 lets a JSON string hold an unpaired surrogate escape (``\\ud800``);
Python's json decodes it into a str UTF-8 cannot encode: PostgreSQL's jsonb refuses
the escape (postgres/postgres src/common/jsonapi.c, "Unicode low surrogate must follow
a high surrogate") and its text columns refuse NUL (docs, "Character Types"), SQLite's
driver the str. Sonarr and Jellyfin are .NET: the file their string names is written
with U+FFFD in place of the surrogate (dotnet/runtime
src/libraries/System.Private.CoreLib/src/System/Text/UTF8Encoding.cs, the default
replacement fallback; src/libraries/Common/src/Interop/Unix/System.Native/
Interop.ReadDir.cs reads names back with the same encoding), so U+FFFD finds it here.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from fakes.arr import FakeArr, FakeArrOptions
from fakes.jellyfin import FakeJellyfin, build_series
from scanner.models import Instance, Media, MediaFile, MediaServer, ScanRun
from tests.factories import InstanceFactory
from tests.helpers import ARR_KEY, SERVER_TOKEN, arr_tags, scan_inline, sonarr_over
from tests.library import REMOTE_TV, Library, Show, build_tv
from tests.media import MediaFactory

pytestmark = pytest.mark.django_db(transaction=True)

ON_DISK = "Anime \ufffd Dubbed"  # the folder .NET writes for "Anime \ud800 Dubbed"
SENT = "Anime \ud800 Dubbed"


@pytest.fixture
def library(tmp_path: Path, media: MediaFactory) -> Library:
    shows = (Show(ON_DISK, "Japanese", {1: [("jpn", "eng")] * 2}, "dub"),)
    library = build_tv(tmp_path / "tv", media, shows)
    series = library.arr_items[0]
    series.update(
        title=f"{SENT}\x00\x07\n", path=f"{REMOTE_TV}/{SENT}", genres=["Ani\ud800me", "Dra\x00ma"]
    )
    for file in library.episode_files[1]:
        file["relativePath"] = file["relativePath"].replace(ON_DISK, SENT)
        file["mediaInfo"]["subtitles"] = "eng/\ud800/e\x00ng"
    return library


@pytest.fixture
def sonarr(library: Library) -> Iterator[FakeArr]:
    with FakeArr(FakeArrOptions(app="sonarr", api_key=ARR_KEY), items=library.arr_items) as fake:
        library.load_episode_files(fake)
        yield fake


def _instance(sonarr: FakeArr, library: Library, source: str) -> Instance:
    return sonarr_over(sonarr, str(library.root), source)


@pytest.mark.parametrize("source", [Instance.AudioSource.FILES, Instance.AudioSource.ARR])
def test_a_series_list_with_lone_surrogates_and_nul_scans_and_finds_its_folder(
    sonarr: FakeArr, library: Library, source: str
) -> None:
    run = scan_inline(_instance(sonarr, library, source))
    assert run.status == ScanRun.Status.SUCCEEDED, run.error
    media = Media.objects.get()
    assert media.title == "Anime \ufffd Dubbed "  # NUL and BEL gone, the line feed a space
    assert media.genres == ["Ani\ufffdme", "Drama"]
    assert media.path == str(library.folder(ON_DISK))  # the folder on disk, found
    assert media.applied_tag == "dub" and list(arr_tags(sonarr).values()) == ["dub"]
    files = sorted(MediaFile.objects.values_list("path", flat=True))
    assert files == [f"Season 01/{ON_DISK} - S01E0{n}.mkv" for n in (1, 2)]


def test_a_media_server_item_with_lone_surrogates_is_matched_and_written(
    sonarr: FakeArr, library: Library
) -> None:
    """Jellyfin's names, paths and tags as its JSON may carry them: the item is matched
    by its folder (no provider id) and its tags are written, the user's own kept (a lone
    surrogate in one as Jellyfin stores it: U+FFFD)."""
    instance = _instance(sonarr, library, Instance.AudioSource.FILES)
    item = build_series("s1", f"{SENT}\x00", f"/media/tv/{SENT}", Tags=["mine\ud800", "x\x00"])
    with FakeJellyfin(token=SERVER_TOKEN, items=[item], version="10.11.11") as jellyfin:
        server = MediaServer(
            name="jellyfin",
            url=jellyfin.url,
            path_mappings=[{"remote": "/media/tv", "local": str(library.root)}],
        )
        server.set_token(SERVER_TOKEN)
        server.save()
        server.instances.set([instance])
        run = scan_inline(instance)
        assert run.status == ScanRun.Status.SUCCEEDED, run.error
        assert run.summary["media_servers"]["jellyfin"]["written"] == 1
        # A tag's lone surrogate comes back as U+FFFD: what Jellyfin itself stores of it
        # (.NET's UTF8Encoding replaces it when it writes its database), and what every
        # JSON answer is read as (scanner.http.json_surrogates).
        assert jellyfin.state.tags_by_id()["s1"] == {"dub", "mine\ufffd", "x\x00"}


def test_a_library_folders_name_with_line_breaks_is_a_one_line_title(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Issue 59: a folder's name is text from outside too (Linux allows every byte but
    "/" and NUL in a name): CR/LF in a title forged log lines and broke the feed's and
    the notifications' lines. The title is cleaned as an *arr's is; the path is kept."""
    forged = "Show\r\n2025-01-01 00:00:00 ERROR forged line\x1b[2J"
    (tmp_path / "tv" / forged).mkdir(parents=True)
    instance = InstanceFactory(
        kind=Instance.Kind.LIBRARY, url="", root_folders=[str(tmp_path / "tv")],
        original_language="jpn", library_content="series",
    )  # fmt: skip
    run = scan_inline(instance)
    assert run.status != ScanRun.Status.FAILED, run.error
    media = Media.objects.get(instance=instance)
    assert media.title == "Show  2025-01-01 00:00:00 ERROR forged line[2J"
    assert media.path == str(tmp_path / "tv" / forged)
    assert not any("\n" in record.getMessage() for record in caplog.records)
