""" "Test connection" of a media server against the fakes: the release, how the key
is sent and whether the legacy token headers are on, the libraries and what makes a
write expensive on them, how each instance's items match (by id, by folder,
ambiguously), and the Plex ids Taggarr cannot read."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import override_settings
from django.utils import translation

from fakes.jellyfin import FakeJellyfin, build_library, build_movie, build_series
from fakes.plex import FakePlex, FakePlexTv, agent_guid
from fakes.plex.agents import HAMA
from scanner.actions.check_media_server import server_report
from scanner.connect.sentences import said
from scanner.models import Media, MediaServer, Person, PersonAccount
from tests.factories import InstanceFactory, MediaFactory
from tests.helpers import SERVER_TOKEN

pytestmark = pytest.mark.django_db

LIBRARIES = (
    build_library("TV Shows", "tv", "tvshows", ["/media/tv"], nfo_saver=True),
    build_library("Movies", "movies", "movies", ["/movies"], trickplay=True),
    build_library("Movies 4K", "uhd", "movies", ["/movies4k"], trickplay=True),
)
ITEMS = [
    build_series("s1", "Show", "/media/tv/Show", ProviderIds={"Tvdb": "1"}),
    build_movie("hd", "Film", "/movies/Film (2020)/Film.mkv", ProviderIds={"Tmdb": "7"}),
    build_movie(
        "uhd", "Film", "/movies4k/Film (2020)/Film.mkv", library="uhd", ProviderIds={"Tmdb": "7"}
    ),
    build_movie("other", "Other", "/movies/Other (2020)/Other.mkv"),
]


def _server(
    url: str, kind: str = "jellyfin", mappings: list[dict[str, str]] | None = None
) -> MediaServer:
    server = MediaServer(name="srv", kind=kind, url=url, path_mappings=mappings or [])
    server.set_token(SERVER_TOKEN)
    server.save()
    return server


@pytest.fixture
def jellyfin(request: pytest.FixtureRequest) -> Iterator[FakeJellyfin]:
    version = getattr(request, "param", "10.11.11")
    with FakeJellyfin(
        token=SERVER_TOKEN, items=ITEMS, libraries=LIBRARIES, version=version
    ) as fake:
        yield fake


def test_it_says_what_the_server_is_and_what_makes_its_writes_expensive(
    jellyfin: FakeJellyfin,
) -> None:
    report = server_report(_server(jellyfin.url))
    assert report.ok and report.version == "10.11.11"
    assert report.lines[:5] == (
        "Jellyfin Server 10.11.11 (fake-jellyfin)",
        "key sent in the Authorization header (MediaBrowser token), which every Jellyfin "
        "reads; the server's legacy token headers are on (Taggarr needs none)",
        "libraries: TV Shows (series, NFO saver on), Movies (movie, trickplay on), "
        "Movies 4K (movie, trickplay on)",
        "a series' tag change saves each of its seasons and episodes too and rewrites their "
        "NFOs (TV Shows: NFO saver on): a long show's write takes long (Taggarr waits up to "
        "600 s for it)",
        "trickplay images on (Movies, Movies 4K): Taggarr leaves the items' Trickplay field "
        "out of its writes (this release answers 500 to it)",
    )


@pytest.mark.parametrize("jellyfin", ["10.8.13"], indirect=True)
def test_an_older_release_has_none_of_those_costs(jellyfin: FakeJellyfin) -> None:
    report = server_report(_server(jellyfin.url))
    assert report.lines[1].endswith("which every Jellyfin reads")  # no such setting
    assert report.lines[3] == NO_ORIGINAL
    assert report.lines[4] == "4 series and movies seen"


NO_ORIGINAL = (
    "an item's original language, for the “Original language” audio preference, is set "
    "from Jellyfin 12 on: this release gets the tags only"
)


def test_it_says_once_that_the_original_language_needs_jellyfin_12(
    jellyfin: FakeJellyfin,
) -> None:
    """10.11 has no OriginalLanguage (pull request 12579 is 12.0's)."""
    lines = server_report(_server(jellyfin.url)).lines
    assert lines.count(NO_ORIGINAL) == 1


@pytest.mark.parametrize("jellyfin", ["12.0.0"], indirect=True)
def test_on_jellyfin_12_it_says_the_original_language_is_set(jellyfin: FakeJellyfin) -> None:
    lines = server_report(_server(jellyfin.url)).lines
    assert NO_ORIGINAL not in lines
    assert (
        "with the tags, each item gets its original language, for the “Original language” "
        "audio preference, where it has none or still has the one Taggarr set"
    ) in lines


def test_it_counts_the_matches_by_id_by_folder_and_ambiguous(jellyfin: FakeJellyfin) -> None:
    hd, uhd = InstanceFactory(name="hd", kind="radarr"), InstanceFactory(name="4k", kind="radarr")
    for instance, root in ((hd, "/hd"), (uhd, "/uhd")):
        MediaFactory(instance=instance, kind=Media.Kind.MOVIE, title="Film", tmdb_id=7,
                     path=f"{root}/Film (2020)")  # fmt: skip
        MediaFactory(instance=instance, kind=Media.Kind.MOVIE, title="Other",
                     path=f"{root}/Other (2020)")  # fmt: skip
    # The 4K folder is not mapped: its film matches both copies by id, neither by folder.
    server = _server(jellyfin.url, mappings=[{"remote": "/movies", "local": "/hd"}])
    server.instances.set([hd, uhd])
    lines = server_report(server).lines
    assert (
        "hd: 2 items are matched on the server. Taggarr knows 2 items of this *arr. "
        "1 is matched by id. 1 is matched by folder." in lines
    )
    assert "hd: e.g. 'Film' = 'Film' by TMDb id" in lines
    assert (
        "4k: 1 item is matched on the server. Taggarr knows 2 items of this *arr. "
        "1 is matched ambiguously." in lines
    )
    assert (
        "4k: ambiguous: an id on several server items, none at the item's folder: each "
        "gets the tags (check the path mappings)" in lines
    )
    assert any(line.startswith("4k: not found: 'Other'") for line in lines)


def test_emby_says_how_the_key_is_sent() -> None:
    with FakeJellyfin(token=SERVER_TOKEN, items=ITEMS, version="emby-4.9.0.22") as fake:
        report = server_report(_server(fake.url, kind="emby"))
    assert report.lines[:2] == (
        "Emby Server 4.9.0.22 (fake-emby)",
        "key sent in the X-Emby-Token header",
    )


def test_plex_says_which_items_carry_an_id_it_cannot_read() -> None:
    with FakePlex(token=SERVER_TOKEN) as plex:
        plex.state.add_section("1", "Anime", "show", ["/anime"], agent=HAMA)
        plex.state.add_item("1", "A", "/anime/A", agent_guid=agent_guid(HAMA, "tvdb-1"))
        plex.state.add_item("1", "B", "/anime/B", agent_guid=agent_guid(HAMA, "anidb-2"))
        tv = InstanceFactory(name="tv")
        MediaFactory(instance=tv, title="B", path="/mnt/anime/B")
        server = _server(
            plex.url, kind="plex", mappings=[{"remote": "/anime", "local": "/mnt/anime"}]
        )
        server.instances.set([tv])
        report = server_report(server)
    assert report.lines[:3] == (
        "Plex Media Server 1.41.3.9314-a0bfb8370 (Fake Plex)",
        "key sent in the X-Plex-Token header",
        "libraries: Anime (series)",
    )
    assert report.lines[4] == (
        "1 of them carries an id Taggarr cannot read as TVDB, TMDb or IMDb (e.g. 'B': "
        "com.plexapp.agents.hama://anidb-2): it matches by folder only"
    )
    assert report.lines[5] == (
        "tv: 1 item is matched on the server. Taggarr knows 1 item of this *arr. "
        "1 is matched by folder."
    )


@pytest.mark.parametrize(
    ("version", "kind", "warning"),
    [
        (
            "emby-4.9.0.22",
            "jellyfin",
            "the server does not call itself Jellyfin Server: if it is Emby",
        ),
        ("12.0.0", "emby", "the server calls itself Jellyfin Server: set the kind to jellyfin"),
    ],
)
def test_a_connection_of_the_wrong_kind_is_told(version: str, kind: str, warning: str) -> None:
    with FakeJellyfin(token=SERVER_TOKEN, items=ITEMS, version=version) as fake:
        fake.state.legacy_auth = True  # so that Emby's header gets into Jellyfin 12 at all
        report = server_report(_server(fake.url, kind=kind))
    assert report.lines[1].startswith(warning)


def test_plex_tells_plex_tv_s_refusal_and_the_friends_it_gives_no_token_for() -> None:
    """A Plex server whose people are linked: the test asks plex.tv what the step that
    sets each person's track will ask, and names plex.tv, not the server, when it
    refuses (issue 79, finding 6). plex.tv of March 2026 gives no token for an invited
    friend (fakes/plex/plex_tv.py: arabcoders/watchstate#793)."""
    with FakePlex(token=SERVER_TOKEN) as plex, FakePlexTv(plex.state) as tv:
        plex.state.add_section("1", "TV Shows", "show", ["/tv"])
        server = _server(plex.url, kind="plex")
        person = Person.objects.create(name="Léa", languages=["fra"])
        for user in (tv.state.add_user("Ami", "shared"), tv.state.add_user("Léa", "managed")):
            PersonAccount.objects.create(
                person=person if user.kind == "managed" else Person.objects.create(name="Ami"),
                media_server=server, account_id=str(user.id), account_name=user.title,
                account_kind="plex-shared" if user.kind == "shared" else "plex-managed",
            )  # fmt: skip
        where = tv.url
        with override_settings(PLEX_TV_URL=where):
            before = server_report(server)
            tv.state.withhold_friend_tokens()
            withheld = server_report(server)
            tv.state.fail_with(401)
            refused = server_report(server)

    assert before.ok and before.warnings == ()
    assert withheld.ok and withheld.warnings == (
        "plex.tv hands out no token of this server for Ami: since March 2026 it gives none "
        "for invited friends, so their tracks cannot be set; a Plex Home member or a managed "
        "user of the owner's Plex Home can have theirs",
    )
    assert refused.ok and [said(line) for line in refused.warnings] == [
        f"plex.tv at {where} refused the token (HTTP 401) that the Plex server accepts: "
        "plex.tv lists a server's people and hands out their tokens only for its owner's token"
    ]
    assert refused.lines[-1] == refused.warnings[0]
    with translation.override("fr"):
        assert said(refused.warnings[0]).startswith(f"plex.tv à {where} a refusé le jeton")
