"""A person's page (issue 70 items 3 and 4, web.admin.person_page): what they will hear
as sentences with their counts, each leading to a bounded page of its items; per
Jellyfin account, the account's own playback settings read from the fake Jellyfin
(fakes/jellyfin: ``GET /Users/{userId}``, UserController; the Configuration members of
UserConfiguration.cs) and the advice on them; a server that is down leaves the page
working and says why; a Plex account's section waits for the Plex step."""

from __future__ import annotations

import re
import socket
from collections.abc import Sequence
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from fakes.jellyfin import FakeJellyfin
from scanner.engine.file_varieties import with_file_varieties
from scanner.engine.tracks import FileTracks, make_track
from scanner.household.counts import count_person
from scanner.models import MediaServer, Person, PersonAccount, TrackRun
from tests.factories import InstanceFactory, MediaFactory, MediaFileFactory
from tests.helpers import SERVER_TOKEN

pytestmark = pytest.mark.django_db

QUEBEC = {  # a child's account as a parent left it: French (Canada), the file's default
    "AudioLanguagePreference": "frc",
    "PlayDefaultAudioTrack": True,
    "SubtitleMode": "None",
}


def _tracks(name: str, audio: Sequence[Any]) -> dict[str, Any]:
    tracks = with_file_varieties(FileTracks(tuple(audio), ()), name)
    return {"audio_tracks": [track.to_dict() for track in tracks.audio], "subtitle_tracks": []}


def _library() -> dict[str, Any]:
    tv = InstanceFactory(name="tv")
    films = InstanceFactory(name="films", kind="radarr")
    cartoon = MediaFactory(instance=tv, title="Cartoon", original_language="eng")
    vfq = _tracks(
        "Cartoon.S01E01.MULTi.VFQ.mkv",
        [make_track(1, "eng", None, default=True), make_track(2, "fre", None)],
    )
    vf2 = _tracks(
        "Cartoon.S01E03.VF2.mkv", [make_track(1, "fre", None), make_track(2, "fre", None)]
    )
    MediaFileFactory(media=cartoon, path="C1.mkv", episodes=[1], **vfq)
    MediaFileFactory(media=cartoon, path="C2.mkv", episodes=[2], **vfq)
    MediaFileFactory(media=cartoon, path="C3.mkv", episodes=[3], **vf2)
    film = MediaFactory(instance=films, kind="movie", title="Film", original_language="eng")
    vff = _tracks("Film.2020.mkv", [make_track(1, "eng", None), make_track(2, "fre", "VFF")])
    MediaFileFactory(media=film, path="Film.mkv", **vff)
    return {"cartoon": cartoon, "film": film}


def _lea() -> Person:
    return _counted(Person.objects.create(name="Léa", languages=["fr-CA", "fra"]))


def _counted(person: Person) -> Person:
    """``person`` counted as a worker counts (the page reads the stored figures)."""
    assert count_person(person.pk)
    return person


def _text(client: Client, url: str, language: str = "en") -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, response.content.decode()[:2000]
    return re.sub(r"[ \t\r\n]+", " ", response.content.decode().replace("&#x27;", "'"))


def _plex_account(person: Person, kind: str = "plex-managed") -> PersonAccount:
    """``person``'s account on a Plex server named "plex" (never asked: the page reads
    only what the step stored)."""
    plex = MediaServer(name="plex", kind=MediaServer.Kind.PLEX, url="http://plex:32400")
    plex.set_token(SERVER_TOKEN)
    plex.save()
    return PersonAccount.objects.create(
        person=person, media_server=plex, account_id="22", account_name="Léa",
        account_kind=kind,
    )  # fmt: skip


def _jellyfin(name: str, url: str) -> MediaServer:
    server = MediaServer(name=name, kind=MediaServer.Kind.JELLYFIN, url=url)
    server.set_token(SERVER_TOKEN)
    server.save()
    return server


def test_the_dry_run_in_sentences_with_its_counts(admin_client: Client) -> None:
    _library()
    lea = _lea()
    url = f"/admin/scanner/person/{lea.pk}/tracks/"
    text = _text(admin_client, url)
    assert "Léa: what will play" in text
    assert f'<a href="{url}series/variety/">2 episodes will play in Canadian French.</a>' in text
    assert "1 episode is uncertain: nothing will be chosen for it." in text
    assert "1 movie has only French (France)." in text
    assert "No media server account is linked to Léa" in text
    french = _text(admin_client, url, "fr")
    assert "Léa\u00a0: ce qui sera lu" in french
    assert "2 épisodes seront lus en français canadien." in french
    assert "1 film n'existe qu'en français (France)." in french
    assert "Aucun compte de serveur multimédia n'est lié à Léa" in french
    german = _text(admin_client, url, "de")
    assert "Léa: was abgespielt wird" in german
    assert "2 Folgen werden auf Französisch (Kanada) abgespielt." in german
    assert "1 Film gibt es nur auf Französisch (Frankreich)." in german


