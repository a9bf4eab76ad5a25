"""Taggarr's translatable strings, found in pure Python: no GNU gettext needed.

``python scripts/messages.py`` (``make messages-update``) extracts every marked string
of the Python code and the templates into a template catalog in memory and merges it
into each locale/<lang>/LC_MESSAGES/django.po, and those of the scripts
(web/static/taggarr/*.js: ``gettext``/``ngettext``/``interpolate`` of Django's
JavaScriptCatalog) into djangojs.po: new strings come in untranslated, strings gone
from the code go out. Babel extracts the Python (its extractor, with
Django's keywords); a template goes through Django's own ``templatize`` first, the step
Django's makemessages runs before it hands the template to xgettext as Python.
tests/i18n/test_catalogs.py runs the same extraction to fail on a catalog behind the
code.

A regional catalog (es_419, fr_CA; scripts/compile_messages.base_language) lists only
the entries its readers say differently from its base's: a new string does not come
into it (the base's translation serves), an entry gone from the code goes out, and an
entry left untranslated is dropped."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
LOCALE = ROOT / "locale"
PYTHON_PACKAGES = ("accounts", "api", "scanner", "taggarr", "web")
TEMPLATES = ROOT / "templates"
SCRIPTS = ROOT / "web" / "static" / "taggarr"
DOMAIN = "django"
JS_DOMAIN = "djangojs"  # Django's name for the JavaScriptCatalog's catalogs
DOMAINS = (DOMAIN, JS_DOMAIN)
SOURCE_LANGUAGE = "en"  # the msgids: English needs no catalog
KEYWORDS = {
    **DEFAULT_KEYWORDS,
    "gettext_lazy": None,
    "gettext_noop": None,
    "ngettext_noop": (1, 2),  # scanner.connect.sentences: plurals picked when shown
    "ngettext_lazy": (1, 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext_lazy": ((1, "c"), 2, 3),
}
OPTIONS = {"encoding": "utf-8"}


def _python_files() -> Iterator[Path]:
    for package in PYTHON_PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def messages_in(
    code: bytes, method: str = "python"
) -> Iterator[tuple[int, str | tuple[str, ...], list[str], str | None]]:
    yield from extract(method, io.BytesIO(code), keywords=KEYWORDS, options=OPTIONS)


def templatized(path: Path) -> bytes:
    """A template as Django's makemessages hands it to xgettext: its strings as gettext
    calls. Each line is dedented: the template's indentation is no Python block."""
    from django.utils.translation.template import templatize

    code = templatize(path.read_text("utf-8"), origin=str(path))
    return "\n".join(line.lstrip() for line in code.splitlines()).encode("utf-8")


def template_catalog(domain: str = DOMAIN) -> Catalog:
    """Every marked string of the code and the templates (``django``), or of the
    scripts (``djangojs``), as a template catalog."""
    catalog = Catalog(project="Taggarr", domain=domain, fuzzy=False)
    if domain == JS_DOMAIN:
        sources = [(path, path.read_bytes()) for path in sorted(SCRIPTS.glob("*.js"))]
        method = "javascript"
    else:
        sources = [(path, path.read_bytes()) for path in _python_files()]
        sources += [(path, templatized(path)) for path in sorted(TEMPLATES.rglob("*.html"))]
        method = "python"
    for path, code in sources:
        for lineno, messages, comments, context in messages_in(code, method):
            catalog.add(
                messages,
                locations=[(str(path.relative_to(ROOT)), lineno)],
                auto_comments=comments,
                context=context,
                flags=("python-format",) if "%" in str(messages) else (),
            )
    return catalog


def catalog_languages() -> list[str]:
    """gettext's names (pt_BR) of the languages settings.LANGUAGES offers, but English."""
    from django.conf import settings
    from django.utils.translation import to_locale

    return [to_locale(code) for code, _ in settings.LANGUAGES if code != SOURCE_LANGUAGE]


def catalog_path(language: str, domain: str = DOMAIN) -> Path:
    return LOCALE / language / "LC_MESSAGES" / f"{domain}.po"


