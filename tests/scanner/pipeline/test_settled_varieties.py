"""A settled variety (issue 60) is kept across scans: a scan that reads the file again
judges its French of unknown variety as a person settled it, and the item stays out of
the list of items whose unknown variety decided."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from scanner.actions.settled_varieties import settle_varieties
from scanner.models import Instance, Media, ScanRun
from tests.factories import InstanceFactory
from tests.helpers import scan_inline
from tests.media import MediaFactory, layout

pytestmark = pytest.mark.django_db(transaction=True)


def test_kept_when_the_file_is_read_again(tmp_path: Path, media: MediaFactory) -> None:
    root = tmp_path / "movies"
    video = media.make_video(
        root / "Plain Film (2020)" / "Plain Film (2020).mkv", layout("eng", "fre")
    )
    instance = InstanceFactory(
        kind=Instance.Kind.LIBRARY, url="", root_folders=[str(root)], library_content="movies",
        original_language="eng", target_languages=["fr-CA"], language_tags=True,
    )  # fmt: skip
    assert scan_inline(instance).status == ScanRun.Status.SUCCEEDED
    film = Media.objects.get()
    assert (film.planned_tag, film.variety_unknown) == ("none", True)

    settle_varieties(film, {"fra": "fr-CA"}, user="alice", via="test")
    film.refresh_from_db()
    assert (film.planned_tag, film.planned_labels, film.variety_unknown) == (
        "dub", ["dub-fr-ca"], False,
    )  # fmt: skip

    stat = video.stat()
    os.utime(video, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))  # the file changed
    run = scan_inline(instance)
    assert run.status == ScanRun.Status.SUCCEEDED, run.error
    assert run.files_probed == 1
    film.refresh_from_db()
    assert (film.planned_tag, film.planned_labels, film.variety_unknown) == (
        "dub", ["dub-fr-ca"], False,
    )  # fmt: skip
    assert film.settled_varieties == {"fra": "fr-CA"}
    assert film.files.get().audio_tracks[1].get("variety") is None  # the file's word, as read
