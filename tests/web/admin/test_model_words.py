"""Each page people use says its rows in its own words (web/admin/model_words.py), in
every language, the article and the participle agreeing with the noun's gender that
locale/glossary.toml declares per model and language: not Django's one sentence for
every model (django/contrib/admin/options.py, response_add: "The {name} “{obj}” was
added successfully.", which its Spanish catalog makes "El persona “Mamá” fue agregado",
its French one "Ajouter personne" on the list's button)."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.db.models import Model
from django.test import Client, RequestFactory
from django.utils import translation
from django.utils.translation import to_language

from scanner.models import MediaServer, Person, SeerrConnection
from scripts.compile_messages import base_language
from scripts.messages import catalog_languages
from tests.factories import (
    EventFactory,
    InstanceFactory,
    MediaFactory,
    NotifierFactory,
    ScanRunFactory,
)
from web.admin.model_words import WORDS, words_for
from web.admin_site import PRODUCT_MODELS

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]
GENDERS = {
    entry["model"]: entry
    for entry in tomllib.loads((ROOT / "locale" / "glossary.toml").read_text("utf-8"))["gender"]
}
LANGUAGES = catalog_languages()


def _base(language: str) -> str:
    """A regional catalog's (es_419) grammar is its base's (es)."""
    return base_language(language) or language


NAME = "Mamá"

# What a sentence about one row starts with, per language and gender (the definite
# article, elided before a vowel in French and Italian), and how its participle ends.
ARTICLES: dict[str, dict[str, tuple[str, ...]]] = {
    "de": {"m": ("Der ",), "f": ("Die ",), "n": ("Das ",)},
    "fr": {"m": ("Le ", "L'"), "f": ("La ", "L'")},
    "es": {"m": ("El ",), "f": ("La ",)},
    "pt_BR": {"m": ("O ",), "f": ("A ",)},
    "it": {"m": ("Il ", "Lo ", "L'"), "f": ("La ", "L'")},
    "nl": {"de": ("De ",), "het": ("Het ",)},
}
PARTICIPLES: dict[str, dict[str, str]] = {
    "fr": {"m": r"[^e]é\.$", "f": r"ée\.$"},
    "es": {"m": r"o\.$", "f": r"a\.$"},
    "pt_BR": {"m": r"o\.$", "f": r"a\.$"},
    "it": {"m": r"stato \w+o\.$", "f": r"stata \w+a\.$"},
    "pl": {"m": r" został \w+y\.$", "f": r" została \w+a\.$", "n": r" zostało \w+e\.$"},
}
# The "Add" button's indefinite article.
INDEFINITE: dict[str, dict[str, str]] = {
    "fr": {"m": r"^Ajouter un ", "f": r"^Ajouter une "},
    "es": {"m": r"^(Añadir|Agregar) un ", "f": r"^(Añadir|Agregar) una "},
    "pt_BR": {"m": r"^Adicionar um ", "f": r"^Adicionar uma "},
    "it": {"m": r"^Aggiungi uno? ", "f": r"^Aggiungi (una |un')"},
}


def _row(label: str) -> Model:
    """A saved row of each model that has words."""
    makers: dict[str, Callable[[], Model]] = {
        "scanner.instance": lambda: InstanceFactory(name=NAME),
        "scanner.mediaserver": lambda: MediaServer.objects.create(
            name=NAME, kind=MediaServer.Kind.PLEX, url="http://127.0.0.1:9"
        ),
        "scanner.person": lambda: Person.objects.create(name=NAME),
        "scanner.seerrconnection": lambda: SeerrConnection.objects.create(
            name=NAME, url="http://127.0.0.1:9"
        ),
        "scanner.notifier": lambda: NotifierFactory(name=NAME),
        "scanner.media": lambda: MediaFactory(title=NAME),
        "scanner.scanrun": ScanRunFactory,
        "scanner.event": EventFactory,
    }
    return makers[label]()


def _names(text: str, model: type[Model]) -> bool:
    """Whether a text names the model by its own word, declined (Polish: "Dodaj osobę")."""
    stem = str(model._meta.verbose_name).split()[0][:-1]
    return stem.casefold() in text.casefold()


def _agrees(sentence: str, language: str, gender: str, model: type[Model]) -> list[str]:
    """What in a sentence about one row does not agree with its noun's gender."""
    language = _base(language)
    wrong = []
    if not _names(sentence, model):
        wrong.append(f"not the model's own word {model._meta.verbose_name!r}")
    articles = ARTICLES.get(language, {}).get(gender)
    if articles and not sentence.startswith(articles):
        wrong.append(f"article not in {articles}")
    participle = PARTICIPLES.get(language, {}).get(gender)
    if participle and not re.search(participle, sentence):
        wrong.append(f"participle not {participle}")
    return wrong


def _models() -> list[type[Model]]:
    return [apps.get_model("scanner", name) for name in PRODUCT_MODELS]


