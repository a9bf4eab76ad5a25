"""Issue 60, item 2, through real scans of real files: a Quebec library (target fr-CA),
a Latin-American one (es-419, with ``lat`` tracks) and a mixed one (fr, pt-BR) end with
the right tags; a track of unknown variety counts as the instance's option says, and
its items are listed (the admin's and the API's filter)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from scanner.models import Instance, Media, MediaFile, ScanRun
from tests.factories import InstanceFactory
from tests.helpers import scan_inline
from tests.media import AudioSpec, MediaFactory, layout

pytestmark = pytest.mark.django_db(transaction=True)


def _library(root: Path, targets: list[str]) -> Instance:
    return InstanceFactory(
        kind=Instance.Kind.LIBRARY, url="", root_folders=[str(root)], library_content="movies",
        original_language="eng", target_languages=targets, language_tags=True,
        subtitle_tags=True,
    )  # fmt: skip


def _planned() -> dict[str, tuple[str, list[str]]]:
    return {media.title: (media.planned_tag, media.planned_labels) for media in Media.objects.all()}


def test_a_quebec_library(
    tmp_path: Path, media: MediaFactory, admin_user: Any, admin_client: Client
) -> None:
    root = tmp_path / "movies"
    media.make_video(
        root / "France Film (2020)" / "France.Film.2020.1080p.mkv",
        [AudioSpec("eng", default=True), AudioSpec("fre", title="VFF")],
    )
    media.make_video(
        root / "Quebec Film (2020)" / "Quebec.Film.2020.MULTi.VFQ.1080p.mkv", layout("eng", "fre")
    )
    media.make_video(
        root / "Tagged Film (2020)" / "Tagged Film (2020).mkv",
        [AudioSpec("eng", default=True), AudioSpec("fr-CA", bcp47_only=True)],
    )
    media.make_video(root / "Plain Film (2020)" / "Plain Film (2020).mkv", layout("eng", "fre"))
    instance = _library(root, ["fr-CA"])
    assert instance.target_languages == ["fr-CA"] and not instance.unknown_variety_counts
    run = scan_inline(instance)
    assert run.status == ScanRun.Status.SUCCEEDED, run.error

    assert _planned() == {
        "France Film (2020)": ("none", []),  # the VFF: French, but not the Quebec dub
        "Quebec Film (2020)": ("dub", ["dub-fr-ca"]),
        "Tagged Film (2020)": ("dub", ["dub-fr-ca"]),
        "Plain Film (2020)": ("none", []),  # French of unknown variety: not at all
    }
    france = Media.objects.get(title="France Film (2020)")
    assert france.files.get().result == MediaFile.Result.NONE  # never wrong
    unsure = Media.objects.get(title="Plain Film (2020)")
    assert unsure.variety_unknown and unsure.verdict_reasons["variety_unknown"] == ["fr-CA"]
    assert list(Media.objects.filter(variety_unknown=True)) == [unsure]
    # Listed, so a person can settle them: the API's and the admin's filter.
    api = APIClient()
    api.force_login(admin_user)
    listed = api.get("/api/media/?variety_unknown=true").json()["results"]
    assert [item["title"] for item in listed] == ["Plain Film (2020)"]
    assert listed[0]["variety_unknown"] is True
    page = admin_client.get("/admin/scanner/media/?variety_unknown=yes").content.decode()
    assert "Plain Film (2020)" in page and "Quebec Film (2020)" not in page

    # The option on: the unknown French counts as the Quebec one, decided again from
    # the stored tracks (nothing read); the VFF still does not.
    Instance.objects.filter(pk=instance.pk).update(unknown_variety_counts=True)
    instance.refresh_from_db()
    again = scan_inline(instance)
    assert again.files_probed == 0
    assert _planned()["Plain Film (2020)"] == ("dub", ["dub-fr-ca"])
    assert _planned()["France Film (2020)"] == ("none", [])
    assert Media.objects.get(title="Plain Film (2020)").variety_unknown


def test_a_latin_american_and_a_mixed_library(tmp_path: Path, media: MediaFactory) -> None:
    latin = tmp_path / "latin"
    media.make_video(
        latin / "Lat Film (2020)" / "Lat Film (2020).mkv",
        [AudioSpec("eng", default=True), AudioSpec("lat")],
    )
    media.make_video(
        latin / "Spain Film (2020)" / "Spain Film (2020).mkv",
        [AudioSpec("eng", default=True), AudioSpec("spa", title="Castellano")],
    )
    run = scan_inline(_library(latin, ["es-419"]))
    assert run.status == ScanRun.Status.SUCCEEDED, run.error
    assert _planned() == {
        "Lat Film (2020)": ("dub", ["dub-es-419"]),
        "Spain Film (2020)": ("none", []),  # Castilian: Spanish, never wrong
    }

    Media.objects.all().delete()
    mixed = tmp_path / "mixed"
    brazil = media.make_video(
        mixed / "Brazil Film (2020)" / "Brazil Film (2020).mkv",
        [AudioSpec("eng", default=True), AudioSpec("fre", title="VFF"), AudioSpec("pt-BR")],
    )
    brazil.with_name("Brazil Film (2020).pt-BR.srt").write_text(
        "1\n00:00:00,000 --> 00:00:01,000\nOi\n"
    )
    media.make_video(
        mixed / "Lisbon Film (2020)" / "Lisbon Film (2020).mkv",
        [AudioSpec("eng", default=True), AudioSpec("fre"), AudioSpec("por", title="Portugal")],
    )
    run = scan_inline(_library(mixed, ["fr", "pt-BR"]))
    assert run.status == ScanRun.Status.SUCCEEDED, run.error
    assert _planned() == {
        "Brazil Film (2020)": ("dub", ["dub-fr", "dub-pt-br", "sub-pt-br"]),
        "Lisbon Film (2020)": ("semi-dub", ["dub-fr"]),  # any French; not Brazil's
    }
    assert not Media.objects.filter(variety_unknown=True).exists()
