"""Issue 95's "Done when", end to end on a new user's settings plus the one opt-in (the
instance's **Dub badges on posters** on "set"), no worker (``scan --inline``): a Quebec
and a Latin-American household's libraries of real files, read by the real MediaInfo,
each film's poster in its folder (Kodi's ``poster.jpg``) and on the household's media
servers (the fakes of Jellyfin 10.8 and 12, Emby, Plex, from their sources). Every
dubbed film gets its variety's badge everywhere, and nothing else does; an unchanged
rescan sends nothing; a poster the user changed afterwards is left alone by undo, which
gives every other original back byte for byte."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.management import call_command
from PIL import Image

from fakes.jellyfin import FakeJellyfin, build_movie
from fakes.plex import FakePlex
from scanner.badges.poster_file import sha256
from scanner.models import BadgeChange, Instance, MediaServer
from tests.factories import InstanceFactory
from tests.helpers import SERVER_TOKEN, scan_inline
from tests.media import AudioSpec
from tests.mkv_files import mkvmerge_file

pytestmark = pytest.mark.django_db(transaction=True)

State = BadgeChange.State
ENG = AudioSpec("eng", default=True)


@dataclass(frozen=True)
class Household:
    """A library of films: folder name -> its audio, and the badge it should get."""

    target: str
    films: dict[str, tuple[tuple[AudioSpec, ...], str | None]]
    servers: tuple[str, ...]  # "jellyfin-10.8.13", "emby-4.9.0.22", "plex"


QUEBEC = Household(
    "fr-CA",
    {
        "Film VFQ (2020)": (
            (ENG, AudioSpec("fr-FR", title="VFF"), AudioSpec("fr-CA", title="VFQ")),
            "VFQ",
        ),
        "Film VFF (2021)": ((ENG, AudioSpec("fr-FR", title="VFF")), None),
        "Film EN (2022)": ((ENG,), None),
    },
    ("jellyfin-10.8.13", "jellyfin-12.0.0", "plex"),
)
LATINO = Household(
    "es-419",
    {
        "Película Latino (2019)": ((ENG, AudioSpec("es-419", title="Latino")), "Latino"),
        "Película Castellano (2020)": ((ENG, AudioSpec("es-ES", title="Castellano")), None),
        "Película EN (2021)": ((ENG,), None),
    },
    ("emby-4.9.0.22", "plex"),
)


def _poster(shade: int) -> bytes:
    image = Image.linear_gradient("L").resize((200, 300)).convert("RGB")
    image = Image.eval(image, lambda value: (value + shade) % 256)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


@dataclass
class Servers:
    """The household's fakes, and each film's poster on each: (server, folder) -> bytes."""

    jellyfins: dict[str, FakeJellyfin] = field(default_factory=dict)
    plex: FakePlex | None = None
    ids: dict[tuple[str, str], str] = field(default_factory=dict)  # (server, folder) -> id

    def poster(self, server: str, folder: str) -> bytes | None:
        item = self.ids[(server, folder)]
        if server == "plex":
            assert self.plex is not None
            return self.plex.state.poster(int(item))
        stored = self.jellyfins[server].state.image(item, "Primary")
        return None if stored is None else stored.data

    def set_poster(self, server: str, folder: str, data: bytes) -> None:
        item = self.ids[(server, folder)]
        if server == "plex":
            assert self.plex is not None
            self.plex.state.add_poster(int(item), data, provider="tmdb", selected=True)
        else:
            self.jellyfins[server].state.set_image(item, "Primary", data, "image/jpeg")

    def writes(self) -> int:
        sent = sum(len(fake.state.image_writes()) for fake in self.jellyfins.values())
        return sent + (len(self.plex.state.poster_uploads()) if self.plex is not None else 0)


def _library(root: Path, household: Household) -> dict[str, Path]:
    files = {}
    for number, (folder, (audio, _badge)) in enumerate(household.films.items()):
        files[folder] = mkvmerge_file(root / folder / f"{folder}.mkv", audio)
        (root / folder / "poster.jpg").write_bytes(_poster(number * 50))
    return files


@pytest.fixture(params=[QUEBEC, LATINO], ids=["quebec", "latino"])
def household(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[Household, Instance, Servers, Path]]:
    home: Household = request.param
    root = tmp_path / "movies"
    _library(root, home)
    instance: Instance = InstanceFactory(
        kind=Instance.Kind.LIBRARY, url="", library_content="movies", root_folders=[str(root)],
        original_language="eng", target_languages=[home.target],
        badges=Instance.Badges.SET,
    )  # fmt: skip
    servers = Servers()
    with ExitStack() as stack:
        for number, name in enumerate(home.servers):
            shade = 100 + number * 30
            if name == "plex":
                plex = stack.enter_context(FakePlex(token=SERVER_TOKEN))
                plex.state.add_section("1", "Movies", "movie", ["/media/movies"])
                for folder in home.films:
                    item = plex.state.add_item("1", folder, f"/media/movies/{folder}/{folder}.mkv")
                    plex.state.add_poster(item.rating_key, _poster(shade), provider="local")
                    servers.ids[(name, folder)] = str(item.rating_key)
                servers.plex = plex
                url, kind = plex.url, MediaServer.Kind.PLEX
            else:
                version = name.split("-", 1)[1] if name.startswith("jellyfin") else name
                films = [
                    build_movie(f"m{n}", folder, f"/media/movies/{folder}/{folder}.mkv")
                    for n, folder in enumerate(home.films)
                ]
                fake = stack.enter_context(
                    FakeJellyfin(token=SERVER_TOKEN, items=films, version=version)
                )
                for n, folder in enumerate(home.films):
                    fake.state.set_image(f"m{n}", "Primary", _poster(shade + n), "image/jpeg")
                    servers.ids[(name, folder)] = f"m{n}"
                servers.jellyfins[name] = fake
                url = fake.url
                kind = (
                    MediaServer.Kind.EMBY if name.startswith("emby") else MediaServer.Kind.JELLYFIN
                )
            server = MediaServer(
                name=name, kind=kind, url=url,
                path_mappings=[{"remote": "/media/movies", "local": str(root)}],
            )  # fmt: skip
            server.set_token(SERVER_TOKEN)
            server.save()
            server.instances.set([instance])
        yield home, instance, servers, root


def test_every_film_gets_its_varietys_badge_everywhere_and_undo_gives_every_original_back(
    household: tuple[Household, Instance, Servers, Path],
) -> None:
    home, instance, servers, root = household
    folder_before = {folder: (root / folder / "poster.jpg").read_bytes() for folder in home.films}
    server_before = {key: servers.poster(*key) for key in servers.ids}

    scan_inline(instance)

    for folder, (_audio, badge) in home.films.items():
        rows = BadgeChange.objects.filter(media__path=str(root / folder))
        written = rows.filter(state=State.WRITTEN)
        if badge is None:  # no dub in the household's variety: nothing anywhere
            assert not written.exists(), folder
            assert (root / folder / "poster.jpg").read_bytes() == folder_before[folder]
            assert all(
                servers.poster(s, folder) == server_before[(s, folder)] for s in home.servers
            )
            continue
        # One written row per place: the folder's poster and each server's.
        assert written.count() == 1 + len(home.servers), list(
            rows.values("path", "state", "refusal")
        )
        assert {tuple(b["text"] for b in row.badges) for row in written} == {(badge,)}
        on_file = sha256((root / folder / "poster.jpg").read_bytes())
        assert on_file == written.get(where="folder").written_digest
        for name in home.servers:
            row = written.get(where="server", server__name=name)
            shown = servers.poster(name, folder)
            assert shown is not None and sha256(shown) == row.written_digest, name

    sent = servers.writes()
    scan_inline(instance)  # an unchanged rescan
    assert servers.writes() == sent

    # The user chooses another poster for the dubbed film on the first server: undo
    # leaves it, and gives every other original back byte for byte.
    dubbed = next(folder for folder, (_a, badge) in home.films.items() if badge)
    theirs = _poster(7)
    first = home.servers[0]
    servers.set_poster(first, dubbed, theirs)
    call_command("badges", "undo", "--instance", instance.name)

    assert servers.poster(first, dubbed) == theirs
    for folder in home.films:
        assert (root / folder / "poster.jpg").read_bytes() == folder_before[folder]
        for name in home.servers:
            if (name, folder) != (first, dubbed):
                assert servers.poster(name, folder) == server_before[(name, folder)], (name, folder)
