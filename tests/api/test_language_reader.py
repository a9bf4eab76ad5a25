"""One language reader everywhere (issue 79, finding 5): a language or a variety named
in the reader's language ("Deutsch" and "Französisch" to a German reader, "allemand" to
a French one), or by its own name ("Deutsch", "français" to anyone), is what the API
(a person's languages, an instance's targets and extra languages, an item's original
language), the admin form and the import take; a misspelt one is refused with the
nearest names in the reader's language, the right language first ("Deutch" is German
to an English reader, not Dutch).

Before, the API read codes and English names only: ``POST /api/persons/`` with
``Accept-Language: de`` and ``["Deutsch"]`` was a 400 that suggested "Deutsch (de)",
while the admin form took it; in English "Deutsch" suggested Dutch.

The names are CLDR's (the Unicode Common Locale Data Repository, as the catalogs and the
pickers name languages: scanner.language_names), written out here as each language
writes them.
"""

from __future__ import annotations

from typing import NamedTuple

import pytest
from django.test import Client
from rest_framework.test import APIClient

from scanner.models import Instance, Person
from tests.factories import InstanceFactory, MediaFactory
from tests.web.admin.test_instance_admin import ADD_URL, _form

pytestmark = pytest.mark.django_db


class Reader(NamedTuple):
    language: str  # Accept-Language
    german: str
    french: str
    variety: str  # Canadian French or Latin-American Spanish, as the language names it
    variety_code: str
    misspelt: str  # German misspelt
    refusal: str  # how the refusal of ``misspelt`` begins: German offered first


READERS = [
    Reader("de", "Deutsch", "Französisch", "Französisch (Kanada)", "fr-CA", "Deutsh",
           "unbekannte Sprache oder Region „Deutsh“: vielleicht Deutsch (de)"),
    Reader("es", "alemán", "francés", "español latino", "es-419", "alemn",
           "idioma o región desconocidos «alemn»: ¿quisiste decir alemán (de)"),
    Reader("fr", "allemand", "français", "français canadien", "fr-CA", "allemnd",
           "langue ou région inconnue «\u00a0allemnd\u00a0»\u00a0: vouliez-vous dire "
           "allemand (de)"),
    Reader("it", "tedesco", "francese", "francese canadese", "fr-CA", "tedeso",
           "lingua o regione sconosciuta «tedeso»: forse intendevi tedesco (de)"),
    Reader("nl", "Duits", "Frans", "Frans (Canada)", "fr-CA", "Duitss",
           "onbekende taal of regio \u2018Duitss\u2019: bedoelde je Duits (de)"),
    Reader("pl", "niemiecki", "francuski", "amerykański hiszpański", "es-419", "niemiecky",
           "nieznany język lub region „niemiecky”: czy chodziło o niemiecki (de)"),
    Reader("pt-br", "alemão", "francês", "espanhol (América Latina)", "es-419", "alemã",
           "idioma ou região desconhecidos “alemã”: você quis dizer alemão (de)"),
    Reader("en", "German", "French", "Latin American Spanish", "es-419", "Deutch",
           "unknown language or region 'Deutch': did you mean German (de)"),
]  # fmt: skip
IDS = [reader.language for reader in READERS]


@pytest.mark.parametrize("reader", READERS, ids=IDS)
def test_the_api_takes_languages_named_in_the_readers_language(
    api: APIClient, reader: Reader
) -> None:
    headers = {"HTTP_ACCEPT_LANGUAGE": reader.language}
    person = api.post(
        "/api/persons/",
        {"name": "Léa", "languages": [reader.variety, reader.french, reader.german]},
        format="json", **headers,
    )  # fmt: skip
    assert person.status_code == 201, person.json()
    assert person.json()["languages"] == [reader.variety_code, "fra", "deu"]
    instance = InstanceFactory(target_languages=["eng"])
    targets = api.patch(
        f"/api/instances/{instance.pk}/",
        {"target_languages": [reader.german, reader.variety],
         "allowed_extra_languages": [reader.french]},
        format="json", **headers,
    )  # fmt: skip
    assert targets.status_code == 200, targets.json()
    instance.refresh_from_db()
    assert instance.target_languages == ["deu", reader.variety_code]
    assert instance.allowed_extra_languages == ["fra"]
    media = MediaFactory(instance=instance)
    original = api.patch(
        f"/api/media/{media.pk}/", {"original_override": reader.french}, format="json",
        **headers,
    )  # fmt: skip
    assert original.status_code == 200, original.json()
    assert original.json()["original_override"] == "fra"


@pytest.mark.parametrize("reader", READERS, ids=IDS)
def test_a_languages_own_name_is_read_whatever_the_readers_language(
    api: APIClient, reader: Reader
) -> None:
    own = ["Deutsch", "français", "español", "日本語", "VFQ", "Latino"]
    answer = api.post(
        "/api/persons/", {"name": "Léa", "languages": own}, format="json",
        HTTP_ACCEPT_LANGUAGE=reader.language,
    )  # fmt: skip
    assert answer.status_code == 201, answer.json()
    assert answer.json()["languages"] == ["deu", "fra", "spa", "jpn", "fr-CA", "es-419"]


@pytest.mark.parametrize("reader", READERS, ids=IDS)
def test_a_misspelt_language_is_refused_with_the_right_one_first(
    api: APIClient, admin_client: Client, reader: Reader
) -> None:
    headers = {"HTTP_ACCEPT_LANGUAGE": reader.language}
    person = api.post(
        "/api/persons/", {"name": "Léa", "languages": [reader.misspelt]}, format="json",
        **headers,
    )  # fmt: skip
    assert person.status_code == 400
    [message] = person.json()["languages"]
    assert message.startswith(reader.refusal), message
    instance = InstanceFactory(name="movies", target_languages=["eng"])
    targets = api.patch(
        f"/api/instances/{instance.pk}/", {"target_languages": [reader.misspelt]},
        format="json", **headers,
    )  # fmt: skip
    assert targets.status_code == 400 and targets.json()["target_languages"] == [message]
    page = admin_client.post(
        ADD_URL, _form(target_languages=reader.misspelt),
        headers={"accept-language": reader.language},
    )  # fmt: skip
    assert page.status_code == 200
    assert page.context["adminform"].form.errors["target_languages"] == [message]
    # German's own name misspelt: German first, named in the reader's language.
    own = api.post(
        "/api/persons/", {"name": "Léa", "languages": ["Deutch"]}, format="json", **headers
    )
    assert own.status_code == 400
    [message] = own.json()["languages"]
    assert message.startswith(reader.refusal.replace(reader.misspelt, "Deutch", 1)), message
    assert not Person.objects.exists()
    assert Instance.objects.get().target_languages == ["eng"]


@pytest.mark.parametrize("reader", READERS, ids=IDS)
def test_the_admin_form_reads_the_same_names(admin_client: Client, reader: Reader) -> None:
    response = admin_client.post(
        ADD_URL,
        _form(target_languages=f"{reader.german}, {reader.variety}",
              allowed_extra_languages=f"{reader.french}, español"),
        headers={"accept-language": reader.language},
    )  # fmt: skip
    assert response.status_code == 302, response.context["adminform"].form.errors
    instance = Instance.objects.get(name="tv")
    assert instance.target_languages == ["deu", reader.variety_code]
    assert instance.allowed_extra_languages == ["fra", "spa"]