def test_the_items_of_one_outcome_with_the_doubt_and_bounded_paging(admin_client: Client) -> None:
    library = _library()
    lea = _lea()
    base = f"/admin/scanner/person/{lea.pk}/tracks/series/uncertain/"
    text = _text(admin_client, base)
    assert f'data-media="{library["cartoon"].pk}"' in text
    assert "1 episode is uncertain: nothing will be chosen for it." in text
    assert "The release name says the file holds Canadian French, not which track it is." in text
    clamped = _text(admin_client, base + "?limit=100000&offset=-4")
    assert "items 1 to 1" in clamped and "limit=200" not in clamped  # no next page
    for query in ("?offset=abc&limit=x", "?offset=99999999999999999999", "?limit=0"):
        assert admin_client.get(base + query).status_code == 200
    beyond = _text(admin_client, base + "?offset=5")
    assert "No more items to list." in beyond and "outcome-previous" in beyond
    tracks = f"/admin/scanner/person/{lea.pk}/tracks/"
    assert admin_client.get(tracks + "series/nope/").status_code == 404
    assert admin_client.get(tracks + "books/variety/").status_code == 404
    assert admin_client.get("/admin/scanner/person/999/tracks/").status_code == 404


def test_a_jellyfin_account_s_settings_and_the_advice_on_them(admin_client: Client) -> None:
    _library()
    lea = _lea()
    with FakeJellyfin(token=SERVER_TOKEN, version="10.11.11") as fake:
        user = fake.state.add_user("Léa", playback=QUEBEC)
        server = _jellyfin("home", fake.url)
        PersonAccount.objects.create(
            person=lea, media_server=server, account_id=user, account_name="Léa",
            account_kind="jellyfin",
        )  # fmt: skip
        url = f"/admin/scanner/person/{lea.pk}/tracks/"
        text = _text(admin_client, url)
        german = _text(admin_client, url, "de")
    assert "<dt>Preferred audio language</dt><dd>Canadian French</dd>" in text
    assert "<dt>Subtitle mode</dt><dd>None</dd>" in text
    assert (
        "In Jellyfin, set “Preferred audio language” to French (fra) instead of Canadian French"
        in text
    )
    assert "No media server account is linked" not in text
    assert "Bevorzugte Audiosprache" in german


def test_a_jellyfin_that_is_down_leaves_the_page_and_says_why(admin_client: Client) -> None:
    _library()
    lea = _lea()
    with socket.socket() as closed:  # a port nobody listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    server = _jellyfin("home", f"http://127.0.0.1:{port}")
    PersonAccount.objects.create(
        person=lea, media_server=server, account_id="abc", account_name="Léa",
        account_kind="jellyfin",
    )  # fmt: skip
    text = _text(admin_client, f"/admin/scanner/person/{lea.pk}/tracks/")
    assert "The settings of home could not be read:" in text
    assert "2 episodes will play in Canadian French." in text
    server.enabled = False
    server.save()
    text = _text(admin_client, f"/admin/scanner/person/{lea.pk}/tracks/")
    assert "home is turned off in Taggarr: its settings are not read." in text


def test_a_plex_account_has_its_place_for_what_was_set(admin_client: Client) -> None:
    lea = _lea()
    _plex_account(lea)
    text = _text(admin_client, f"/admin/scanner/person/{lea.pk}/tracks/")
    assert "Taggarr has not set any track on plex for Léa yet." in text
    assert "No file has been read yet: there is nothing to tell." in text
    assert "No media server account is linked" not in text


def test_a_plex_account_says_what_the_last_run_of_its_step_did(admin_client: Client) -> None:
    """The section tells the last TrackRun as its TRACKS_SET event does, and that a dry
    run sends nothing until the server's option is on (both in the reader's language)."""
    lea = _lea()
    account = _plex_account(lea)
    TrackRun.objects.create(
        account=account, dry_run=True, started_at=timezone.now(),
        counts={"sent": 3, "kept": 1, "unchanged": 0, "uncertain": 2}, doubts={"release-set": 2},
    )  # fmt: skip
    text = _text(admin_client, f"/admin/scanner/person/{lea.pk}/tracks/")
    assert "plex, dry run: 3 files would be set to the track of Léa" in text
    assert "2 files were left alone: their tracks are uncertain." in text
    assert "nothing is sent until the server's option" in text
    assert "Taggarr has not set any track" not in text
    TrackRun.objects.create(
        account=account, dry_run=False, started_at=timezone.now(),
        counts={"sent": 1, "kept": 0, "unchanged": 3, "uncertain": 2, "failed": 0},
    )  # fmt: skip
    text = _text(admin_client, f"/admin/scanner/person/{lea.pk}/tracks/", "fr")
    assert "1 fichier réglé sur la piste choisie pour Léa" in text
    assert "nothing is sent until" not in text and "rien n'est envoyé" not in text


