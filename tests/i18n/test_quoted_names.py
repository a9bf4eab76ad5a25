"""A name a message quotes exists under that name (issue 71): a German or Portuguese
reader who looks for the filter, the event kind, the action or the Sonarr setting a
message quotes finds it on the page, or in Sonarr, spelt the same.

Taggarr's own labels: a quoted English text that is a msgid of the catalogs (a label of
a page, a choice, an event kind, an action; its parenthetical aside may be left out:
"Apply the planned tags" for "Apply the planned tags (writes them)") is quoted in the
translation as the catalog translates that label. Sonarr's: a quoted setting is quoted
as Sonarr's own catalog says it, and a menu path is Sonarr's words (SONARR below, from
Sonarr/Sonarr src/NzbDrone.Core/Localization/Core/<lang>.json at
49df353fa14c453929b79f32144b2c8c86d94b09; keys named). A quote the translation adds
("choose the files audio source": „Dateien“) is a label or a Sonarr string too; a quote
of a code ('remote', "original") stays as it is."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from scripts.compile_messages import base_language
from scripts.messages import DOMAINS, catalog_languages, catalog_path, read_catalog

# „…“ and „…” (de, pl), “…” (en, pt_BR), « … » (fr, es, it), »…«, the single
# quotation marks U+2018/U+2019 (nl), "…", '…'.
QUOTE = re.compile(
    '„([^“”]+)[“”]|“([^”]+)”|«\\s*([^»]+?)\\s*»|»([^«]+)«|\u2018([^\u2019]+)\u2019|"([^"]+)"'
    r"|(?<!\w)'([^']+)'(?!\w)"
)
# Sonarr's words, per language (its catalog's key in the comment); None: Sonarr has no
# translation there, and the English is what the reader sees.
SONARR: dict[str, dict[str, str | None]] = {
    # AnalyseVideoFiles (Settings → Media Management, advanced)
    "Analyse video files": {
        "de": "Videodateien analysieren",
        "fr": "Analyse des fichiers vidéo",
        "es": "Analizar archivos de video",
        "pt_BR": "Analisar arquivos de vídeo",
        "it": "Analizza i file video",
        "nl": "Analyseer videobestanden",
        "pl": "Analizuj pliki wideo",
    },
    # Grabbed (History: the event a grab is, the one marked as failed)
    "Grabbed": {
        "de": "Geholt",
        "fr": "Récupération",
        "es": "Capturado",
        "pt_BR": "Obtido",
        "it": None,
        "nl": None,
        "pl": "Wybrane",
    },
}
# Sonarr's menu paths: Settings, MediaManagement.
PATHS: dict[str, dict[str, str | None]] = {
    "Settings → Media Management": {
        "de": "Einstellungen → Medienverwaltung",
        "fr": "Paramètres → Gestion des médias",
        "es": "Ajustes → Gestión de medios",
        "pt_BR": "Configurações → Gerenciamento de mídia",
        "it": "Impostazioni → Gestione Media",
        "nl": None,
        "pl": "Ustawienia → Zarządzanie mediami",
    },
}
PLACEHOLDER = re.compile(r"%\(\w+\)\w|\{\w*\}")


def quotes(text: str) -> list[str]:
    return [next(part for part in found.groups() if part) for found in QUOTE.finditer(text)]


def _entries(language: str) -> Iterator[tuple[tuple[str, ...], tuple[str, ...]]]:
    for domain in DOMAINS:
        for message in read_catalog(catalog_path(language, domain)):
            if message.id:
                ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
                strings = message.string
                yield tuple(ids), tuple(strings if isinstance(strings, tuple | list) else [strings])


def labels(language: str) -> dict[str, set[str]]:
    """Each msgid (lower case) -> its translations, and the part before a parenthetical
    aside of each ("rewrite (probe everything)": "rewrite")."""
    found: dict[str, set[str]] = {}
    for ids, strings in _entries(language):
        for msgid, string in zip(ids, strings, strict=False):
            if not string:
                continue
            for said, written in ((msgid, string), _before_aside(msgid, string)):
                if said:
                    found.setdefault(said.lower().rstrip("."), set()).add(written.lower())
    return found


def _before_aside(msgid: str, string: str) -> tuple[str, str]:
    english, translated = msgid.partition(" (")[0], string.partition(" (")[0]
    return (english, translated) if english != msgid and translated != string else ("", "")


def quoted_name_breaks(
    language: str, entries: list[tuple[tuple[str, ...], tuple[str, ...]]]
) -> list[str]:
    known = labels(language)
    sonarr = {str(table[language]).lower() for table in SONARR.values() if table[language]}
    broken = []
    for ids, strings in entries:
        english = [q for msgid in ids for q in quotes(msgid) if not PLACEHOLDER.search(q)]
        for string in strings:
            said = [q for q in quotes(string or "") if not PLACEHOLDER.search(q)]
            free = 0  # the English quotes that are no name (a word: 'wrong')
            for name in english:
                if name in said:
                    continue  # a code, as it is
                if name in SONARR:
                    want = {SONARR[name][language] or name}
                elif name.lower() in known:
                    want = known[name.lower()]
                else:
                    free += 1
                    continue
                if not any(q.lower() in {w.lower() for w in want} for q in said):
                    broken.append(f"{name!r} is not quoted as {sorted(want)}: {string!r}")
            added = [
                q
                for q in said
                if q not in english
                and q.lower() not in known_translations(known) | sonarr
                and not any(re.search(rf"(?<!\w){re.escape(q)}(?!\w)", msgid) for msgid in ids)
            ]  # a code the English names unquoted ("lat") is quoted as it is
            if len(added) > free:
                broken.append(f"quoted {added} is no label of the page nor Sonarr's: {string!r}")
            for path, table in PATHS.items():
                want_path = table[language]
                if want_path and any(path in msgid for msgid in ids) and want_path not in string:
                    broken.append(f"{path!r} is not Sonarr's {want_path!r}: {string!r}")
    return broken


def known_translations(known: dict[str, set[str]]) -> set[str]:
    return {written for each in known.values() for written in each}


@pytest.mark.parametrize(
    "language", [language for language in catalog_languages() if not base_language(language)]
)  # a regional catalog's overrides: test_catalogs.py
def test_each_quoted_name_is_the_label_the_reader_finds(language: str) -> None:
    assert quoted_name_breaks(language, list(_entries(language))) == []


def test_the_check_finds_a_name_that_is_not_on_the_page() -> None:
    """The walk-through's finds: a Portuguese event kind quoted in other words than the
    filter's; a Sonarr setting quoted in our words rather than Sonarr's."""
    kind = "Search queued: the events (kind 'missing dubs searched') say what was asked."
    assert quoted_name_breaks(
        "pt_BR", [((kind,), ("os eventos (tipo “dublagens faltando pesquisadas”) dizem",))]
    )
    assert not quoted_name_breaks(
        "pt_BR", [((kind,), ("os eventos (tipo “dublagens ausentes pesquisadas”) dizem",))]
    )
    setting = "turn on Settings → Media Management → 'Analyse video files'"
    assert quoted_name_breaks(
        "fr",
        [
            (
                (setting,),
                ("activez Paramètres → Gestion des médias → « Analyser les fichiers vidéo »",),
            )
        ],
    )
    assert quoted_name_breaks(
        "de", [((setting,), ("Einstellungen → Medien → „Videodateien analysieren“",))]
    )
    assert not quoted_name_breaks(
        "de", [((setting,), ("Einstellungen → Medienverwaltung → „Videodateien analysieren“",))]
    )
    assert quoted_name_breaks("de", [(("pick it",), ("„Erfundener Filter“ wählen",))])
