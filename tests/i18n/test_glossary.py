"""One word per thing, per language: locale/glossary.toml says which word each catalog
uses for a thing and which words it never uses (issue 61); French typography (a
non-breaking space before : ; ! ? and inside « »), as the Imprimerie nationale's rules
and every French localisation of Sonarr and Django write it."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from scripts.compile_messages import whole_catalog
from scripts.messages import DOMAINS, catalog_languages, catalog_path, read_catalog

ROOT = Path(__file__).resolve().parents[2]
GLOSSARY = tomllib.loads((ROOT / "locale" / "glossary.toml").read_text("utf-8"))["term"]
LANGUAGES = catalog_languages()
# Code, JSON and placeholders keep their own punctuation ("Authorization: Token").
NOT_PROSE = re.compile(r"<code>.*?</code>|\{[^{}]*\}|\[[^\]]*\"[^\]]*\]|%\(\w+\)\w")


def _entries(language: str) -> Iterator[tuple[str, str]]:
    """(msgid, msgstr) of both catalogs, plural forms joined."""
    for domain in DOMAINS:
        for message in read_catalog(catalog_path(language, domain)):
            if message.id:
                ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
                strings = (
                    message.string
                    if isinstance(message.string, tuple | list)
                    else (message.string,)
                )
                yield " ".join(ids), " ".join(strings)


def _word(pattern: str) -> re.Pattern[str]:
    """A forbidden word as a whole word: "Element" is not "Elementar"; a capital in the
    pattern makes it case-sensitive (German nouns)."""
    flags = 0 if any(c.isupper() for c in pattern) else re.IGNORECASE
    return re.compile(rf"(?<![\w-]){pattern}(?![\w-])", flags)


def glossary_breaks(language: str, entries: list[tuple[str, str]]) -> list[str]:
    broken = []
    for term in GLOSSARY:
        forbidden = [_word(w) for w in term.get("forbid", {}).get(language, [])]
        here = [_word(w) for w in term.get("forbid_here", {}).get(language, [])]
        word = term.get(language)
        applies = re.compile(term["msgid"], re.IGNORECASE) if "msgid" in term else None
        unless = re.compile(term.get("unless", r"(?!)"), re.IGNORECASE)
        for msgid, msgstr in entries:
            broken += [
                f"{term['thing']}: {w.pattern} in {msgstr!r}" for w in forbidden if w.search(msgstr)
            ]
            if applies is None or not applies.search(msgid) or unless.search(msgid):
                continue
            if word and not re.search(word, msgstr, re.IGNORECASE):
                broken.append(f"{term['thing']}: {msgid!r} is not said with {word!r}: {msgstr!r}")
            broken += [
                f"{term['thing']}: {w.pattern} in {msgstr!r}" for w in here if w.search(msgstr)
            ]
    return broken


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_catalog_says_each_thing_with_its_glossary_word(language: str) -> None:
    assert glossary_breaks(language, list(_entries(language))) == []


def test_the_glossary_names_a_word_the_catalogs_break() -> None:
    """The check itself: a German "Element" and a French "libellé" for a tag fail."""
    assert glossary_breaks("de", [("%d items", "3 Elemente")]) != []
    assert glossary_breaks("de", [("the root folder", "der Stammordner")]) != []
    assert glossary_breaks("fr", [("the tags", "les libellés")]) != []
    assert glossary_breaks("fr", [("the tags", "les étiquettes")]) == []


def test_the_glossary_keeps_sonarrs_words_for_the_concepts_that_drifted() -> None:
    """Issue 71: Sonarr's grab, upgrade, search, custom format and label words, and the
    German neuter Tag and Token."""
    assert glossary_breaks("de", [("mark the grab as failed", "Grab als fehlgeschlagen markieren")])
    assert glossary_breaks("de", [("Write the tag", "Den Tag schreiben.")]) != []
    assert glossary_breaks("de", [("Write the tag", "Das Tag schreiben.")]) == []
    assert glossary_breaks("de", [("the token", "der Token")]) != []
    assert glossary_breaks("de", [("a custom format", "ein Custom Format")]) != []
    assert glossary_breaks("fr", [("mark the grab as failed", "marquer la capture en échec")])
    assert glossary_breaks("pt_BR", [("mark the grab as failed", "marcar a captura como falha")])
    assert glossary_breaks("es", [("dub lost in an upgrade", "doblaje perdido en una mejora")])
    assert glossary_breaks("pt_BR", [("Search for missing dubs", "Buscar dublagens")]) != []
    assert glossary_breaks("pt_BR", [("Search for missing dubs", "Pesquisar dublagens")]) == []
    assert glossary_breaks("es", [("Off: the labels only", "Desactivado: solo las etiquetas")])


@pytest.mark.parametrize(
    ("language", "as_tag", "as_label"),
    [
        ("de", "Aus: nur die Tags", "Aus: nur die Sprachkennzeichnungen der Dateien"),
        ("de", "Aus: nur die Labels", "Aus: nur die Sprachkennzeichnungen der Dateien"),
        ("fr", "Désactivé : les étiquettes seulement", "Désactivé : les libellés seulement"),
        ("es", "Desactivado: solo las etiquetas", "Desactivado: solo los rótulos de idioma"),
        ("pt_BR", "Desligado: só as tags", "Desligado: só os rótulos"),
        ("it", "Disattivato: solo le etichette", "Disattivato: solo le indicazioni della lingua"),
        ("nl", "Uit: alleen de tags", "Uit: alleen de taallabels"),
        ("pl", "Wyłączone: tylko etykiety", "Wyłączone: tylko oznaczenia"),
    ],
)
def test_a_tracks_label_is_never_said_with_the_tags_word(
    language: str, as_tag: str, as_label: str
) -> None:
    """Issue 71: the language a file writes on a track is not a tag, in every language
    (Sonarr's "Tags": de "Tags", fr "Étiquettes", es "Etiquetas", it "Etichette")."""
    assert glossary_breaks(language, [("Off: the labels only", as_tag)]) != []
    assert glossary_breaks(language, [("Off: the labels only", as_label)]) == []


def french_typography_breaks(text: str) -> list[str]:
    prose = NOT_PROSE.sub("", text)
    breaks = [m.group() for m in re.finditer(r"(?:^|[^\u00a0\u202f])[;!?](?=\s|$|<|\))", prose)]
    breaks += [
        m.group() for m in re.finditer(r"(?:^|[^\u00a0\u202f])(?<!\w:/)(?<![\d]):(?=\s|$|<)", prose)
    ]
    breaks += re.findall(r"« |«\w| »|\w»", prose)
    return breaks


def quebec_typography_breaks(text: str) -> list[str]:
    """Quebec's rule (OQLF, Banque de dépannage linguistique, "Espacement avant et après
    les signes de ponctuation"): a no-break space before ":" and inside « », as in
    France; no space at all before ";", "!" and "?". A placeholder stands as a word."""
    prose = NOT_PROSE.sub("x", text)
    breaks = [m.group() for m in re.finditer(r"\s[;!?](?=\s|$|<|\))", prose)]
    breaks += [
        m.group() for m in re.finditer(r"(?:^|[^\u00a0\u202f])(?<!\w:/)(?<![\d]):(?=\s|$|<)", prose)
    ]
    breaks += re.findall(r"« |«\w| »|\w»", prose)
    return breaks


def test_the_quebec_check_wants_no_space_before_semicolon_and_question_mark() -> None:
    assert quebec_typography_breaks("Erreur\u00a0: rien; fin! «\u00a0mot\u00a0» prêt?") == []
    assert quebec_typography_breaks("Erreur\u00a0: rien\u202f; fin") != []
    assert quebec_typography_breaks("Erreur : rien") != []


def test_quebec_french_is_french_with_quebec_typography() -> None:
    """fr_CA's compiled catalog: fr's entries (and fr_CA's own) with no space before
    ; ! ? (scripts/compile_messages.py, quebec_typography), the rest of France's rule
    kept."""
    quebec = whole_catalog(catalog_path("fr_CA", "django"))
    france = whole_catalog(catalog_path("fr", "django"))
    broken = {
        message.id: found
        for message in quebec
        if message.id
        for form in ([message.string] if isinstance(message.string, str) else message.string)
        if (found := quebec_typography_breaks(form))
    }
    assert broken == {}
    said = france.get("%(counts)s; %(error)s")
    assert said is not None and said.string == "%(counts)s\u202f; %(error)s"
    said = quebec.get("%(counts)s; %(error)s")
    assert said is not None and said.string == "%(counts)s; %(error)s"


def test_french_puts_a_non_breaking_space_before_double_punctuation() -> None:
    broken = {
        msgstr: found
        for _id, msgstr in _entries("fr")
        if (found := french_typography_breaks(msgstr))
    }
    assert broken == {}


def test_the_typography_check_finds_an_ordinary_space() -> None:
    assert french_typography_breaks("Erreur : rien") != []
    assert french_typography_breaks("Erreur\u00a0: rien ; fin\u202f! « mot »") != []
    assert french_typography_breaks("Erreur\u00a0: rien\u202f; fin\u202f! «\u00a0mot\u00a0»") == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_catalog_writes_one_apostrophe(language: str) -> None:
    """One apostrophe per catalog, the ASCII one the catalogs mostly used (French
    "l'*arr", Italian "dell'elemento", Dutch "'s"): a typographic one beside it made one
    message read "d\u2019après … l'*arr" (issue 71: one way to write each thing). Dutch
    quotes a name between U+2018 and U+2019: that U+2019 closes a quote, it is no
    apostrophe."""
    mixed = [
        msgstr
        for _id, msgstr in _entries(language)
        if "\u2019" in re.sub("\u2018[^\u2018\u2019]*\u2019", "", msgstr)
    ]
    assert mixed == []


@pytest.mark.parametrize(
    ("language", "english", "native"),
    [
        ("de", "Ein Worker schreibt sie", "Ein Hintergrundprozess schreibt sie"),
        ("de", "einmal pro Worker-Prozess", "einmal pro Hintergrundprozess"),
        ("fr", "Aucun worker ne tourne", "Aucun processus d'arrière-plan ne tourne"),
        ("es", "esperando a un worker", "esperando a un proceso en segundo plano"),
        ("pt_BR", "aguardando um worker", "aguardando um processo em segundo plano"),
        ("it", "in attesa di un worker", "in attesa di un processo in background"),
        ("nl", "elk web- en workerproces", "elk web- en achtergrondproces"),
        ("pl", "czeka na workera", "czeka na proces w tle"),
    ],
)
def test_the_worker_is_said_in_the_language(language: str, english: str, native: str) -> None:
    """Issue 96: the background process is never the English "worker", save in a
    command, which keeps the msgid's words."""
    assert glossary_breaks(language, [("waiting for a worker", english)]) != []
    assert glossary_breaks(language, [("waiting for a worker", native)]) == []
    command = "Run celery -A taggarr worker"
    assert glossary_breaks(language, [(command, "<code>celery -A taggarr worker</code>")]) == []


@pytest.mark.parametrize(
    ("language", "calque", "native"),
    [
        (
            "fr",
            "Associer chaque souhait à un profil",
            "Associer chaque version souhaitée à un profil",
        ),
        ("es", "Asigna a cada deseo un perfil", "Asigna a cada versión deseada un perfil"),
        ("pt_BR", "Associe a cada desejo um perfil", "Associe a cada versão desejada um perfil"),
    ],
)
def test_a_wish_is_the_wanted_version(language: str, calque: str, native: str) -> None:
    """Issue 96: the household's wish is the version it wants, not a person's wish; the
    release's word ("lanzamiento", "lançamento") stays, and a wanted version beside it is
    no release said as a version."""
    msgid = "Map each wish to a quality profile:"
    assert glossary_breaks(language, [(msgid, calque)]) != []
    assert glossary_breaks(language, [(msgid, native)]) == []
    assert glossary_breaks(language, [("%(wish)s: %(problem)s", "%(wish)s: %(problem)s")]) == []
    release = "Example releases that have what the wish wants."
    if language == "es":
        assert glossary_breaks("es", [(release, "Las versiones de ejemplo que tienen…")]) != []
        assert (
            glossary_breaks("es", [(release, "Los lanzamientos que pide la versión deseada.")])
            == []
        )
