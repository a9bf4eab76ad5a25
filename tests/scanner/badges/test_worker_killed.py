"""On a real worker process: the write of an item's dub badges killed (SIGKILL) in the
middle of its poster's replacement, just before or just after the new file is renamed
over the poster (tests/badge_kill.py). Whichever, the journal says "writing", the
original is kept, and the poster is a whole image: the original (before the rename: the
drawing left beside it in the worker's temporary file, which is no poster's name) or the
drawing (after it). The item is due again (scanner.badges.due); the dead worker's lease
is taken over at once (its holder provably ended: scanner.runtime.item_hold), and the
next turn draws it again on the original, to the same bytes, and ends with one
"written" row and the cut-short one stale, the worker's new file removed; or an undo
puts the original back byte for byte.

What the page's Apply sends (scanner.changes.queue.queue_apply: the task
``scanner.tasks.apply_badges``) is what the worker runs. No test waits for time to
pass: each waits for what the worker logs."""

from __future__ import annotations

import io
import os
import re
import signal
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.utils import timezone
from PIL import Image

from scanner.badges import poster_file, posters
from scanner.badges.act import ACT
from scanner.badges.draw import draw
from scanner.badges.due import due
from scanner.badges.says import Badge
from scanner.badges.style import style
from scanner.changes.queue import queue_apply
from scanner.models import BadgeChange, BadgeLease, Instance, Media, PosterOriginal
from tests.badge_kill import POINTS, kill_point
from tests.factories import InstanceFactory, MediaFactory
from tests.worker import LOG_TIMEOUT, celery_worker

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]

State = BadgeChange.State
SIZE = (300, 450)


def _poster() -> bytes:
    """A poster-like JPEG (a gradient: a misplaced badge shows)."""
    image = Image.linear_gradient("L").resize(SIZE).convert("RGB")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def _whole_image(data: bytes) -> tuple[int, int]:
    """The image's size, once decoded to its last pixel: never half a file."""
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        return image.size


@dataclass
class Killed:
    """An item whose badges' write a worker was killed in the middle of."""

    media: Media
    poster: Path
    original: bytes
    drawing: bytes  # the badges drawn on the original, here: what the worker wrote
    row: BadgeChange  # as the worker left it
    temporary: Path  # the new file the worker wrote beside the poster


def _killed_at(point: str, tmp_path: Path) -> Killed:
    folder = tmp_path / "tv" / "Show"
    folder.mkdir(parents=True)
    original = _poster()
    poster = folder / "poster.jpg"
    poster.write_bytes(original)
    instance = InstanceFactory.create(
        target_languages=["fr-CA"],
        root_folders=[str(folder.parent)],
        badges=Instance.Badges.SET,
    )
    media = MediaFactory.create(
        instance=instance,
        path=str(folder),
        language_verdicts={"fr-CA": "dub"},
        verdict_reasons={"targets": ["fr-CA"]},
    )
    (planned,) = posters.plan_item(media.pk).planned
    row = BadgeChange.objects.get(pk=planned)
    assert row.state == State.PLANNED
    badges = tuple(Badge(**badge) for badge in row.badges)
    assert [badge.text for badge in badges] == ["VFQ"]
    drawing = draw(original, badges, style(media))
    assert drawing != original

    env = {"TAGGARR_TEST_BADGE_KILL": point}
    with celery_worker(extra_env=env, include=("tests.badge_kill",)) as worker:
        assert queue_apply(ACT, change_ids=[row.pk], by="ana", via="admin") == 1
        line = worker.wait_for(re.escape(kill_point(point)) + r"\S+ over " + re.escape(str(poster)))
        os.killpg(worker.pid, signal.SIGKILL)
        worker.process.wait(LOG_TIMEOUT)  # killed: never waits for ever
    found = re.search(re.escape(kill_point(point)) + r"(\S+) over ", line)
    assert found is not None
    temporary = Path(found[1])
    assert temporary.parent == folder
    assert re.fullmatch(r"\.poster\.jpg\.taggarr-\d+\.tmp", temporary.name)
    row.refresh_from_db()
    return Killed(media, poster, original, drawing, row, temporary)


