"""The badges of a poster file beside the item, planned, written and undone on real files
(scanner.badges.posters): a dry run writes nothing; a write keeps the original first,
is read back, and undo puts the original back byte for byte; a poster the user changed
is never written over, before or after; a link, a hard link and a poster outside the
library are refused; an unchanged rescan plans nothing; an item that lost its dub gets
its original back."""

from __future__ import annotations

import io
import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from PIL import Image

from scanner.artwork.refresh import refresh_artwork
from scanner.artwork.thumbnails import thumbnail
from scanner.badges import posters, refusals
from scanner.badges.act import ACT
from scanner.badges.draw import CORNERS, LOOKS, SIZES, Style, draw, style_of
from scanner.badges.due import NO_POSTER_AGAIN
from scanner.badges.lease import ITEM, LeaseLost
from scanner.badges.poster_file import sha256
from scanner.badges.says import Badge
from scanner.models import Artwork, BadgeChange, Instance, Media, PosterOriginal
from tests.factories import InstanceFactory, MediaFactory

pytestmark = pytest.mark.django_db

State = BadgeChange.State
TOKEN = 4242


def _poster(shade: int = 0) -> bytes:
    """A poster-like JPEG (a gradient: a misplaced badge shows)."""
    image = Image.linear_gradient("L").resize((300, 450)).convert("RGB")
    if shade:
        image = Image.eval(image, lambda value: (value + shade) % 256)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def _item(folder: Path, *, verdicts: dict[str, str] | None = None) -> Media:
    roots = [str(folder.parent)]
    instance: Instance = InstanceFactory(target_languages=["fr-CA"], root_folders=roots)
    return MediaFactory(
        instance=instance,
        path=str(folder),
        language_verdicts=verdicts if verdicts is not None else {"fr-CA": "dub"},
        verdict_reasons={"targets": ["fr-CA"]},
    )


@pytest.fixture
def show(tmp_path: Path) -> tuple[Media, Path, bytes]:
    folder = tmp_path / "tv" / "Show"
    folder.mkdir(parents=True)
    original = _poster()
    (folder / "poster.jpg").write_bytes(original)
    return _item(folder), folder / "poster.jpg", original


def _plan(media: Media) -> BadgeChange:
    result = posters.plan_item(media.pk)
    (row_id,) = result.planned or result.refused
    return BadgeChange.objects.get(pk=row_id)


def _apply(media: Media) -> BadgeChange:
    assert ITEM.take(media.pk, TOKEN)
    try:
        posters.apply_item(media.pk, token=TOKEN)
    finally:
        ITEM.let_go(media.pk, TOKEN)
    return BadgeChange.objects.filter(media=media).order_by("-pk").first()  # type: ignore[return-value]


def test_a_plan_writes_nothing_and_keeps_nothing(show: tuple[Media, Path, bytes]) -> None:
    media, poster, original = show
    row = _plan(media)
    assert row.state == State.PLANNED and row.path == str(poster)
    assert row.seen_digest == row.original_digest == sha256(original)
    assert [badge["text"] for badge in row.badges] == ["VFQ"]
    assert poster.read_bytes() == original
    assert not PosterOriginal.objects.exists()


def test_the_write_keeps_the_original_first_and_undo_puts_it_back(
    show: tuple[Media, Path, bytes],
) -> None:
    media, poster, original = show
    mode = 0o640
    os.chmod(poster, mode)
    _plan(media)
    row = _apply(media)
    assert row.state == State.WRITTEN
    drawn = poster.read_bytes()
    assert drawn != original and sha256(drawn) == row.written_digest
    assert Image.open(io.BytesIO(drawn)).size == (300, 450)
    assert os.stat(poster).st_mode & 0o777 == mode
    kept = PosterOriginal.objects.get(digest=sha256(original))
    assert bytes(kept.data) == original
    outcome = posters.undo(change_ids=[row.pk], by="ana")
    assert outcome.counts == {"undone": 1}
    assert poster.read_bytes() == original  # byte for byte
    row.refresh_from_db()
    assert row.state == State.UNDONE and row.undone_by == "ana"


def test_a_poster_the_user_changed_after_the_plan_is_not_written(
    show: tuple[Media, Path, bytes],
) -> None:
    media, poster, _original = show
    _plan(media)
    theirs = _poster(shade=60)
    poster.write_bytes(theirs)
    row = _apply(media)
    assert row.state == State.REFUSED and row.refusal == refusals.CHANGED
    assert poster.read_bytes() == theirs
    assert posters.due(media)  # planned again by the next scan


