"""The seven catalogs: complete (no untranslated or fuzzy entry), compilable, up to date
with the code (every marked string has its entry, none is left over), and each
translation keeps its msgid's placeholders (a lost ``%(name)s`` raises at run time).
The two regional catalogs (es_419, fr_CA) list only their overrides: each entry
translated, of the code, and saying something else than its base's.

gettext's own rules (the GNU gettext manual, "PO Files" and "The Format of GNU MO
Files") are what Babel reads and writes: a fuzzy entry is left out of the compiled
catalog, an empty msgstr means untranslated."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import read_mo

from scripts.compile_messages import base_language, compile_catalog
from scripts.messages import (
    DOMAINS,
    catalog_languages,
    catalog_path,
    django_words,
    keep_django_words,
    messages_in,
    read_catalog,
    template_catalog,
    templatized,
)

LANGUAGES = catalog_languages()
# Each catalog: the Python code's and the templates' (django), the scripts' (djangojs).
CATALOGS = [(language, domain) for domain in DOMAINS for language in LANGUAGES]
PLACEHOLDER = re.compile(r"%\(\w+\)[a-z]|%[a-z]|\{\w*\}")


@pytest.fixture(scope="module")
def code() -> dict[str, Catalog]:
    return {domain: template_catalog(domain) for domain in DOMAINS}


def test_the_seven_languages_of_issue_52_and_two_varieties_have_catalogs() -> None:
    assert sorted(LANGUAGES) == ["de", "es", "es_419", "fr", "fr_CA", "it", "nl", "pl", "pt_BR"]
    assert all(catalog_path(language, domain).exists() for language, domain in CATALOGS)
    regional = {language: base_language(language) for language in LANGUAGES}
    assert {language: base for language, base in regional.items() if base} == {
        "es_419": "es",
        "fr_CA": "fr",
    }  # pt_BR is whole: Taggarr has no "pt" catalog beneath it


def _ids(catalog: Catalog) -> set[object]:
    return {tuple(m.id) if isinstance(m.id, list) else m.id for m in catalog if m.id}


@pytest.mark.parametrize(("language", "domain"), CATALOGS)
def test_every_entry_is_translated_and_none_is_fuzzy(language: str, domain: str) -> None:
    catalog = read_catalog(catalog_path(language, domain))
    untranslated = [m.id for m in catalog if m.id and not all(_forms(m.string))]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert untranslated == []
    assert fuzzy == []
    assert catalog.fuzzy is False  # the header itself is not marked fuzzy


@pytest.mark.parametrize(("language", "domain"), CATALOGS)
def test_the_catalog_compiles_and_reads_back(language: str, domain: str, tmp_path: Path) -> None:
    copy = tmp_path / language / "LC_MESSAGES" / f"{domain}.po"
    copy.parent.mkdir(parents=True)
    shutil.copy(catalog_path(language, domain), copy)
    with compile_catalog(copy).open("rb") as compiled:
        assert _ids(read_mo(compiled)) == _ids(read_catalog(copy))  # no base beside it


def test_a_fuzzy_entry_stops_the_build(tmp_path: Path) -> None:
    """gettext would leave a fuzzy entry out of the .mo without a word: the build says so."""
    copy = tmp_path / "django.po"
    text = catalog_path("de").read_text("utf-8")
    copy.write_text(text.replace("#, python-format\n", "#, fuzzy, python-format\n", 1), "utf-8")
    with pytest.raises(SystemExit, match="fuzzy"):
        compile_catalog(copy)


@pytest.mark.parametrize(("language", "domain"), CATALOGS)
def test_the_catalog_holds_every_string_of_the_code_and_no_other(
    language: str, domain: str, code: dict[str, Catalog]
) -> None:
    catalog = read_catalog(catalog_path(language, domain))
    missing = _ids(code[domain]) - _ids(catalog)
    left_over = _ids(catalog) - _ids(code[domain])
    # A catalog may say Django's own words its own way ("novembro", "Historial").
    left_over -= {msgid for msgid, _ in django_words(language, domain)}
    hint = "run `make messages-update` and translate the new entries (README, Translations)"
    if not base_language(language):  # a regional catalog lists its overrides only
        assert not missing, f"{hint}: {sorted(map(str, missing))[:10]}"
    assert not left_over, f"{hint}: {sorted(map(str, left_over))[:10]}"


REGIONAL = [(language, domain) for language, domain in CATALOGS if base_language(language)]


@pytest.mark.parametrize(("language", "domain"), CATALOGS)
def test_an_update_keeps_a_catalogs_words_for_djangos_strings(
    language: str, domain: str, code: dict[str, Catalog]
) -> None:
    """`make messages-update` (scripts/messages.py) makes obsolete every entry no code of
    Taggarr's says: a catalog's own words for Django's strings ("Historial", "novembro")
    are put back; an entry neither Taggarr nor Django says is dropped."""
    catalog = read_catalog(catalog_path(language, domain))
    djangos = {msgid for msgid, _ in django_words(language, domain)} & _ids(catalog)
    catalog.add("A sentence no code says any more", "Una frase que ya no dice nadie")
    catalog.update(code[domain], no_fuzzy_matching=True, update_header_comment=False)
    keep_django_words(catalog, language, domain)
    assert djangos <= _ids(catalog)
    assert "A sentence no code says any more" not in _ids(catalog)


@pytest.mark.parametrize(("language", "domain"), REGIONAL)
def test_a_regional_entry_says_something_else_than_its_base(language: str, domain: str) -> None:
    """An override equal to the base's translation is no override: it would only have to
    be changed twice."""
    base = read_catalog(catalog_path(base_language(language), domain))
    django = django_words(language, domain)
    same = []
    for m in read_catalog(catalog_path(language, domain)):
        if not m.id:
            continue
        beneath = base.get(m.id, m.context)
        if beneath is not None:
            said = beneath.string
        else:  # one of Django's msgids: what Django's catalogs would have said
            said = django.get((tuple(m.id) if isinstance(m.id, list | tuple) else m.id, m.context))
        if _forms(said) == _forms(m.string):
            same.append(m.id)
    assert same == []


@pytest.mark.parametrize(("language", "domain"), CATALOGS)
def test_djangos_words_said_again_are_said_otherwise(
    language: str, domain: str, code: dict[str, Catalog]
) -> None:
    """A catalog's entry for one of Django's own msgids (none of Taggarr's code says it)
    says it otherwise than Django's catalogs beneath: an equal one would only hide a
    later fix of Django's."""
    django = django_words(language, domain)
    ours = _ids(code[domain])
    same = [
        m.id
        for m in read_catalog(catalog_path(language, domain))
        if m.id
        and (key := (tuple(m.id) if isinstance(m.id, list | tuple) else m.id, m.context)) in django
        and key[0] not in ours
        and _forms(django[key]) == _forms(m.string)
    ]
    assert same == []


def test_a_variety_may_say_djangos_words_again_but_not_as_django_does() -> None:
    """The rule above, for one of Django's msgids: the Latin-American catalog's
    "History" is its own (Historial), not Django's es_MX and es_AR "Historia"."""
    words = django_words("es_419", "django")
    assert words["History", None] == "Historia"  # es_AR over es: the .mo's layer beneath
    assert read_catalog(catalog_path("es_419")).get("History").string == "Historial"


def test_a_regional_mo_holds_its_base_under_its_overrides(tmp_path: Path) -> None:
    """Django merges a LOCALE_PATHS catalog's base (gettext's es for es_419) only as a
    fallback behind Django's own catalogs; the compiled es_419 holds es whole instead,
    Django's Latin-American words beneath for the strings Taggarr leaves to Django."""
    locale = tmp_path / "locale"
    for language in ("es", "es_419"):
        (locale / language / "LC_MESSAGES").mkdir(parents=True)
        shutil.copy(catalog_path(language), locale / language / "LC_MESSAGES" / "django.po")
    with compile_catalog(locale / "es_419" / "LC_MESSAGES" / "django.po").open("rb") as mo:
        compiled = read_mo(mo)
    base = read_catalog(catalog_path("es"))
    assert compiled.get("Add %(name)s").string == "Agregar %(name)s"  # the override
    only_spanish = "Clear all filters"  # es's words; Django's es_AR says "Limpiar"
    assert compiled.get(only_spanish).string == base.get(only_spanish).string
    assert compiled.get("Save and add another").string == "Guardar y agregar otro"  # Django's
    assert _ids(base) <= _ids(compiled)


@pytest.mark.parametrize(("language", "domain"), CATALOGS)
def test_each_translation_keeps_its_placeholders(language: str, domain: str) -> None:
    catalog = read_catalog(catalog_path(language, domain))
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        wanted = [sorted(PLACEHOLDER.findall(one)) for one in ids]
        for form in _forms(message.string):
            assert sorted(PLACEHOLDER.findall(form)) in wanted, (message.id, form)


@pytest.mark.parametrize(("language", "domain"), CATALOGS)
def test_plural_entries_have_every_form_of_the_language(language: str, domain: str) -> None:
    catalog = read_catalog(catalog_path(language, domain))
    plurals = [m for m in catalog if isinstance(m.id, tuple)]
    assert plurals or base_language(language)
    assert all(len(m.string) == catalog.num_plurals for m in plurals)


def _forms(string: object) -> tuple[str, ...]:
    return tuple(string) if isinstance(string, tuple | list) else (str(string or ""),)


def test_the_extractor_reads_templates_as_makemessages_does(tmp_path: Path) -> None:
    """Django's templatize turns the tags into gettext calls; Babel reads those, plurals
    and contexts included, and an indented template is no Python block to it."""
    page = tmp_path / "page.html"
    page.write_text(
        '{% load i18n %}\n<div>\n    <p>{% translate "Scans" %}</p>\n'
        "    {% blocktranslate count n=items|length %}{{ n }} item{% plural %}"
        "{{ n }} items{% endblocktranslate %}\n"
        '    <b>{% translate "May" context "month" %}</b>\n</div>\n',
        "utf-8",
    )
    found = [(messages, context) for _, messages, _, context in messages_in(templatized(page))]
    assert found == [
        ("Scans", None),
        (("%(n)s item", "%(n)s items"), None),
        ("May", "month"),
    ]


def test_the_extractor_reads_the_scripts_calls(tmp_path: Path) -> None:
    """JavaScriptCatalog's functions (django/views/i18n.py: gettext, ngettext, interpolate)
    as the scripts call them; a template literal is not marked and not extracted."""
    script = (
        'const a = gettext("Asking…");\n'
        'const b = interpolate(ngettext("%(n)s file", "%(n)s files", n), { n }, true);\n'
        "const c = `Not ${marked}`;\n"
    ).encode()
    found = [messages for _, messages, _, _ in messages_in(script, "javascript")]
    assert found == ["Asking…", ("%(n)s file", "%(n)s files")]