def _as_the_worker_left_it(point: str, killed: Killed) -> None:
    """What every test starts from: the journal, the poster, the original kept, the
    dead worker's lease, and the item due again."""
    media, poster, original, drawing, row = (
        killed.media, killed.poster, killed.original, killed.drawing, killed.row,
    )  # fmt: skip
    # The journal says "writing", with what it was writing; the poster is a whole
    # image: the original before the rename, the drawing after it.
    assert row.state == State.WRITING
    assert row.original_digest == row.seen_digest == poster_file.sha256(original)
    assert row.written_digest == poster_file.sha256(drawing)  # the drawing is deterministic
    now = poster.read_bytes()
    assert _whole_image(now) == SIZE
    listed = {entry.name for entry in poster.parent.iterdir()}
    if point == "before-rename":
        assert now == original
        # Left beside it: the worker's new file, whole and synced (the drawing), under a
        # hidden name no reader of posters looks for (Kodi's, Jellyfin's, Taggarr's own).
        assert listed == {"poster.jpg", killed.temporary.name}
        assert killed.temporary.read_bytes() == drawing
    else:
        assert now == drawing
        assert listed == {"poster.jpg"}  # the new file was renamed: nothing else
    root = str(poster.parent.parent)
    assert poster_file.find(str(poster.parent), root) == str(poster)

    # The original is kept, before the poster changed.
    kept = PosterOriginal.objects.get(digest=poster_file.sha256(original))
    assert bytes(kept.data) == original and kept.size == len(original)

    # The dead worker still holds the item, its process named on the lease: the next
    # take on this host finds it ended and takes it over (scanner.runtime.item_hold).
    lease = BadgeLease.objects.get(media=media)
    assert lease.token is not None and lease.leased_until is not None
    assert lease.leased_until > timezone.now() and lease.holder

    # A write cut short makes the item due again (scanner.badges.due).
    assert due(Media.objects.select_related("instance").get(pk=media.pk), writes=True)


@pytest.mark.parametrize("point", POINTS)
def test_a_write_killed_mid_replace_is_drawn_again_on_the_original_by_the_next_turn(
    point: str, tmp_path: Path
) -> None:
    killed = _killed_at(point, tmp_path)
    _as_the_worker_left_it(point, killed)
    media, poster = killed.media, killed.poster

    done = ACT.run_item(media.pk)  # what the next run's task for the item runs

    assert done.held and done.written == 1
    (written,) = BadgeChange.objects.filter(media=media, state=State.WRITTEN)
    # The row cut short is this one's now: never undone over the new poster.
    assert BadgeChange.objects.get(pk=killed.row.pk).state == State.STALE
    assert not BadgeChange.objects.filter(BadgeChange.UNDOABLE).exclude(pk=written.pk).exists()
    # The new poster the dead worker left beside the old one is gone.
    assert {entry.name for entry in poster.parent.iterdir()} == {"poster.jpg"}
    now = poster.read_bytes()
    assert poster_file.sha256(now) == written.written_digest
    assert now == killed.drawing  # drawn on the original, never on the drawing
    assert _whole_image(now) == SIZE
    assert written.original_digest == poster_file.sha256(killed.original)
    assert PosterOriginal.objects.count() == 1
    assert poster_file.find(str(poster.parent), str(poster.parent.parent)) == str(poster)
    assert not due(Media.objects.select_related("instance").get(pk=media.pk), writes=True)
    assert BadgeLease.objects.get(media=media).token is None  # let go


@pytest.mark.parametrize("point", POINTS)
def test_a_write_killed_mid_replace_is_undone_to_the_original_byte_for_byte(
    point: str, tmp_path: Path
) -> None:
    killed = _killed_at(point, tmp_path)
    _as_the_worker_left_it(point, killed)
    media, poster, row = killed.media, killed.poster, killed.row
    before = poster.read_bytes()

    assert poster.read_bytes() == before
    # Right after the kill: the dead worker's lease is taken over at once, not waited out.
    outcome = posters.undo(change_ids=[row.pk], by="ana")

    assert outcome.counts == {"undone": 1}
    assert poster.read_bytes() == killed.original  # byte for byte
    assert {entry.name for entry in poster.parent.iterdir()} == {"poster.jpg"}
    row.refresh_from_db()
    assert (row.state, row.undone_by) == (State.UNDONE, "ana")
    assert BadgeLease.objects.get(media=media).token is None
