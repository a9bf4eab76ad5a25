"""Compile every catalog (locale/<lang>/LC_MESSAGES/*.po) to its .mo, in pure Python.

Django's compilemessages runs GNU gettext's msgfmt, which a minimal Debian (and the
python:slim image) does not have; Babel reads and writes the same formats from PyPI.
A catalog with an error stops the build, and so does a fuzzy entry (gettext would
leave it out silently). Run by `make install`, `make run`, `make test` and the image.

A regional catalog (es_419, fr_CA: a language with a region whose base language has a
catalog too; pt_BR has none, so it is a whole one) lists only the entries its readers
say differently. Its .mo is compiled whole: the base catalog's entries, Django's own
catalogs of a country of the variety (DJANGO_VARIETIES) for the strings Taggarr does
not translate itself (the admin's "Save and add another"), the overrides on top.
gettext would chain es_419 to es by itself, but Django merges every app's catalog into
one and keeps a LOCALE_PATHS catalog's base only as a fallback behind it
(django/utils/translation/trans_real.py, DjangoTranslation.merge): Taggarr's "es" words
that Django's "es" also translates ("Clear all filters") would read as Django's.
docs/languages.md, "Varieties"."""

from __future__ import annotations

import importlib.util
import os
import re
import sys
import tempfile
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

LOCALE = Path(__file__).resolve().parent.parent / "locale"
# Django has no es_419 catalog; its Latin-American ones give the admin's own words
# ("Agregar"): the first that translates an entry gives it, es_MX's (partial) before
# es_AR's (whole).
DJANGO_VARIETIES = {"es_419": ("es_MX", "es_AR")}
# Quebec's typography (the Office québécois de la langue française, Banque de dépannage
# linguistique, "Espacement avant et après les signes de ponctuation"; Quebec's own
# software, Microsoft's French Canadian style guide): a no-break space before ":" and
# inside « », none before ";", "!" and "?", where France puts a narrow no-break space.
# fr_CA's catalog takes fr's entries through it instead of overriding each one.
NO_SPACE_BEFORE = re.compile("[\u00a0\u202f]([;!?])")


def quebec_typography(text: str) -> str:
    """French typography as Quebec writes it: no space before ; ! ?"""
    return NO_SPACE_BEFORE.sub(r"\1", text)


REGIONAL_TYPOGRAPHY = {"fr_CA": quebec_typography}


def base_language(language: str, locale: Path = LOCALE) -> str:
    """The base ("es") of a regional catalog ("es_419"), or "" for a whole catalog."""
    base = language.partition("_")[0]
    return base if base != language and (locale / base).is_dir() else ""


def _read(po_path: Path) -> Catalog:
    with po_path.open("rb") as source:
        catalog = read_po(source, abort_invalid=True)
    fuzzy = [message.id for message in catalog if message.id and message.fuzzy]
    if fuzzy:
        raise SystemExit(f"{po_path}: fuzzy entries: {fuzzy[:3]}")
    return catalog


def _django_catalogs(language: str, domain: str) -> list[Catalog]:
    spec = importlib.util.find_spec("django")
    if spec is None or spec.origin is None:
        return []
    django = Path(spec.origin).parent
    catalogs = []
    for country in DJANGO_VARIETIES.get(language, ()):
        for mo_path in sorted(django.glob(f"**/locale/{country}/LC_MESSAGES/{domain}.mo")):
            with mo_path.open("rb") as source:
                catalogs.append(read_mo(source))
    return catalogs


def whole_catalog(po_path: Path) -> Catalog:
    """The catalog a .mo holds: the .po's, and for a regional one, its base's and
    Django's of its countries beneath (an English msgstr copied by Django's left out)."""
    catalog = _read(po_path)
    language = po_path.parent.parent.name
    base = base_language(language, po_path.parent.parent.parent)
    if not base:
        return catalog
    whole = _read(po_path.parents[2] / base / "LC_MESSAGES" / po_path.name)
    for django in _django_catalogs(language, po_path.stem):
        for message in django:
            # Babel's read_mo leaves a context as bytes: read it as the .mo's UTF-8
            context = message.context
            if isinstance(context, bytes):
                context = context.decode("utf-8")
            if _fits(message, whole.num_plurals) and whole.get(message.id, context) is None:
                whole.add(message.id, message.string, context=context)  # Taggarr's words win
    for message in catalog:
        if _fits(message, whole.num_plurals):
            whole.delete(message.id, context=message.context)
            whole.add(message.id, message.string, context=message.context)
    typography = REGIONAL_TYPOGRAPHY.get(language)
    if typography is not None:
        for message in whole:
            if message.id and isinstance(message.string, str):
                message.string = typography(message.string)
            elif message.id and message.string:
                message.string = tuple(typography(form) for form in message.string)
    return whole


def _fits(message: Message, plurals: int) -> bool:
    """A translated entry with the forms of the base's plural rule, not English copied."""
    if not message.id or not message.string or message.string == message.id:
        return False
    if isinstance(message.string, tuple | list):
        return len(message.string) == plurals and all(message.string)
    return True


def compile_catalog(po_path: Path) -> Path:
    catalog = whole_catalog(po_path)
    mo_path = po_path.with_suffix(".mo")
    # Written aside and renamed: processes that compile at once (test workers) never
    # see a half-written catalog.
    # A process stopped mid-way leaves at most a ".mo.*" file that .gitignore keeps out
    # (an empty tmpXXXX was once committed); an error removes it.
    with tempfile.NamedTemporaryFile(
        "wb", dir=mo_path.parent, prefix=f".{mo_path.name}.", delete=False
    ) as target:
        try:
            write_mo(target, catalog)
        except BaseException:
            os.unlink(target.name)
            raise
    os.chmod(target.name, 0o644)  # a temporary file is its owner's only; a catalog is not
    os.replace(target.name, mo_path)
    return mo_path


def compile_stale() -> None:
    """Compile each catalog whose .mo is missing or older than its .po."""
    for po_path in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        base = base_language(po_path.parents[1].name)
        sources = [po_path, LOCALE / base / "LC_MESSAGES" / po_path.name] if base else [po_path]
        if not mo_path.exists() or any(
            mo_path.stat().st_mtime < source.stat().st_mtime for source in sources
        ):
            compile_catalog(po_path)


def main() -> int:
    for po_path in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
        compile_catalog(po_path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