def read_catalog(path: Path) -> Catalog:
    with path.open("rb") as source:
        return read_po(source, abort_invalid=True)


def _set_header(catalog: Catalog) -> None:
    catalog.header_comment = (
        f"# {catalog.locale.english_name} translation of Taggarr.\n"
        "# This file is distributed under the same license as Taggarr.\n"
        '# How to add or improve a translation: README.md, "Translations".'
    )
    catalog.project, catalog.version = "Taggarr", ""
    catalog.copyright_holder = "Taggarr contributors"
    catalog.msgid_bugs_address = ""
    catalog.last_translator = "Taggarr contributors"
    catalog.language_team = f"{catalog.locale.english_name}"


def _keep_overrides(catalog: Catalog) -> None:
    """A regional catalog's translated entries only: the rest is its base's."""
    for message in list(catalog):
        forms = message.string if isinstance(message.string, tuple | list) else (message.string,)
        if message.id and not all(forms):
            catalog.delete(message.id, context=message.context)


def django_words(language: str, domain: str) -> dict[tuple[object, str | None], object]:
    """Django's own msgids beneath a catalog (its language's catalogs; for a variety, its
    base's, then those of its countries, scripts/compile_messages.DJANGO_VARIETIES, over
    them, as the compiled catalog has them), keyed by msgid (a plural's as a tuple) and
    context, and what they say: a catalog may translate one of them again (the admin's
    "History", which Django's Latin-American catalogs call "Historia"; the months that
    Django's Brazilian catalog capitalises)."""
    import django
    from babel.messages.mofile import read_mo

    from scripts.compile_messages import DJANGO_VARIETIES, base_language

    root = Path(django.__file__).parent
    words: dict[tuple[object, str | None], object] = {}
    countries = (base_language(language) or language, *reversed(DJANGO_VARIETIES.get(language, ())))
    for country in countries:
        for mo_path in sorted(root.glob(f"**/locale/{country}/LC_MESSAGES/{domain}.mo")):
            with mo_path.open("rb") as source:
                for message in read_mo(source):
                    if not message.id:
                        continue
                    if message.string and message.string != message.id:
                        words[_key(message)] = message.string
                    else:  # English copied ("Feb."): a msgid still, that the build skips
                        words.setdefault(_key(message), message.string)
    return words


def _key(message: Any) -> tuple[object, str | None]:
    context = message.context
    if isinstance(context, bytes):
        context = context.decode("utf-8")
    msgid = tuple(message.id) if isinstance(message.id, list | tuple) else message.id
    return msgid, context


def keep_django_words(catalog: Catalog, language: str, domain: str) -> None:
    """A catalog's translations of Django's own strings ("Historial" for the admin's
    "History", "novembro" for its month: docs/languages.md, "Varieties") are in
    no template of Taggarr's: ``update`` made them obsolete; they are put back, the rest
    stays obsolete."""
    djangos = django_words(language, domain)
    for message in list(catalog.obsolete.values()):
        if _key(message) in djangos:
            catalog[message.id] = message


def update_catalogs() -> None:
    for domain in DOMAINS:
        _update_domain(domain)


def _update_domain(domain: str) -> None:
    from scripts.compile_messages import base_language

    template = template_catalog(domain)
    for language in catalog_languages():
        path = catalog_path(language, domain)
        if path.exists():
            catalog = read_catalog(path)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            catalog = Catalog(locale=language, project="Taggarr", domain=domain, fuzzy=False)
        created = catalog.creation_date
        catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
        catalog.creation_date = created  # no change of date alone in a diff
        keep_django_words(catalog, language, domain)
        catalog.obsolete.clear()
        if base_language(language):
            _keep_overrides(catalog)
        _set_header(catalog)
        with path.open("wb") as target:
            # File names without line numbers (as makemessages --add-location=file): a
            # line moved in the code changes no catalog.
            write_po(target, catalog, width=100, sort_output=True, include_lineno=False)


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taggarr.settings")
    import django

    django.setup()
    update_catalogs()