def test_a_poster_the_user_changed_after_the_write_is_left_alone_by_undo(
    show: tuple[Media, Path, bytes],
) -> None:
    media, poster, _original = show
    _plan(media)
    row = _apply(media)
    theirs = _poster(shade=90)
    poster.write_bytes(theirs)
    outcome = posters.undo(change_ids=[row.pk])
    assert outcome.counts == {"refused": 1}
    assert poster.read_bytes() == theirs
    row.refresh_from_db()
    assert row.state == State.WRITTEN and row.detail["undo"] == refusals.CHANGED
    assert "left alone" in refusals.undo_text(row.detail["undo"])


def test_an_unchanged_rescan_plans_nothing_and_a_new_dub_redraws_from_the_original(
    show: tuple[Media, Path, bytes],
) -> None:
    media, poster, original = show
    _plan(media)
    first = _apply(media)
    assert not posters.due(media)
    assert posters.plan_item(media.pk).planned == []
    media.language_verdicts = {"fr-CA": "dub", "eng": "dub"}
    media.verdict_reasons = {"targets": ["fr-CA", "eng"]}
    media.save()
    assert posters.due(media)
    again = _plan(media)
    assert again.original_digest == sha256(original)  # never badges drawn on badges
    assert again.seen_digest == first.written_digest
    second = _apply(media)
    assert second.state == State.WRITTEN and [b["text"] for b in second.badges] == ["VFQ", "EN"]
    posters.undo(change_ids=[second.pk])
    assert poster.read_bytes() == original


def test_an_item_that_lost_its_dub_gets_its_original_back(
    show: tuple[Media, Path, bytes],
) -> None:
    media, poster, original = show
    _plan(media)
    _apply(media)
    media.language_verdicts = {"fr-CA": "none"}
    media.save()
    assert posters.due(media)
    row = _plan(media)
    assert row.badges == []
    _apply(media)
    assert poster.read_bytes() == original


@pytest.mark.parametrize("kind", ["link", "hardlinked", "outside"])
def test_a_poster_not_the_librarys_own_is_refused(tmp_path: Path, kind: str) -> None:
    folder = tmp_path / "tv" / "Show"
    folder.mkdir(parents=True)
    elsewhere = tmp_path / "elsewhere.jpg"
    elsewhere.write_bytes(_poster())
    poster = folder / "poster.jpg"
    if kind == "link":
        poster.symlink_to(elsewhere)
    elif kind == "hardlinked":
        os.link(elsewhere, poster)
    else:
        folder.rmdir()
        (tmp_path / "other").mkdir()
        (tmp_path / "other" / "poster.jpg").write_bytes(_poster())
        folder.symlink_to(tmp_path / "other")  # the item's folder leads out of the library
    media = _item(folder)
    row = _plan(media)
    if kind == "hardlinked":  # said by the plan (a dry run shows it)
        assert row.detail == {"links": "2"}
        assert "2 hard links" in refusals.refusal_text(row.refusal, row.detail)
    expected = {"link": refusals.OUTSIDE, "hardlinked": refusals.HARDLINKED}
    assert row.state == State.REFUSED
    assert row.refusal in {expected.get(kind, refusals.OUTSIDE), refusals.LINK}
    assert elsewhere.read_bytes() == _poster()


def test_no_poster_is_said_once_and_looked_for_again_when_artwork_came(tmp_path: Path) -> None:
    """A folder without a poster is not looked at again at every run (a row per run per
    item): only once Taggarr's artwork refresh fetched the item's poster since, or a
    week later."""
    folder = tmp_path / "tv" / "Show"
    folder.mkdir(parents=True)
    media = _item(folder)
    row = _plan(media)
    assert row.refusal == refusals.NO_POSTER
    assert "poster.jpg" in refusals.refusal_text(row.refusal)
    assert not posters.due(media)
    Artwork.objects.create(
        media=media, kind=Artwork.Kind.POSTER, data=b"", digest="0" * 64,
        source="poster.jpg:1:1", fetched_at=timezone.now(),
    )  # fmt: skip
    assert posters.due(media)
    Artwork.objects.all().delete()
    BadgeChange.objects.filter(pk=row.pk).update(
        planned_at=timezone.now() - NO_POSTER_AGAIN - timedelta(minutes=1)
    )
    assert posters.due(media)


def test_a_poster_that_is_no_image_is_refused_at_the_plan(tmp_path: Path) -> None:
    folder = tmp_path / "tv" / "Show"
    folder.mkdir(parents=True)
    (folder / "poster.jpg").write_bytes(b"\xff\xd8 not a jpeg at all")
    row = _plan(_item(folder))
    assert row.state == State.REFUSED and row.refusal == refusals.NOT_AN_IMAGE


