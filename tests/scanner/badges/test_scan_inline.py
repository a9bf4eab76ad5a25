"""The badges end to end on a new user's settings, no worker: a library folder of films,
a Quebec household, a poster.jpg beside each film (as Radarr's Kodi metadata saves it).
``scan --inline`` plans after the scan (off by default: nothing), draws on "set", and
never on a dry run; ``manage.py changes --kind badges`` plans, applies and undoes; the
one review of every act's changes lists the poster's row."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from PIL import Image

from fakes.jellyfin import FakeJellyfin, build_movie
from scanner.badges.poster_file import sha256
from scanner.changes.review import Filters, page_of
from scanner.models import BadgeChange, Instance, MediaServer
from tests.helpers import SERVER_TOKEN, scan_inline
from tests.scanner.default_tracks.quebec import Films, films, quebec_instance

__all__ = ["films"]

State = BadgeChange.State


def _poster() -> bytes:
    image = Image.linear_gradient("L").resize((200, 300)).convert("RGB")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


@pytest.fixture
def poster(films: Films) -> Path:
    """The poster of the film whose VFQ is a dub (its MULTi: English, VFF, VFQ)."""
    path = films.multi.parent / "poster.jpg"
    path.write_bytes(_poster())
    return path


def _instance(films: Films, **options: object) -> Instance:
    values: dict[str, object] = {"default_tracks": Instance.DefaultTracks.OFF, **options}
    return quebec_instance(films, **values)


@pytest.mark.django_db(transaction=True)
def test_off_by_default_nothing_is_planned_or_drawn(films: Films, poster: Path) -> None:
    before = poster.read_bytes()
    assert Instance._meta.get_field("badges").default == Instance.Badges.OFF
    scan_inline(_instance(films))
    assert poster.read_bytes() == before
    assert not BadgeChange.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_set_draws_the_dub_after_the_scan_and_a_dry_run_draws_nothing(
    films: Films, poster: Path
) -> None:
    before = poster.read_bytes()
    instance = _instance(films, badges=Instance.Badges.SET)
    scan_inline(instance, dry_run=True)
    assert poster.read_bytes() == before  # a dry run is dry: planned only
    assert BadgeChange.objects.get(path=str(poster)).state == State.PLANNED
    run = scan_inline(instance)
    change = BadgeChange.objects.get(path=str(poster), state=State.WRITTEN)
    assert change.run_id == run.pk
    assert [badge["text"] for badge in change.badges] == ["VFQ"]
    assert sha256(poster.read_bytes()) == change.written_digest != sha256(before)
    # The other films have no poster file: said once each, nothing drawn.
    refused = BadgeChange.objects.filter(state=State.REFUSED).values_list("refusal", flat=True)
    assert set(refused) <= {"no-poster"}
    # The one review of every act's changes lists it, undoable.
    lines = [entry.line for entry in page_of(Filters(act="badges"), 1, 50).entries]
    line = next(line for line in lines if line.change_id == change.pk)
    assert line.act_label == "Dub badges" and line.undoable
    assert (line.shifts[0].before, line.shifts[0].after) == ("—", "VFQ")
    # A second scan draws nothing again.
    written = poster.read_bytes()
    scan_inline(instance)
    assert poster.read_bytes() == written
    assert BadgeChange.objects.filter(state=State.WRITTEN).count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_command_plans_applies_and_undoes_byte_for_byte(films: Films, poster: Path) -> None:
    before = poster.read_bytes()
    instance = _instance(films, badges=Instance.Badges.PLAN)
    scan_inline(instance)
    assert poster.read_bytes() == before
    out = io.StringIO()
    call_command("badges", "apply", "--instance", str(instance.pk), stdout=out)
    assert "written" in out.getvalue()
    assert poster.read_bytes() != before
    out = io.StringIO()
    call_command("changes", "--kind", "badges", "undo", "--instance", instance.name, stdout=out)
    assert poster.read_bytes() == before
    assert BadgeChange.objects.get(path=str(poster), state=State.UNDONE)


@pytest.mark.django_db(transaction=True)
def test_set_draws_on_the_jellyfin_poster_too_and_a_rescan_sends_nothing(films: Films) -> None:
    """A household whose Jellyfin shows the films (no poster file beside them): the one
    opt-in draws on the server's poster of the dubbed film, a rescan sends nothing, and
    the one undo gives the server's original back."""
    remote = f"/media/movies/{films.multi.parent.name}/{films.multi.name}"
    film = build_movie("m1", "Film", remote)
    with FakeJellyfin(token=SERVER_TOKEN, items=[film], version="10.10.7") as jellyfin:
        original = _poster()
        jellyfin.state.set_image("m1", "Primary", original, "image/jpeg")
        instance = _instance(films, badges=Instance.Badges.SET)
        server = MediaServer(
            name="Salon",
            url=jellyfin.url,
            path_mappings=[{"remote": "/media/movies", "local": str(films.root)}],
        )
        server.set_token(SERVER_TOKEN)
        server.save()
        server.instances.set([instance])
        scan_inline(instance)
        change = BadgeChange.objects.get(where="server", state=State.WRITTEN)
        stored = jellyfin.state.image("m1", "Primary")
        assert stored is not None and sha256(stored.data) == change.written_digest
        assert [badge["text"] for badge in change.badges] == ["VFQ"]
        writes = jellyfin.state.image_writes()
        scan_inline(instance)
        assert jellyfin.state.image_writes() == writes  # an unchanged rescan sends nothing
        call_command("badges", "undo", "--instance", instance.name)
        stored = jellyfin.state.image("m1", "Primary")
        assert stored is not None and stored.data == original
