"""Django's own admin sentences that Taggarr translates again (web/admin/django_words.py):
each is Django's msgid to the letter (else ours would translate nothing Django says),
translated in every catalog, and what a page shows: Django merges the catalogs of
LOCALE_PATHS over its apps' own (django/utils/translation/trans_real.py,
DjangoTranslation.__init__: _add_installed_apps_translations, then
_add_local_translations)."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import django
import pytest
from babel.messages.pofile import read_po
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext, to_language

from scripts.compile_messages import REGIONAL_TYPOGRAPHY, base_language
from scripts.messages import catalog_languages, catalog_path, read_catalog
from web.admin.django_words import DJANGO_ADMIN_MSGIDS

LANGUAGES = catalog_languages()
DJANGO_ADMIN_CATALOG = (
    Path(django.__file__).parent / "contrib" / "admin" / "locale" / "fr" / "LC_MESSAGES"
)


def test_each_is_a_msgid_of_djangos_admin() -> None:
    # Django's French catalog has a plural form more than its header's rule: read leniently.
    with (DJANGO_ADMIN_CATALOG / "django.po").open("rb") as source:
        django_ids = {message.id for message in read_po(source)}
    assert [msgid for msgid in DJANGO_ADMIN_MSGIDS if msgid not in django_ids] == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_is_translated_and_wins_over_djangos(language: str) -> None:
    """A regional catalog (es_419) holds what its readers say otherwise; its base the rest."""
    catalogs = [read_catalog(catalog_path(language))]
    if base := base_language(language):
        catalogs.append(read_catalog(catalog_path(base)))
    ours = {
        msgid: next((c[msgid].string for c in catalogs if c.get(msgid) is not None), "")
        for msgid in DJANGO_ADMIN_MSGIDS
    }
    assert [msgid for msgid, text in ours.items() if not text] == []
    typography = REGIONAL_TYPOGRAPHY.get(language)  # fr_CA: Quebec's spaces
    if typography is not None:
        ours = {msgid: typography(text) for msgid, text in ours.items()}
    with translation.override(to_language(language)):
        assert {msgid: gettext(msgid) for msgid in DJANGO_ADMIN_MSGIDS} == ours


@pytest.mark.django_db
def test_a_french_page_sets_the_theme_buttons_colon_and_adds_a_row_as_french_does(
    admin_client: Client,
) -> None:
    """The header's theme button (admin/color_theme_toggle.html) with the no-break space
    before the colon that every French entry of the catalogs has (tests/i18n/
    test_glossary.py); a form's "add another" button with no article to agree."""
    html = admin_client.get("/admin/scanner/person/add/", HTTP_ACCEPT_LANGUAGE="fr")
    page = unescape(html.content.decode())
    assert "Changer de thème (actuellement\u00a0: automatique)" in page
    assert "actuellement :" not in page
    assert "Ajouter personne" not in page  # the crumb is the page's title, "Nouvelle personne"
    formsets = re.findall(r'data-inline-formset="([^"]+)"', html.content.decode())
    add_texts = [json.loads(unescape(data))["options"]["addText"] for data in formsets]
    assert "Ajouter une ligne\u00a0: Compte sur un serveur multimédia" in add_texts


@pytest.mark.django_db
def test_a_rows_old_link_says_it_is_gone_without_guessing_its_gender(admin_client: Client) -> None:
    """Django's redirect of a missing row's change page (options.py,
    _get_obj_does_not_exist_redirect) names the model: the sentence's participle
    agrees with "objet", not with a noun it cannot know."""
    gone = admin_client.get(
        "/admin/scanner/person/999/change/", HTTP_ACCEPT_LANGUAGE="fr", follow=True
    )
    said = [str(message) for message in gone.context["messages"]]
    gone_sentence = "n'a l'identifiant «\u00a0999\u00a0»\u202f; il a peut-être été supprimé."
    assert said == [f"Aucun objet personne {gone_sentence}"]
