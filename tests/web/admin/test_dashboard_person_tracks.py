"""The dashboard's card of each person's track (issue 70): per Plex server, the last run
of the step for each household account (scanner.household.track_results), said as
its event says it, linked to the person's page; shown only when a household exists."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from scanner.models import MediaServer, Person, PersonAccount, TrackRun
from tests.helpers import SERVER_TOKEN

pytestmark = pytest.mark.django_db

URL = "/admin/dashboard/"


def _text(client: Client, language: str = "en") -> str:
    response = client.get(URL, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return re.sub(r"[ \t\r\n]+", " ", response.content.decode().replace("&#x27;", "'"))


def _card(html: str) -> str:
    """The card's HTML (up to the next module), or "" when the page has none."""
    if 'id="person-tracks"' not in html:
        return ""
    return html.split('id="person-tracks"')[1].split('<div class="module"')[0]


def _server(name: str, kind: str = MediaServer.Kind.PLEX, **options: bool) -> MediaServer:
    server = MediaServer(name=name, kind=kind, url="http://plex:32400", **options)
    server.set_token(SERVER_TOKEN)
    server.save()
    return server


def _account(person: Person, server: MediaServer, name: str, number: int) -> PersonAccount:
    return PersonAccount.objects.create(
        person=person, media_server=server, account_id=str(number), account_name=name,
        account_kind="plex-home",
    )  # fmt: skip


def test_no_household_no_card(admin_client: Client) -> None:
    _server("plex")
    assert 'id="person-tracks"' not in _text(admin_client)


def test_a_household_without_a_plex_account_is_told_where_the_card_applies(
    admin_client: Client,
) -> None:
    lea = Person.objects.create(name="Léa", languages=["fra"])
    _account(lea, _server("den", MediaServer.Kind.JELLYFIN), "Léa", 1)  # Plex only
    card = _card(_text(admin_client))
    assert "Each person's track" in card
    assert "has a Plex account linked: Taggarr sets each person's track on Plex only." in card
    assert "den" not in card


def test_each_account_s_last_run_per_plex_server(admin_client: Client) -> None:
    now = timezone.now()
    salon = _server("salon")
    chambre = _server("chambre", set_person_tracks=True)
    lea = Person.objects.create(name="Léa", languages=["fr-CA", "fra"])
    zoe = Person.objects.create(name="Zoé", languages=["fra"])
    marc = Person.objects.create(name="Marc", languages=["jpn"])
    lea_salon = _account(lea, salon, "Léa", 1)
    zoe_salon = _account(zoe, salon, "zoe.home", 2)
    _account(marc, salon, "Marc", 3)  # never run
    lea_chambre = _account(lea, chambre, "Léa", 4)
    # An older run of Léa's on the salon: only the last counts.
    TrackRun.objects.create(
        account=lea_salon, dry_run=True, started_at=now - timedelta(days=2),
        counts={"sent": 9},
    )  # fmt: skip
    TrackRun.objects.create(
        account=lea_salon, dry_run=True, started_at=now, ended_at=now,
        counts={"sent": 3, "kept": 1, "uncertain": 2}, doubts={"release-set": 2},
    )  # fmt: skip
    TrackRun.objects.create(
        account=zoe_salon, dry_run=True, started_at=now, problem="token", reason="pin-required"
    )
    TrackRun.objects.create(
        account=lea_chambre, dry_run=False, started_at=now, ended_at=now,
        counts={"sent": 1, "unchanged": 3},
    )  # fmt: skip

    card = _card(_text(admin_client))

    # By server name: chambre, then salon; by person in each.
    assert card.index(">chambre</h3>") < card.index(">salon</h3>")
    chambre_part, salon_part = card.split(">salon</h3>")
    assert (
        "chambre: 1 file set to the track of Léa. 3 files already had the right track."
        in chambre_part
    )
    assert "nothing is sent until" not in chambre_part  # its option is on
    assert "nothing is sent until the server's option" in salon_part
    assert (
        "salon, dry run: 3 files would be set to the track of Léa. 1 file was kept as its "
        "viewer chose. 2 files were left alone: their tracks are uncertain." in salon_part
    )
    assert "9 files" not in salon_part
    assert (
        '<span class="taggarr-bad">salon: the tracks of Zoé were not set: their Plex Home '
        "profile is protected by a PIN that Taggarr does not have or that is wrong</span>"
        in salon_part
    )
    assert "(zoe.home)" in salon_part and "(Léa)" not in salon_part  # a name said once
    assert "Taggarr has not set any track on salon for Marc yet." in salon_part
    for person in (lea, zoe, marc):
        assert f'href="/admin/scanner/person/{person.pk}/tracks/"' in card
    assert (
        salon_part.index(">Léa</a>") < salon_part.index(">Marc</a>") < salon_part.index(">Zoé</a>")
    )

    french = _text(admin_client, "fr")
    assert "salon, simulation\u00a0: 3 fichiers" in french
    assert "Taggarr has not set" not in french and "Each person's track" not in french


def test_a_server_turned_off_says_nothing_is_set_there(admin_client: Client) -> None:
    off = _server("grenier", enabled=False)
    _account(Person.objects.create(name="Léa", languages=["fra"]), off, "Léa", 1)
    card = _card(_text(admin_client))
    assert "grenier is turned off in Taggarr: no track is set on it." in card
    assert "nothing is sent until" not in card


def test_the_card_s_queries_do_not_grow_with_the_household(admin_client: Client) -> None:
    server = _server("salon")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(URL).status_code == 200
        return len(captured)

    lea = Person.objects.create(name="Léa", languages=["fra"])
    TrackRun.objects.create(
        account=_account(lea, server, "Léa", 1), started_at=timezone.now(), counts={"sent": 1}
    )
    one = queries()
    for number in range(2, 6):
        person = Person.objects.create(name=f"P{number}", languages=["fra"])
        TrackRun.objects.create(
            account=_account(person, server, f"P{number}", number), started_at=timezone.now()
        )
    assert queries() == one
