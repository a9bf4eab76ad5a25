"""Issue 60, item 1, through real scans: the varieties read from the files, their names,
their sidecars and the fake Sonarr's languages of a file are stored with the file's
tracks; ``lat`` counts as Spanish unless the instance says not (then the items are
decided again from the stored tracks, nothing read)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client
from rest_framework.test import APIClient

from fakes.arr import FakeArr
from fakes.arr.languages import file_languages
from scanner.models import Instance, Media, MediaFile, ScanRun
from tests.factories import InstanceFactory
from tests.helpers import ARR_KEY, arr_tags, scan_inline
from tests.library import REMOTE_TV, Library
from tests.media import AudioSpec, MediaFactory, layout

pytestmark = pytest.mark.django_db(transaction=True)


def _stored(title: str) -> MediaFile:
    return Media.objects.get(title=title).files.get()


def test_a_library_stores_the_varieties_and_lat_counts_as_spanish(
    tmp_path: Path, media: MediaFactory
) -> None:
    root = tmp_path / "movies"
    media.make_video(
        root / "Quebec Film (2020)" / "Quebec.Film.2020.MULTi.VFQ.1080p.mkv", layout("eng", "fre")
    )
    latin = media.make_video(
        root / "Latin Film (2020)" / "Latin Film (2020).mkv",
        [AudioSpec("eng", default=True), AudioSpec("lat", title="Latino")],
    )
    latin.with_name("Latin Film (2020).pt-BR.srt").write_text(
        "1\n00:00:00,000 --> 00:00:01,000\nOi\n"
    )
    instance = InstanceFactory(
        kind=Instance.Kind.LIBRARY, url="", root_folders=[str(root)], library_content="movies",
        original_language="eng", target_languages=["spa"],
    )  # fmt: skip
    assert instance.lat_is_latino  # the default
    run = scan_inline(instance)
    assert run.status == ScanRun.Status.SUCCEEDED, run.error

    quebec = _stored("Quebec Film (2020)").audio_tracks
    assert (quebec[1]["variety"], quebec[1]["variety_source"]) == ("fr-CA", "release")
    assert "variety" not in quebec[0]
    latin_row = _stored("Latin Film (2020)")
    # Stored as the file says (Latin; a Latino title on a Latin track names nothing) ...
    assert latin_row.audio_tracks[1]["language"] == "lat"
    assert "variety" not in latin_row.audio_tracks[1]
    (sidecar,) = latin_row.subtitle_tracks
    assert (sidecar["variety"], sidecar["variety_source"]) == ("pt-BR", "sidecar")
    # ... and judged as Latin-American Spanish: the target is met.
    assert Media.objects.get(title="Latin Film (2020)").planned_tag == "dub"

    Instance.objects.filter(pk=instance.pk).update(lat_is_latino=False)
    instance.refresh_from_db()
    again = scan_inline(instance)
    assert again.files_probed == 0  # decided again from the stored tracks
    assert Media.objects.get(title="Latin Film (2020)").planned_tag == "wrong-dub"  # Latin


def test_the_arrs_languages_of_a_file_name_its_variety(
    sonarr: FakeArr, tv_library: Library
) -> None:
    """The fake Sonarr serves each file's ``languages`` as Sonarr's EpisodeFileResource
    does (Language.cs ids: Portuguese (Brazil) 33, Spanish (Latino) 34); its media info
    has ffprobe's plain codes. Files are not read (the *arr source)."""
    # title -> the media info's languages, the file's languages, the track named
    said = {
        "Anime Wrong": ("jpn/por", ["Japanese", "Portuguese (Brazil)"], 1),
        "Señorita Ünïcode": ("spa/eng", ["Spanish (Latino)", "English"], 0),
    }
    for item in sonarr.state.items():
        if item["title"] in said:
            audio, names, _ = said[item["title"]]
            files = sonarr.state.episode_files(item["id"])
            for file in files:
                file["mediaInfo"]["audioLanguages"] = audio
                file["languages"] = file_languages("sonarr", (4,), names)
            sonarr.state.set_episode_files(item["id"], files)
    unmounted = "/mnt/not-mounted-here/tv"
    instance = InstanceFactory(
        name="arr", url=sonarr.url, api_key=ARR_KEY, root_folders=[unmounted],
        path_mappings=[{"remote": REMOTE_TV, "local": unmounted}], target_languages=["eng"],
        audio_source=Instance.AudioSource.ARR,
    )  # fmt: skip
    run = scan_inline(instance)
    assert run.status == ScanRun.Status.SUCCEEDED, run.error
    assert run.files_probed == 0
    for title, variety in (("Anime Wrong", "pt-BR"), ("Señorita Ünïcode", "es-419")):
        named = said[title][2]
        for row in Media.objects.get(title=title).files.all():
            tracks = row.audio_tracks
            assert (tracks[named]["variety"], tracks[named]["variety_source"]) == (variety, "arr")
            assert "variety" not in tracks[1 - named]
    assert arr_tags(sonarr) == tv_library.expected  # no tag changes for plain targets


def test_a_release_holding_both_french_dubs_and_another_variety_beside_spanish(
    tmp_path: Path, media: MediaFactory, admin_client: Client, admin_user: User
) -> None:
    """Issue 68, items 3 and 4, on the default audio source: ``MULTi.VF2`` over two
    untitled French tracks holds the VFQ (``dub``, one of the tracks, not said which);
    Coco with VFF and Latin-American Spanish is French of another variety, not
    ``wrong-dub``."""
    root = tmp_path / "movies"
    media.make_video(
        root / "Squid Film (2021)" / "Squid.Film.2021.MULTi.VF2.1080p.NF.WEB-DL.mkv",
        layout("eng", "fre", "fre"),
    )
    media.make_video(
        root / "Coco (2017)" / "Coco.2017.MULTi.1080p.BluRay.x264.mkv",
        [AudioSpec("eng", default=True), AudioSpec("fre", title="VFF"), AudioSpec("spa")],
    )
    instance = InstanceFactory(
        kind=Instance.Kind.LIBRARY, url="", root_folders=[str(root)], library_content="movies",
        original_language="eng", target_languages=["fr-CA"],
    )  # fmt: skip
    run = scan_inline(instance)
    assert run.status == ScanRun.Status.SUCCEEDED, run.error

    squid = Media.objects.get(title="Squid Film (2021)")
    tracks = squid.files.get().audio_tracks
    assert [(t.get("variety"), t.get("variety_source")) for t in tracks] == [
        (None, None),
        ("fr-CA", "release_set"),
        ("fr-FR", "release_set"),
    ]
    assert squid.planned_tag == "dub"
    coco = Media.objects.get(title="Coco (2017)")
    assert coco.planned_tag == "none"

    # The page says the release holds it, for one of the French tracks, not which.
    page = admin_client.get(f"/admin/scanner/media/{squid.pk}/change/")
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.content.decode()))
    held = "from the release name, for one of the tracks of this language (without saying which)"
    assert f"Canadian French — {held}" in text
    assert f"French (France) — {held}" in text
    french = admin_client.get(
        f"/admin/scanner/media/{squid.pk}/change/", HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    assert html.escape("pour l'une des pistes de cette langue (sans dire laquelle)") in french
    api = APIClient()
    api.force_login(admin_user)
    (file,) = api.get(f"/api/media/{squid.pk}/").json()["files"]
    assert [(v["variety"], v["source"]) for v in file["varieties"]] == [
        ("fr-CA", "release_set"),
        ("fr-FR", "release_set"),
    ]
