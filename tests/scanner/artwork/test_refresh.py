"""Posters and fanart fetched from a fake Sonarr over HTTP, as the real one serves them
(src/NzbDrone.Core/MediaCover/MediaCoverService.cs: the ``images`` urls with their
``lastWrite``; src/Sonarr.Api.V3/MediaCovers/MediaCoverController.cs: the route), and
from a library folder's Kodi-named files. Only a changed image is fetched again; an
image that fails is logged, never raised, and tried again when its address changes
(or after a long back-off)."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from fakes.arr import FakeArr, FakeArrOptions, build_series
from scanner.arr.payloads import parse_item
from scanner.artwork import fetch
from scanner.artwork.leases import RETRY_FAILED_AFTER
from scanner.artwork.refresh import ArtworkCounts, refresh_artwork
from scanner.models import Artwork, ArtworkFetch, Instance
from tests.factories import InstanceFactory, MediaFactory
from tests.helpers import ARR_KEY
from tests.scanner.artwork.images import jpeg, png, size_of

pytestmark = pytest.mark.django_db
COVER_ROUTE = ("GET", "/api/v3/mediacover/{id}/{file}")


@pytest.fixture
def fake() -> Iterator[FakeArr]:
    options = FakeArrOptions(app="sonarr", api_key=ARR_KEY)
    with FakeArr(options, items=[build_series(1), build_series(2)]) as server:
        yield server


@pytest.fixture
def instance(fake: FakeArr) -> Instance:
    instance = InstanceFactory(kind=Instance.Kind.SONARR, url=fake.url, api_key=ARR_KEY)
    MediaFactory(instance=instance, arr_id=1, title="Show 1")
    MediaFactory(instance=instance, arr_id=2, title="Show 2")
    return instance


def _listed(fake: FakeArr, instance: Instance) -> Instance:
    """What a scan's listing stores of each item's images (the sync: Media.arr_covers)."""
    for media in instance.media.all():
        served = fake.state.served(fake.state.item(media.arr_id))
        media.arr_covers = dict(parse_item(served, kind="sonarr").covers)
        media.save(update_fields=["arr_covers"])
    return instance


def _covers_asked(fake: FakeArr) -> int:
    return fake.state.counters().get(COVER_ROUTE, 0)


def _stored(kind: str, arr_id: int) -> Artwork | None:
    return Artwork.objects.filter(kind=kind, media__arr_id=arr_id).first()


def test_every_poster_and_fanart_is_fetched_once_then_only_a_changed_one(
    fake: FakeArr, instance: Instance
) -> None:
    first = refresh_artwork(_listed(fake, instance))
    assert (first.fetched, first.failed) == (4, [])
    assert _covers_asked(fake) == 4
    poster = _stored("poster", 1)
    assert poster is not None and bytes(poster.data)[:2] == b"\xff\xd8"
    assert poster.content_type == "image/jpeg"
    assert "lastWrite=" in poster.source

    # Nothing asked for: every lastWrite was the same (no item had anything to do).
    assert refresh_artwork(_listed(fake, instance)) == ArtworkCounts()
    assert _covers_asked(fake) == 4

    fake.state.covers.set(1, "poster", jpeg(600, 900, (200, 20, 20)))
    changed = refresh_artwork(_listed(fake, instance))
    assert (changed.fetched, changed.unchanged) == (1, 1)  # the item's fanart
    new = _stored("poster", 1)
    assert new is not None and new.digest != poster.digest
    assert size_of(bytes(new.data))[1] == 250  # scaled into the poster's box, never larger


def test_a_missing_image_a_huge_one_and_one_that_is_not_an_image_are_logged_and_retried(
    fake: FakeArr, instance: Instance, caplog: pytest.LogCaptureFixture
) -> None:
    fake.state.covers.set(1, "poster", None)  # listed, but Sonarr holds no copy: a 404
    fake.state.covers.set(1, "fanart", b"\xff" * (5 * 1024 * 1024))
    fake.state.covers.set(2, "poster", b"<html>login</html>", content_type="text/html")
    fake.state.covers.set(2, "fanart", b"not a picture at all")  # and said to be a JPEG
    with caplog.at_level(logging.WARNING, logger="scanner.artwork.refresh"):
        counts = refresh_artwork(_listed(fake, instance))
    assert counts.fetched == 0
    failed = "\n".join(counts.failed)
    assert "Show 1: poster" in failed and "404" in failed
    assert "Show 1: fanart" in failed and "larger than 4 MB" in failed
    assert "Show 2: poster" in failed and "not an image" in failed
    assert "Show 2: fanart" in failed
    assert len(caplog.records) == 4
    assert ARR_KEY not in caplog.text and ARR_KEY not in failed
    assert not Artwork.objects.exists()

    asked = _covers_asked(fake)
    # Not asked for again while their addresses are the same (the next scan, a webhook).
    assert refresh_artwork(_listed(fake, instance)) == ArtworkCounts()
    assert _covers_asked(fake) == asked

    fake.state.covers.set(1, "poster", jpeg(170, 250))  # the *arr got it: a new lastWrite
    assert refresh_artwork(_listed(fake, instance)).fetched == 1
    assert _covers_asked(fake) == asked + 1  # that one only


def test_a_failed_address_is_tried_again_after_the_long_back_off(
    fake: FakeArr, instance: Instance
) -> None:
    fake.state.covers.set(1, "poster", None)  # a 404: the *arr may get its copy later
    assert len(refresh_artwork(_listed(fake, instance)).failed) == 1
    asked = _covers_asked(fake)
    remembered = ArtworkFetch.objects.get(media__arr_id=1, kind="poster")
    assert remembered.failed_source.startswith("/MediaCover/1/poster.jpg")
    assert "404" in remembered.failure and not remembered.undecodable
    ArtworkFetch.objects.filter(pk=remembered.pk).update(
        failed_at=timezone.now() - RETRY_FAILED_AFTER - timedelta(minutes=1)
    )
    fake.state.covers.set(1, "poster", jpeg(170, 250))  # served at the address it failed at
    refresh_artwork(instance)  # not listed again: the stored address is the failed one
    assert _covers_asked(fake) == asked + 1
    assert _stored("poster", 1) is not None
    assert ArtworkFetch.objects.get(pk=remembered.pk).failed_source == ""


def test_an_image_the_arr_no_longer_lists_is_removed(fake: FakeArr, instance: Instance) -> None:
    refresh_artwork(_listed(fake, instance))
    fake.state.covers.remove(2, "fanart")
    counts = refresh_artwork(_listed(fake, instance))
    assert counts.removed == 1
    assert _stored("fanart", 2) is None and _stored("poster", 2) is not None


def test_a_run_of_a_few_items_fetches_theirs_and_lists_nothing(
    fake: FakeArr, instance: Instance
) -> None:
    counts = refresh_artwork(_listed(fake, instance), scope=[2])
    assert counts.fetched == 2
    assert set(fake.state.counters()) == {COVER_ROUTE}  # the scan's listing said enough
    assert _stored("poster", 1) is None


def test_a_refused_key_fails_the_artwork_not_the_caller(fake: FakeArr) -> None:
    instance = InstanceFactory(kind=Instance.Kind.SONARR, url=fake.url, api_key="f" * 32)
    MediaFactory(instance=instance, arr_id=1)
    counts = refresh_artwork(_listed(fake, instance))
    assert counts.fetched == 0 and "rejected the API key" in counts.failed[0]
    assert not Artwork.objects.exists()


def test_an_arr_out_of_reach_is_one_failure_not_one_per_item(
    fake: FakeArr, instance: Instance, caplog: pytest.LogCaptureFixture
) -> None:
    _listed(fake, instance)
    fake.stop()
    with caplog.at_level(logging.WARNING, logger="scanner.artwork.refresh"):
        counts = refresh_artwork(instance)
    assert counts.fetched == 0 and len(counts.failed) == 1
    assert len(caplog.records) == 1 and "the next scan tries again" in caplog.text


def test_a_library_folder_gives_its_poster_jpg_or_folder_jpg_and_fanart(tmp_path: Path) -> None:
    """Kodi's artwork names (kodi.wiki, "Artwork": poster, fanart; folder.jpg the older
    name of the poster)."""
    show, movie = tmp_path / "Show", tmp_path / "Movie (2020)"
    show.mkdir()
    movie.mkdir()
    (show / "folder.jpg").write_bytes(jpeg(100, 150))
    (show / "fanart.png").write_bytes(png(320, 180))
    (movie / "poster.jpg").write_bytes(jpeg(1000, 1500))
    instance = InstanceFactory(kind=Instance.Kind.LIBRARY, url="", api_key="")
    shown = MediaFactory(instance=instance, arr_id=None, path=str(show))
    MediaFactory(instance=instance, arr_id=None, path=str(movie))

    assert refresh_artwork(instance).fetched == 3
    assert size_of(bytes(Artwork.objects.get(media=shown, kind="fanart").data)) == (320, 180)
    assert refresh_artwork(instance).unchanged == 3

    (show / "folder.jpg").write_bytes(jpeg(120, 180))
    os.utime(show / "folder.jpg", ns=(1, 1))
    assert refresh_artwork(instance).fetched == 1


def test_bytes_that_did_not_decode_are_not_decoded_again_until_the_file_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 59: a truncated JPEG cost its decode at every scan. Remembered by the folder
    file's fingerprint (name, size, time), past the back-off, until the file changes."""
    show = tmp_path / "Show"
    show.mkdir()
    (show / "poster.jpg").write_bytes(jpeg(100, 150)[:-300])  # cut short
    instance = InstanceFactory(kind=Instance.Kind.LIBRARY, url="", root_folders=[str(tmp_path)])
    MediaFactory(instance=instance, arr_id=None, path=str(show))
    counts = refresh_artwork(instance)
    assert counts.fetched == 0 and "cannot be read" in counts.failed[0]
    remembered = ArtworkFetch.objects.get(kind="poster")
    assert remembered.undecodable and remembered.failed_source.startswith("poster.jpg:")

    ArtworkFetch.objects.update(failed_at=timezone.now() - RETRY_FAILED_AFTER * 10)
    decoded: list[bytes] = []
    monkeypatch.setattr(fetch, "thumbnail", lambda data, kind: decoded.append(data))
    assert refresh_artwork(instance).skipped == 1 and decoded == []
    monkeypatch.undo()

    (show / "poster.jpg").write_bytes(jpeg(100, 150))  # a new file, a new fingerprint
    assert refresh_artwork(instance).fetched == 1
    assert not ArtworkFetch.objects.get(kind="poster").undecodable
