"""Targets that name a variety (issue 60, item 2) through the API and the admin form:
stored as their BCP-47 tag, a region no table knows refused; the option saying how a
track of unknown variety counts sits with "What counts", off by default, and is part
of the verdict's settings only when on (every other instance keeps its hash)."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from scanner.engine.sidecars import sidecars_of
from scanner.engine.tracks import FileTracks, make_subtitle, make_track
from scanner.models import Instance, Media
from tests.factories import InstanceFactory, MediaFactory, MediaFileFactory

pytestmark = pytest.mark.django_db


def test_a_variety_is_a_target_and_an_unknown_region_is_refused(api: APIClient) -> None:
    instance = InstanceFactory()
    url = f"/api/instances/{instance.pk}/"
    answer = api.patch(
        url, {"target_languages": ["fr-ca", "es_419", "zh-yue", "de"]}, format="json"
    )
    assert answer.status_code == 200, answer.json()
    assert answer.json()["target_languages"] == ["fr-CA", "es-419", "yue", "deu"]
    refused = api.patch(url, {"target_languages": ["fr-XX"]}, format="json")
    assert refused.status_code == 400 and "target_languages" in refused.json()
    assert Instance.objects.get().target_languages == ["fr-CA", "es-419", "yue", "deu"]


def test_the_unknown_variety_option(api: APIClient) -> None:
    instance = InstanceFactory()
    assert not instance.unknown_variety_counts
    assert "unknown_variety_counts" not in instance.verdict_settings()
    before = instance.verdict_settings_hash()
    url = f"/api/instances/{instance.pk}/"
    assert api.get(url).json()["unknown_variety_counts"] is False
    answer = api.patch(url, {"unknown_variety_counts": True}, format="json")
    assert answer.status_code == 200 and answer.json()["unknown_variety_counts"] is True
    assert Instance.objects.get().verdict_settings_hash() != before


def test_the_admin_form_takes_a_variety_and_shows_the_option(admin_client: Client) -> None:
    instance = InstanceFactory()
    page = admin_client.get(f"/admin/scanner/instance/{instance.pk}/change/").content.decode()
    assert 'name="unknown_variety_counts"' in page
    assert page.index('name="lat_is_latino"') < page.index('name="unknown_variety_counts"')
    assert "fr-CA, es-419, pt-BR, yue" in page  # the targets' help says how to ask


@pytest.mark.parametrize(
    "value",
    ["fr-CA-", "fr--CA", "é-419", "zh-Hant-TW-x-private-use", "x" * 50, "en-UK", "i-klingon"],
)
def test_a_hostile_target_is_a_400_or_stored_never_a_500(api: APIClient, value: str) -> None:
    instance = InstanceFactory()
    answer = api.patch(
        f"/api/instances/{instance.pk}/", {"target_languages": [value]}, format="json"
    )
    assert answer.status_code in (200, 400), answer.content
    if answer.status_code == 200:  # stored as what it names, and its tags are valid ones
        assert Instance.objects.get().label_set().every_label(answer.json()["target_languages"])


def test_a_files_tracks_carry_their_variety_and_its_source(api: APIClient) -> None:
    """Issue 60, item 3: each track's variety with where it was read (engine.varieties'
    source codes), the code lat as es-419 when the instance says so, as judged."""
    media = MediaFactory(kind=Media.Kind.MOVIE, instance=InstanceFactory(lat_is_latino=True))
    audio = [make_track(1, "eng", None), make_track(2, "fre", "VFQ"), make_track(3, "lat", None)]
    subtitles = [make_subtitle(1, "pt-BR")]
    MediaFileFactory(
        media=media, path="Film.mkv",
        audio_tracks=[t.to_dict() for t in audio] + ["junk"],
        subtitle_tracks=[t.to_dict() for t in subtitles],
    )  # fmt: skip
    (file,) = api.get(f"/api/media/{media.pk}/").json()["files"]
    assert file["varieties"] == [
        {"kind": "audio", "position": 2, "language": "fra", "variety": "fr-CA",
         "source": "title", "note": ""},
        {"kind": "audio", "position": 3, "language": "spa", "variety": "es-419",
         "source": "lat", "note": ""},
        {"kind": "subtitle", "position": 1, "language": "por", "variety": "pt-BR",
         "source": "bcp47", "note": ""},
    ]  # fmt: skip
    media.instance.lat_is_latino = False
    media.instance.save(update_fields=["lat_is_latino"])
    (file,) = api.get(f"/api/media/{media.pk}/").json()["files"]
    assert [each["variety"] for each in file["varieties"]] == ["fr-CA", "pt-BR"]


@pytest.mark.parametrize("value", ["e", "es-999", "fr-Cyrl-CA"])
def test_an_odd_code_is_refused_as_a_target_in_the_readers_language(
    api: APIClient, value: str
) -> None:
    """Before: ``e`` was stored as the E language (eee), ``es-999`` and ``fr-Cyrl-CA`` as
    they are."""
    instance = InstanceFactory()
    answer = api.patch(
        f"/api/instances/{instance.pk}/", {"target_languages": [value]}, format="json"
    )
    assert answer.status_code == 400
    assert answer.json()["target_languages"] == [
        f"unknown language or region {value!r}: give a language such as de, or a language "
        "and a country or region such as fr-CA or es-419"
    ]
    german = api.patch(
        f"/api/instances/{instance.pk}/", {"target_languages": [value]}, format="json",
        HTTP_ACCEPT_LANGUAGE="de",
    )  # fmt: skip
    assert german.status_code == 400
    assert value in german.json()["target_languages"][0]
    assert "unknown" not in german.json()["target_languages"][0]
    media = MediaFactory(instance=instance)
    wanted = api.patch(f"/api/media/{media.pk}/", {"wanted_languages": [value]}, format="json")
    assert wanted.status_code == 400


def test_an_external_audio_file_is_a_track_named_by_its_file(api: APIClient) -> None:
    """A dub kept beside the video (docs/tagging-rules.md, "External audio files") is
    among the file's audio tracks with its file's path, its variety from the name."""
    media = MediaFactory(kind=Media.Kind.MOVIE)
    tracks = FileTracks((make_track(1, "eng", None),)).with_sidecars(
        tuple(sidecars_of("Film.mkv", ["Film.fr-CA.mka"]))
    )
    MediaFileFactory(media=media, path="Film.mkv", audio_tracks=[t.to_dict() for t in tracks.audio])
    (file,) = api.get(f"/api/media/{media.pk}/").json()["files"]
    assert [(t["position"], t.get("file")) for t in file["audio_tracks"]] == [
        (1, None),
        (2, "Film.fr-CA.mka"),
    ]
    assert file["varieties"] == [
        {"kind": "audio", "position": 2, "language": "fra", "variety": "fr-CA",
         "source": "sidecar", "note": ""},
    ]  # fmt: skip