def test_an_item_without_a_dub_plans_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "tv" / "Show"
    folder.mkdir(parents=True)
    (folder / "poster.jpg").write_bytes(_poster())
    media = _item(folder, verdicts={"fr-CA": "none"})
    assert not posters.due(media)
    assert posters.plan_item(media.pk).planned == []
    assert not BadgeChange.objects.exists()


def test_the_thumbnail_taggarr_keeps_is_made_from_the_original_not_the_drawing(
    show: tuple[Media, Path, bytes],
) -> None:
    """A library folder's artwork refresh reads poster.jpg (scanner.artwork): once the
    badges are drawn on it, the item's thumbnail (what the preview draws on) is made from
    the original Taggarr kept, so that its preview never shows badges on badges."""
    media, poster, original = show
    media.instance.kind = Instance.Kind.LIBRARY
    media.instance.url = ""
    media.instance.save()
    _plan(media)
    _apply(media)
    assert poster.read_bytes() != original
    refresh_artwork(media.instance)
    kept = Artwork.objects.get(media=media, kind=Artwork.Kind.POSTER)
    from_original = thumbnail(original, "poster")
    from_drawing = thumbnail(poster.read_bytes(), "poster")
    assert from_original.digest != from_drawing.digest
    assert kept.digest == from_original.digest


def test_the_instances_corner_and_size_are_drawn_and_a_new_look_plans_again(
    show: tuple[Media, Path, bytes],
) -> None:
    media, poster, original = show
    _plan(media)
    top_left = _apply(media)
    assert not posters.due(media)
    Instance.objects.filter(pk=media.instance_id).update(
        badges_corner=Instance.BadgeCorner.BOTTOM_RIGHT, badges_size=Instance.BadgeSize.LARGE
    )
    media.refresh_from_db()
    assert posters.due(media)  # the look changed: drawn again, on the original
    again = _plan(media)
    assert again.original_digest == top_left.original_digest
    redrawn = _apply(media)
    assert redrawn.written_digest != top_left.written_digest
    # Drawing is deterministic: the poster is the original drawn in the new look.
    badges = tuple(Badge(**badge) for badge in redrawn.badges)
    assert poster.read_bytes() == draw(original, badges, Style("bottom-right", "large"))


def test_the_options_name_the_drawings_corners_and_sizes() -> None:
    """One fact twice (the model's choices, the drawing's names): they must agree."""
    assert Instance.BadgeCorner.values == list(CORNERS)
    assert Instance.BadgeSize.values == list(SIZES)
    assert Instance.BadgeLook.values == list(LOOKS)
    assert style_of("middle", "huge", "emoji") == Style()


def test_a_poster_hardlinked_after_the_plan_is_refused_by_the_write(
    show: tuple[Media, Path, bytes], tmp_path: Path
) -> None:
    media, poster, original = show
    _plan(media)
    os.link(poster, tmp_path / "seeding.jpg")  # a download now shares it
    row = _apply(media)
    assert row.state == State.REFUSED and row.refusal == refusals.HARDLINKED
    assert poster.read_bytes() == original


def test_a_poster_that_cannot_be_written_is_left_as_it_was_and_said(
    show: tuple[Media, Path, bytes],
) -> None:
    """The new poster cannot be made beside the old one (here a folder squats its
    name; elsewhere a read-only or full share): the row says it failed, with the
    system's words, the poster is untouched and nothing is left half written."""
    media, poster, original = show
    _plan(media)
    squatter = poster.parent / f".{poster.name}.taggarr-{os.getpid()}.tmp"
    squatter.mkdir()
    (squatter / "inside").write_text("x")
    row = _apply(media)
    assert row.state == State.FAILED and row.refusal == refusals.WRITE_FAILED
    assert row.detail["why"]
    assert poster.read_bytes() == original
    assert "could not be written" in refusals.refusal_text(row.refusal, row.detail)


def test_a_write_whose_lease_was_taken_by_another_task_writes_nothing(
    show: tuple[Media, Path, bytes],
) -> None:
    """The fence: a task whose lease another task took (it stalled past its lease) stops
    before the poster changes, the row still planned; the holder is the one that writes,
    and a page's apply meanwhile is told the item is held."""
    media, poster, original = show
    row = _plan(media)
    assert ITEM.take(media.pk, 111)  # the other task holds the item
    with pytest.raises(LeaseLost):
        posters.apply_item(media.pk, token=222)
    assert poster.read_bytes() == original
    assert BadgeChange.objects.get(pk=row.pk).state == State.PLANNED
    assert ACT.apply_held(media.pk, None, token=333, by="", via="") is None
    ITEM.let_go(media.pk, 111)
    assert ACT.apply_held(media.pk, None, token=333, by="", via="") is not None
    assert poster.read_bytes() != original
