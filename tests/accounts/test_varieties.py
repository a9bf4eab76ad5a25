"""Latin-American Spanish and Quebec French, chosen by the browser and by the person.

Django reads Accept-Language ``es-MX`` as ``es`` (trans_real._get_supported_language_variant
tries es-mx, then es); CLDR's parent locales (Babel's ``parent_exceptions``) make es_MX,
es_AR, es_US... children of es_419: accounts.varieties reads them as es-419. Django
finds ``fr-ca`` itself. The regional catalogs hold only overrides; every other entry
is the base's (scripts/compile_messages.py)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from accounts.models import Profile

PAGE = "/admin/login/"


def _page(client: Client, accept: str) -> tuple[str, str]:
    response = client.get(PAGE, HTTP_ACCEPT_LANGUAGE=accept)
    return response["Content-Language"], response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("accept", ["es-419", "es-MX,es;q=0.9", "es-AR", "es-US", "es-CO,en;q=0.5"])
def test_a_latin_american_browser_reads_es_419(client: Client, accept: str) -> None:
    assert _page(client, accept)[0] == "es-419"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("accept", "language"),
    [
        ("es-ES", "es"),
        ("es", "es"),
        ("fr-CA", "fr-ca"),
        ("fr-FR", "fr"),
        ("en-US,es-MX;q=0.5", "en"),
    ],
)
def test_other_browsers_keep_djangos_choice(client: Client, accept: str, language: str) -> None:
    assert _page(client, accept)[0] == language


def test_a_latin_american_says_agregar_where_spain_says_anadir() -> None:
    from django.utils import translation

    with translation.override("es-419"):
        latin = translation.gettext("Add %(name)s"), translation.gettext("Log out")
        clear = translation.gettext("Clear all filters")
        django_own = translation.gettext("Save and add another")  # Django's es_AR/es_MX
    with translation.override("es"):
        spain = translation.gettext("Add %(name)s"), translation.gettext("Log out")
        spain_clear = translation.gettext("Clear all filters")
        spain_django = translation.gettext("Save and add another")
    assert latin[0] == "Agregar %(name)s" and spain[0] == "Añadir %(name)s"
    assert latin[1] == spain[1] == "Cerrar sesión"  # no override: Spanish's
    assert clear == spain_clear  # Taggarr's es word, not Django's es_AR "Limpiar"
    assert (django_own, spain_django) == ("Guardar y agregar otro", "Guardar y añadir otro")


def test_a_quebecer_reads_quebec_french_and_the_rest_in_french() -> None:
    from django.utils import translation

    from scanner.language_names import language_name

    assert language_name("fr-CA", "fr-ca") == "français québécois"
    assert language_name("fr-CA", "fr") == "français canadien"  # CLDR's, in France
    assert language_name("es-419", "es-419") == "español latino"
    with translation.override("fr-ca"):
        quebec = translation.gettext("Log out")
    with translation.override("fr"):
        assert quebec == translation.gettext("Log out") == "Déconnexion"


@pytest.mark.django_db
def test_the_persons_choice_wins_over_the_header() -> None:
    user = get_user_model().objects.create_superuser("ana", "ana@example.org", "pw-ana-123456")
    client = Client()
    client.force_login(user)
    client.post("/i18n/setlang/", {"language": "es-419", "next": "/admin/"})
    assert Profile.objects.get(user=user).language == "es-419"
    assert _page(client, "es-ES")[0] == "es-419"
    client.post("/i18n/setlang/", {"language": "es", "next": "/admin/"})
    assert _page(client, "es-MX")[0] == "es"  # the saved choice over the browser's variety


def test_the_switcher_names_the_varieties_natively() -> None:
    from django.conf import settings

    names = dict(settings.LANGUAGES)
    assert names["es-419"] == "Español (Latinoamérica)"
    assert names["fr-ca"] == "Français (Canada)"


def test_a_person_of_a_variety_is_written_to_in_it() -> None:
    """A notifier of a person or a Seerr answer (scanner.language_names.ui_language_of)."""
    from scanner.language_names import ui_language_of

    assert ui_language_of(["fr-CA", "fra"]) == "fr-ca"
    assert ui_language_of(["es-419"]) == "es-419"
    assert ui_language_of(["es-ES"]) == "es"
    assert ui_language_of(["pt-BR"]) == "pt-br"
    assert ui_language_of(["jpn", "fra"]) == "fr"


@pytest.mark.django_db
def test_the_scripts_catalog_of_a_variety_holds_its_words_and_its_bases() -> None:
    """JavaScriptCatalog (django/views/i18n.py) serves the merged catalog."""
    user = get_user_model().objects.create_superuser("leo", "leo@example.org", "pw-leo-123456")
    client = Client()
    client.force_login(user)
    pages = {}
    for language in ("es-419", "es"):
        client.post("/i18n/setlang/", {"language": language, "next": "/admin/"})
        pages[language] = client.get("/admin/jsi18n/taggarr/").content.decode()
    assert "Agregar un idioma" in pages["es-419"] and "Agregar" not in pages["es"]
    assert "completa primero" in pages["es-419"] and "rellena primero" in pages["es"]
    assert "Consultando" in pages["es-419"]  # "Asking…": no override, Spanish's


@pytest.mark.django_db
def test_the_switchers_cookie_wins_over_the_browsers_variety(client: Client) -> None:
    client.post("/i18n/setlang/", {"language": "es", "next": "/admin/login/"})
    assert _page(client, "es-MX")[0] == "es"
    client.post("/i18n/setlang/", {"language": "es-419", "next": "/admin/login/"})
    assert _page(client, "es-ES")[0] == "es-419"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("accept", "words"),
    [("es-MX", "Agregar"), ("es-AR", "Agregar"), ("es-419", "Agregar"), ("es-ES", "Añadir")],
)
def test_a_page_read_from_mexico_says_agregar(accept: str, words: str) -> None:
    """The instances' list: its add button (web.admin.model_words, "Add an instance")."""
    user = get_user_model().objects.create_superuser("eva", "eva@example.org", "pw-eva-123456")
    client = Client()
    client.force_login(user)
    page = client.get("/admin/scanner/instance/", HTTP_ACCEPT_LANGUAGE=accept).content.decode()
    other = "Añadir" if words == "Agregar" else "Agregar"
    assert f"{words} una instancia" in page and f"{other} una instancia" not in page
