"""The household's models (issue 70): a person's languages checked as target languages
are (order kept, varieties kept, an unknown one refused in the reader's language), the
constraints of accounts and per-item wants, and the plain value the choice of a track
takes (Person.listener)."""

from __future__ import annotations

import dataclasses
from typing import get_args

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from scanner.engine.listener import DUB, ORIGINAL, ORIGINAL_SUBTITLED, Listener
from scanner.media_servers.clients.base import AccountKind
from scanner.models import MediaServer, Person, PersonAccount, PersonItemWant
from tests.factories import MediaFactory
from tests.helpers import SERVER_TOKEN

pytestmark = pytest.mark.django_db

HOME = PersonAccount.Kind.PLEX_HOME


def _server(name: str = "living room") -> MediaServer:
    server = MediaServer(name=name, kind=MediaServer.Kind.PLEX, url="http://plex:32400")
    server.set_token(SERVER_TOKEN)
    server.save()
    return server


def _person(name: str, languages: list[str]) -> Person:
    person = Person(name=name, languages=languages)
    person.full_clean()
    person.save()
    return person


def test_languages_keep_their_order_and_their_varieties() -> None:
    person = _person("Léa", ["VFQ", "fr", "Japanese"])
    assert person.languages == ["fr-CA", "fra", "jpn"]
    assert _person("Tom", ["ja", "fr-CA"]).languages == ["jpn", "fr-CA"]  # not sorted


def test_an_unknown_language_is_refused_in_the_readers_language() -> None:
    with translation.override("fr"), pytest.raises(ValidationError) as refused:
        Person(name="x", languages=["fr-CA", "klingonish"]).full_clean()
    message = " ".join(refused.value.message_dict["languages"])
    assert "langue ou région inconnue" in message and "klingonish" in message


@pytest.mark.parametrize("languages", [[], "", ["fr"] * 11, [3]])
def test_no_language_too_many_or_not_a_list_is_refused(languages: object) -> None:
    with pytest.raises(ValidationError) as refused:
        Person(name="x", languages=languages).full_clean()
    assert "languages" in refused.value.message_dict


def test_a_name_is_one_persons() -> None:
    _person("Léa", ["fr-CA"])
    with pytest.raises(ValidationError):
        Person(name="Léa", languages=["fr"]).full_clean()


def test_one_account_per_server_and_one_person_per_account() -> None:
    server, other = _server(), _server("bedroom")
    lea, tom = _person("Léa", ["fr-CA"]), _person("Tom", ["ja"])
    PersonAccount.objects.create(
        person=lea, media_server=server, account_id="11", account_name="lea", account_kind=HOME
    )
    second = PersonAccount(
        person=lea, media_server=server, account_id="12", account_name="x", account_kind="plex-home"
    )
    taken = PersonAccount(
        person=tom, media_server=server, account_id="11", account_name="y", account_kind="plex-home"
    )
    for row in (second, taken):
        with pytest.raises(ValidationError):
            row.full_clean()
        with pytest.raises(IntegrityError), transaction.atomic():
            row.save()
    # The same id on another server is another account.
    PersonAccount.objects.create(
        person=tom, media_server=other, account_id="11", account_name="tom", account_kind=HOME
    )
    assert PersonAccount.objects.count() == 2


def test_an_item_has_one_want_per_person() -> None:
    lea, media = _person("Léa", ["fr-CA"]), MediaFactory()
    PersonItemWant.objects.create(person=lea, media=media, want=ORIGINAL)
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonItemWant.objects.create(person=lea, media=media, want=DUB)


def test_the_account_kinds_are_the_clients() -> None:
    assert set(PersonAccount.Kind.values) == set(get_args(AccountKind))


def test_the_listener_is_the_person_as_plain_values() -> None:
    anime, film = MediaFactory(), MediaFactory(kind="movie")
    parent = _person("Parent", ["fr", "ja"])
    parent.series_want = Person.Want.ORIGINAL_SUBTITLED
    parent.save()
    PersonItemWant.objects.create(person=parent, media=anime, want=DUB)
    value = Person.objects.get(pk=parent.pk).listener()
    assert value == Listener(
        name="Parent",
        languages=("fra", "jpn"),
        wants={"series": ORIGINAL_SUBTITLED, "movie": DUB},
        item_wants={anime.pk: DUB},
    )
    assert value.want("series", anime.pk) == DUB  # its own want
    assert value.want("series", film.pk) == ORIGINAL_SUBTITLED  # the kind's
    assert value.want("movie") == DUB
    with pytest.raises(dataclasses.FrozenInstanceError):
        value.name = "other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        value.item_wants[film.pk] = ORIGINAL  # type: ignore[index]
    child = _person("Child", ["fr-CA", "fr"]).listener()
    assert (child.languages, dict(child.wants), dict(child.item_wants)) == (
        ("fr-CA", "fra"),
        {"series": DUB, "movie": DUB},
        {},
    )