def test_every_product_model_with_words_has_its_gender_in_every_language() -> None:
    for model in _models():
        if words_for(model) is not None:
            gender = GENDERS[model._meta.label_lower]
            bases = {_base(language) for language in LANGUAGES}
            assert {base: gender.get(base) in {"m", "f", "n", "de", "het"} for base in bases} == {
                base: True for base in bases
            }
    assert set(GENDERS) == set(WORDS)


@pytest.mark.parametrize("model", _models(), ids=lambda model: model.__name__)
def test_a_product_model_without_words_lets_nobody_add_change_or_delete(
    model: type[Model], admin_user: Any
) -> None:
    """Django's sentences would say such a row: none may be said of it."""
    if words_for(model) is not None:
        return
    request = RequestFactory().get("/")
    request.user = admin_user
    model_admin = admin.site.get_model_admin(model)
    permissions = (
        model_admin.has_add_permission(request),
        model_admin.has_change_permission(request),
        model_admin.has_delete_permission(request),
    )
    assert permissions == (False, False, False)


def _request(admin_user: Any, post: dict[str, str], language: str) -> Any:
    request = RequestFactory().post("/", post, HTTP_ACCEPT_LANGUAGE=to_language(language))
    request.user = admin_user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


@pytest.mark.parametrize("language", LANGUAGES)
def test_rows_added_and_changed_are_said_with_their_article_and_participle(
    language: str, admin_user: Any
) -> None:
    wrong = {}
    for label, words in WORDS.items():
        if words.added is None:
            continue
        model = apps.get_model(label)
        row = _row(label)
        model_admin = admin.site.get_model_admin(model)
        gender = GENDERS[label][_base(language)]
        with translation.override(to_language(language)):
            # "_continue": Django's path (the instance's plain save says its next step)
            request = _request(admin_user, {"_continue": "1"}, language)
            model_admin.response_add(request, row)
            model_admin.response_change(request, row)
            said = [re.sub(r"<[^>]+>", "", str(m)) for m in get_messages(request)]
            assert len(said) == 2, said
            for sentence in said:
                assert NAME in sentence
                if problems := _agrees(sentence, language, gender, model):
                    wrong[sentence] = problems
    assert wrong == {}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_list_adds_a_row_with_its_indefinite_article(
    language: str, admin_client: Client
) -> None:
    wrong = {}
    for label, words in WORDS.items():
        if words.add is None:
            continue
        model = apps.get_model(label)
        url = f"/admin/scanner/{model._meta.model_name}/"
        html = admin_client.get(url, HTTP_ACCEPT_LANGUAGE=to_language(language)).content
        button = re.search(r'class="addlink taggarr-primary">([^<]+)<', html.decode())
        assert button is not None, url
        text = unescape(button.group(1))
        base = _base(language)
        indefinite = INDEFINITE.get(base, {}).get(GENDERS[label][base])
        with translation.override(to_language(language)):
            if not _names(text, model) or (indefinite and not re.search(indefinite, text)):
                wrong[text] = str(model._meta.verbose_name)
    assert wrong == {}


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_deletion_is_asked_and_said_in_the_models_words(
    language: str, admin_client: Client
) -> None:
    """The delete page's question names the row with the noun's article; once deleted,
    the message's article and participle agree with it."""
    wrong = {}
    for label in WORDS:
        model = apps.get_model(label)
        row = _row(label)
        url = f"/admin/scanner/{model._meta.model_name}/{row.pk}/delete/"
        code = to_language(language)
        page = admin_client.get(url, HTTP_ACCEPT_LANGUAGE=code).content.decode()
        question = re.search(r"<p>([^<]*)</p>", page.split('id="content"')[1])
        assert question is not None, url
        asked = unescape(question.group(1))
        with translation.override(code):
            if not _names(asked, model) or str(row) not in asked:
                wrong[asked] = str(model._meta.verbose_name)
        done = admin_client.post(url, {"post": "yes"}, HTTP_ACCEPT_LANGUAGE=code, follow=True)
        said = [str(message) for message in done.context["messages"]]
        assert not model.objects.filter(pk=row.pk).exists()
        gender = GENDERS[label][_base(language)]
        with translation.override(code):
            problems = _agrees(said[-1], language, gender, model)
        if problems:
            wrong[said[-1]] = problems
    assert wrong == {}


def test_what_goes_with_a_deletion_is_listed_with_the_catalogs_colon(admin_client: Client) -> None:
    """Django joins a model's name and a row, and a model's name and its count, with a bare
    ": " (django/contrib/admin/utils.py, get_deleted_objects; admin/includes/
    object_delete_summary.html); French writes a no-break space before the colon
    (web.labelled)."""
    person = Person.objects.create(name="Mamá", languages=["fr-CA"])
    url = f"/admin/scanner/person/{person.pk}/delete/"
    page = unescape(admin_client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode())
    listed = page.split('id="deleted-objects"')[1]
    summary = page.split('id="deleted-objects"')[0].rsplit("<ul>", 1)[1]
    assert re.search(r"Personne\u00a0: <a href=\"[^\"]+\">Mamá</a>", listed), listed[:300]
    assert re.findall(r"<li>([^<]+)</li>", summary) == ["Membres du foyer\u00a0: 1"]
    assert "Personne: " not in page
