"""Targets typed as people write them (issue 68, item 5) through the API, the instance
form and an item's wanted languages: ``VFQ``, ``Latino``, ``lat``, ``Spanish (Latino)``
stored as their variety, never as something else; a refused one told in the reader's
language with the nearest names (400, never 5xx); the form's picker offering every
variety named in the reader's language."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.utils.translation import to_locale
from rest_framework.test import APIClient

from fakes.arr import FakeArr
from scanner.engine.target_aliases import UI_LOCALES
from scanner.engine.varieties import known_varieties
from scanner.models import Instance, Media
from tests.factories import InstanceFactory, MediaFactory
from tests.helpers import ARR_KEY
from tests.web.admin.test_instance_admin import ADD_URL, _form

pytestmark = pytest.mark.django_db
CHOICES_URL = "/admin/scanner/instance/arr-choices/"


def test_typed_targets_are_stored_as_what_they_name(api: APIClient) -> None:
    instance = InstanceFactory()
    typed = ["VFQ", "Spanish (Latino)", "lat", "Castellano", "Brasileiro", "Mandarin", "de"]
    answer = api.patch(f"/api/instances/{instance.pk}/", {"target_languages": typed}, format="json")
    assert answer.status_code == 200, answer.json()
    # lat is Latino (never Latin), Spanish (Latino) is es-419 (not any Spanish): the two
    # name one target, stored once.
    stored = ["fr-CA", "es-419", "es-ES", "pt-BR", "cmn", "deu"]
    assert answer.json()["target_languages"] == stored
    assert Instance.objects.get().target_languages == stored


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", "langue ou région inconnue «\u00a0VFX\u00a0»\u00a0: vouliez-vous dire "
               "VFQ (français canadien, fr-CA), VFF (français (France), fr-FR)\u202f?"),
        ("de", "unbekannte Sprache oder Region „VFX“: vielleicht VFQ (Französisch (Kanada), "
               "fr-CA), VFF (Französisch (Frankreich), fr-FR)?"),
        ("en", "unknown language or region 'VFX': did you mean VFQ (Canadian French, fr-CA), "
               "VFF (French (France), fr-FR)?"),
    ],
)  # fmt: skip
def test_a_refused_target_names_the_nearest_in_the_readers_language(
    api: APIClient, admin_client: Client, language: str, expected: str
) -> None:
    instance = InstanceFactory(target_languages=["deu"])
    url = f"/api/instances/{instance.pk}/"
    answer = api.patch(
        url, {"target_languages": ["VFX"]}, format="json", HTTP_ACCEPT_LANGUAGE=language
    )
    assert answer.status_code == 400
    assert answer.json()["target_languages"] == [expected]
    media = MediaFactory(instance=instance)
    wanted = api.patch(
        f"/api/media/{media.pk}/", {"wanted_languages": ["VFX"]}, format="json",
        HTTP_ACCEPT_LANGUAGE=language,
    )  # fmt: skip
    assert wanted.status_code == 400 and wanted.json()["wanted_languages"] == [expected]
    # The admin form says the same, in the reader's language.
    page = admin_client.post(
        ADD_URL, _form(target_languages="de, VFX"), headers={"accept-language": language}
    )
    assert page.status_code == 200
    assert expected in page.context["adminform"].form.errors["target_languages"]
    assert Instance.objects.get().target_languages == ["deu"]


def test_a_name_with_an_unknown_qualifier_is_refused_not_saved_as_its_language(
    api: APIClient,
) -> None:
    """Before: ``French (Atlantis)`` was any French, its qualifier dropped."""
    instance = InstanceFactory(target_languages=["deu"])
    answer = api.patch(
        f"/api/instances/{instance.pk}/", {"target_languages": ["French (Atlantis)"]},
        format="json",
    )  # fmt: skip
    assert answer.status_code == 400
    assert Instance.objects.get().target_languages == ["deu"]


def test_the_admin_form_and_the_items_form_take_aliases(admin_client: Client) -> None:
    response = admin_client.post(ADD_URL, _form(target_languages="VFQ, Spanish (Latino), lat"))
    assert response.status_code == 302
    assert Instance.objects.get(name="tv").target_languages == ["fr-CA", "es-419"]
    media = MediaFactory(instance=Instance.objects.get(name="tv"), kind=Media.Kind.MOVIE)
    url = f"/admin/scanner/media/{media.pk}/wanted/"
    admin_client.post(url, {"choice": "own", "languages": "Spanish (Latino), Québécois"})
    media.refresh_from_db()
    assert media.wanted_targets == ["es-419", "fr-CA"]
    admin_client.post(url, {"choice": "own", "languages": "de fr-ca"})  # spaces still part
    media.refresh_from_db()
    assert media.wanted_targets == ["deu", "fr-CA"]


@pytest.mark.parametrize(
    ("language", "name"),
    [("fr", "français canadien"), ("de", "Französisch (Kanada)"), ("es", "francés canadiense")],
)
def test_the_targets_picker_offers_every_variety_in_the_readers_language(
    admin_client: Client, sonarr: FakeArr, language: str, name: str
) -> None:
    answer = admin_client.post(
        CHOICES_URL, {"kind": "sonarr", "url": sonarr.url, "api_key": ARR_KEY},
        headers={"accept-language": language},
    ).json()  # fmt: skip
    offered = {entry["code"]: entry["name"] for entry in answer["targets"]}
    assert offered["fr-CA"] == name
    assert set(known_varieties()) <= set(offered)
    assert {"es-419", "pt-BR", "yue", "cmn", "de-CH"} <= set(offered)
    # The *arr's own languages too; the extra languages' list stays the *arr's.
    assert {"de", "ja", "en"} <= set(offered)
    assert "fr-CA" not in {entry["code"] for entry in answer["languages"]}


def test_the_alias_table_reads_every_ui_language() -> None:
    codes = {to_locale(code) for code, _ in settings.LANGUAGES}
    assert set(UI_LOCALES) == codes


@pytest.mark.parametrize(
    "value",
    ["(", "()", "Spanish ()", "x (y (z))", "(Latino)", "é (Latino)", "\x00", "VFQ\x00",
     "((((((((((((((((((((((((((((((((((((((((((((((((", "a" + " " * 48 + "(", "ß (ẞ)"],
)  # fmt: skip
def test_a_hostile_typed_target_is_a_400_or_stored_never_a_500(api: APIClient, value: str) -> None:
    instance = InstanceFactory()
    for language in ("en", "fr", "de"):
        answer = api.patch(
            f"/api/instances/{instance.pk}/", {"target_languages": [value]}, format="json",
            HTTP_ACCEPT_LANGUAGE=language,
        )  # fmt: skip
        assert answer.status_code in (200, 400), answer.content