def test_the_page_is_linked_from_the_person_and_the_household(admin_client: Client) -> None:
    lea = _lea()
    url = f"/admin/scanner/person/{lea.pk}/tracks/"
    assert url in _text(admin_client, f"/admin/scanner/person/{lea.pk}/change/")
    assert url in _text(admin_client, "/admin/scanner/person/")


def test_a_user_without_staff_or_permission_is_kept_out(client: Client) -> None:
    lea = _lea()
    url = f"/admin/scanner/person/{lea.pk}/tracks/"
    assert client.get(url).status_code == 302
    staff = User.objects.create_user("staff", password="pw-12345678", is_staff=True)
    client.force_login(staff)
    assert client.get(url).status_code == 403
    assert client.get(url + "series/variety/").status_code == 403


def test_an_emby_account_of_a_parent_who_wants_originals(admin_client: Client) -> None:
    _library()
    marc = _counted(
        Person.objects.create(
            name="Marc", languages=["fra"], series_want="original-subtitled", movie_want="original"
        )
    )
    parent = {
        "AudioLanguagePreference": "fre",
        "PlayDefaultAudioTrack": False,
        "SubtitleLanguagePreference": "fre",
        "SubtitleMode": "OnlyForced",
    }
    with FakeJellyfin(token=SERVER_TOKEN, version="emby-4.9.0.22") as fake:
        user = fake.state.add_user("Marc", playback=parent)
        server = MediaServer(name="den", kind=MediaServer.Kind.EMBY, url=fake.url)
        server.set_token(SERVER_TOKEN)
        server.save()
        PersonAccount.objects.create(
            person=marc, media_server=server, account_id=user, account_name="Marc",
            account_kind="emby",
        )  # fmt: skip
        text = _text(admin_client, f"/admin/scanner/person/{marc.pk}/tracks/")
    assert "<dt>Subtitle mode</dt><dd>Only Forced</dd>" in text
    assert "<dt>Preferred subtitle language</dt><dd>French</dd>" in text
    assert "Emby has no “Original language” choice for “Preferred audio language”" in text
    assert "In Emby, turn on “Play default audio track regardless of language”" in text
    assert "In Emby, set “Subtitle mode” to “Smart”" in text


def test_a_plex_account_says_why_files_were_uncertain(admin_client: Client) -> None:
    """The uncertain files per reason, the choice's and the match's, the most frequent
    first, as sentences with their counts (scanner.household.track_reasons)."""
    lea = _lea()
    account = _plex_account(lea)
    TrackRun.objects.create(
        account=account, dry_run=False, started_at=timezone.now(),
        counts={"sent": 1, "uncertain": 4},
        doubts={"audio-count-differs": 1, "release-set": 2, "language-disagrees": 1},
    )  # fmt: skip
    text = _text(admin_client, f"/admin/scanner/person/{lea.pk}/tracks/")
    release = text.index("2 files: the release holds two dubs of one language")
    count = text.index("1 file: Plex lists another number of audio tracks than the file has.")
    language = text.index("1 file: the language of a track in Plex is not the one in the file.")
    assert release < count < language  # the most frequent first, then by code
    french = _text(admin_client, f"/admin/scanner/person/{lea.pk}/tracks/", "fr")
    assert "2 fichiers" in french and "Plex lists another number" not in french


@pytest.mark.parametrize(
    ("reason", "sentence"),
    [
        (
            "pin-required",
            "The Plex Home profile of Léa is protected by a PIN: enter it (again, if it "
            "changed) with their account on their page.",
        ),
        (
            "not-shared",
            "plex is not shared with the account of Léa: share it with them in Plex, or pick "
            "another account on their page.",
        ),
        (
            "unknown-account",
            "plex.tv does not know the account of Léa any more: pick it again on their page.",
        ),
    ],
)
def test_a_plex_account_without_a_token_says_what_to_do(
    admin_client: Client, reason: str, sentence: str
) -> None:
    lea = _lea()
    account = _plex_account(lea, "plex-home")
    TrackRun.objects.create(
        account=account, dry_run=False, started_at=timezone.now(), problem="token", reason=reason
    )
    text = _text(admin_client, f"/admin/scanner/person/{lea.pk}/tracks/")
    assert sentence in text
    assert f'href="/admin/scanner/person/{lea.pk}/change/"' in text
    assert sentence not in _text(admin_client, f"/admin/scanner/person/{lea.pk}/tracks/", "de")
