"""Issue 94, item 2: /api/instances/ reads an instance's original language as the admin
form does (scanner.validators.clean_language): a name in the reader's language or in
English, a code, a variety's word; stored as its ISO 639-3 code, never cut to the
column's three characters; a value it cannot read is a 400 with the nearest names, and
nothing is saved."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from scanner.models import Instance
from tests.factories import InstanceFactory
from tests.typed_languages import TYPED_ORIGINAL_LANGUAGES

pytestmark = pytest.mark.django_db


def _library() -> Instance:
    return InstanceFactory(
        kind=Instance.Kind.LIBRARY, url="", root_folders=["/media/films"], original_language="jpn"
    )


def _typed(api: APIClient, folder: Instance, typed: str, reader: str) -> Any:
    """The original language sent as ``typed`` by a reader of ``reader``'s language."""
    return api.patch(
        f"/api/instances/{folder.pk}/", {"original_language": typed}, format="json",
        HTTP_ACCEPT_LANGUAGE=reader,
    )  # fmt: skip


@pytest.mark.parametrize(("typed", "reader", "stored"), TYPED_ORIGINAL_LANGUAGES)
def test_the_original_language_is_read_as_people_type_it(
    api: APIClient, typed: str, reader: str, stored: str
) -> None:
    folder = _library()
    answer = _typed(api, folder, typed, reader)
    assert answer.status_code == 200, answer.json()
    assert answer.json()["original_language"] == stored
    folder.refresh_from_db()
    assert folder.original_language == stored


@pytest.mark.parametrize(
    ("typed", "reader", "said", "suggested"),
    [
        # Misspelt: the nearest names, in the reader's language.
        (
            "angalis",
            "fr",
            "langue inconnue «\u00a0angalis\u00a0»\u00a0: vouliez-vous dire",
            "anglais (en)",
        ),
        # Names nothing: what to write instead.
        (
            "xyzzy",
            "de",
            "unbekannte Sprache „xyzzy“: einen Code wie de oder deu oder den Namen der "
            "Sprache angeben",
            "",
        ),
    ],
)
def test_a_language_it_cannot_read_is_refused_and_nothing_is_saved(
    api: APIClient, typed: str, reader: str, said: str, suggested: str
) -> None:
    folder = _library()
    answer = _typed(api, folder, typed, reader)
    assert answer.status_code == 400
    [message] = answer.json()["original_language"]
    assert message.startswith(said)
    assert suggested in message
    folder.refresh_from_db()
    assert folder.original_language == "jpn"
