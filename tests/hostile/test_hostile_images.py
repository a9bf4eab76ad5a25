"""Posters and fanart that cost far more to decode than their size (issue 59): each is
refused from its header, before a pixel is decoded (the decoder is never called), with
its reason; an ordinary image still makes a thumbnail.

A progressive JPEG of a few hundred scans that hold nothing: libjpeg goes over every
block of the image at each (4000 x 6000 with ~380,000 of them kept a thread 1,459 s);
libjpeg-turbo lets a caller refuse them (``TJPARAM_SCANLIMIT``, turbojpeg.h: "guard
against an exploit of the progressive JPEG format"). A 48 KB PNG of 1 x 24,999,999
pixels, under the pixel limit, took 521 MB: Pillow keeps a pointer per line.

A library folder's poster is read only as a regular file inside the library
(scanner.engine.regular_files): a link out of it showed an image from elsewhere on the
disk, and a device swapped in after the folder was looked at was read."""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PIL import Image, ImageFile

from scanner.artwork import image_bounds, thumbnails
from scanner.artwork.folder_files import FolderFile, find_folder_file, read_folder_file
from scanner.artwork.refresh import refresh_artwork
from scanner.artwork.thumbnails import NotAnImage, thumbnail
from scanner.engine.regular_files import UnsafeFile
from scanner.models import Artwork, ArtworkFetch, Instance
from tests.factories import InstanceFactory, MediaFactory
from tests.scanner.artwork.images import jpeg, many_scans_jpeg, png_of, progressive_jpeg


@pytest.fixture
def never_decoded(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    def refuse(self: ImageFile.ImageFile) -> None:
        raise AssertionError("decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse)
    yield


@pytest.mark.parametrize(
    ("make", "said"),
    [
        (lambda: many_scans_jpeg(64, 64, 300), "more than 200 scans"),
        (lambda: many_scans_jpeg(64, 64, 300, truncated=True), "more than 200 scans"),
        (lambda: png_of(1, 24_999_999), "1 by 24999999 pixels"),  # 48 KB
        (lambda: png_of(400, 9_000), "no poster's or fanart's shape"),
        (lambda: png_of(12_000, 1_000), "12000 by 1000 pixels"),  # a side past 10,000
        # 14 megapixels of one bit each: 70 MB once made RGB.
        (lambda: png_of(3_800, 3_800), "69 MB to decode, more than 64 MB"),
    ],
    ids=["scans", "scans-truncated", "1x25M", "aspect", "side", "bits-to-rgb"],
)
def test_a_costly_image_is_refused_from_its_header(
    make: Callable[[], bytes], said: str, never_decoded: None
) -> None:
    with pytest.raises(NotAnImage, match=said):
        thumbnail(make(), "poster")


def test_a_progressive_jpegs_coefficients_count_whatever_the_scale() -> None:
    """libjpeg holds every block's coefficients of a progressive JPEG until its last
    scan (jdcoefct.c), even decoded at an eighth: 4000 x 6000 at 4:2:0 is 72 MB. The
    header alone tells, so the image need not be made (its SOF is patched)."""
    data = bytearray(progressive_jpeg(16, 16))
    frame = data.index(b"\xff\xc2")
    data[frame + 5 : frame + 9] = (6000).to_bytes(2, "big") + (4000).to_bytes(2, "big")
    with Image.open(io.BytesIO(bytes(data))) as image:
        original = image.size
        image.draft("RGB", thumbnails.BOXES["poster"])
        assert image.size == (500, 750)
        with pytest.raises(
            image_bounds.TooCostly, match=r"4000 by 6000 pixels: [67][0-9] MB to decode"
        ):
            image_bounds.check_decode_cost(image, original)


def test_scan_markers_inside_metadata_are_not_counted() -> None:
    """Bytes 0xFF 0xDA in an APP segment are no scan: the walk skips segments by their
    length, as libjpeg reads them (jdmarker.c, skip_variable)."""
    data = progressive_jpeg(32, 32)
    comment = b"\xff\xda" * 400
    app = b"\xff\xe9" + (len(comment) + 2).to_bytes(2, "big") + comment
    crafted = data[:2] + app + data[2:]
    assert image_bounds.jpeg_scans(crafted, image_bounds.MAX_SCANS) == data.count(b"\xff\xda")
    assert thumbnail(crafted, "poster").width == 32


def test_one_decode_at_a_time_in_a_process(monkeypatch: pytest.MonkeyPatch) -> None:
    held = []
    check = image_bounds.check_header

    def spy(image: Image.Image, data: bytes) -> None:
        held.append(thumbnails._decoding.locked())
        check(image, data)

    monkeypatch.setattr(thumbnails, "check_header", spy)
    assert thumbnail(jpeg(300, 450), "poster").height == 250
    assert held == [True] and not thumbnails._decoding.locked()


def test_any_decoder_error_is_an_image_that_cannot_be_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Not only OSError: a decoder's odd error (a struct.error, an IndexError) must not
    leave the refresh without its failure remembered (scanner.artwork.fetch)."""

    def broken(self: ImageFile.ImageFile) -> None:
        raise IndexError("tile out of range")

    monkeypatch.setattr(ImageFile.ImageFile, "load", broken)
    with pytest.raises(NotAnImage, match="IndexError"):
        thumbnail(png_of(100, 150, mode="RGBA"), "poster")


@pytest.mark.django_db
def test_a_poster_linked_out_of_the_library_is_not_read(tmp_path: Path) -> None:
    library, elsewhere = tmp_path / "tv", tmp_path / "home"
    (library / "Show").mkdir(parents=True)
    elsewhere.mkdir()
    (elsewhere / "private.jpg").write_bytes(jpeg(100, 150))
    (library / "Show" / "poster.jpg").symlink_to(elsewhere / "private.jpg")
    (library / "Show" / "fanart.jpg").symlink_to(library / "Show" / "poster.jpg")
    (library / "Show" / "folder.jpg").write_bytes(jpeg(100, 150))  # poster.jpg comes first
    instance = InstanceFactory(kind=Instance.Kind.LIBRARY, url="", root_folders=[str(library)])
    MediaFactory(instance=instance, arr_id=None, path=str(library / "Show"))
    counts = refresh_artwork(instance)
    assert counts.fetched == 0 and len(counts.failed) == 2
    assert "out of the library" in counts.failed[0]
    assert not Artwork.objects.exists()
    assert ArtworkFetch.objects.filter(failure__contains="out of the library").count() == 2


def test_a_device_swapped_in_for_the_poster_is_refused_at_once(tmp_path: Path) -> None:
    """Looked at, it was a file; read, it is /dev/zero (a FIFO is refused the same way,
    never waited on): what is checked is the descriptor read."""
    show = tmp_path / "Show"
    show.mkdir()
    (show / "poster.jpg").write_bytes(jpeg(100, 150))
    found = find_folder_file(str(show), "poster", str(tmp_path))
    assert isinstance(found, FolderFile)
    os.remove(show / "poster.jpg")
    (show / "poster.jpg").symlink_to("/dev/zero")
    with pytest.raises(UnsafeFile) as refused:
        read_folder_file(found)
    assert refused.value.code == "not_regular"
    os.remove(show / "poster.jpg")
    os.mkfifo(show / "poster.jpg")
    with pytest.raises(UnsafeFile):
        read_folder_file(found)
