"""Varieties' names as Taggarr shows them where CLDR's are not what a reader expects
(issues 71 and 84): pure data, shown by scanner.language_names and read back by
engine.target_aliases, so that a name a page shows is a name a person may type.

CLDR's names (Babel's) are the rest: "français canadien", "Französisch (Kanada)"."""

from __future__ import annotations

from collections.abc import Iterator

# A variety named as its own speakers name it where CLDR's name is not theirs (issue 71):
# Latin-American Spanish is "español latino" to the people who watch it ("Latino" on
# every release and dub credit), not CLDR's "español latinoamericano"; the catalogs say
# the same. Quebec French is "français québécois" to a Quebecer (the UI read in fr-CA),
# "français canadien" (CLDR's) to a reader in France. Keyed by the reader's language or
# their variety. CLDR's name is still read back (engine.language_words).
# Mandarin (``cmn``, an individual language CLDR does not name) is named by pycountry's
# ISO 639-3 catalogs, which have no Spanish, Portuguese or Dutch name for it and write
# the French and Italian ones with a capital, as a title ("Chinois mandarin"): the name
# is given here as those readers write a language, in lower case.
SPEAKERS_NAMES: dict[str, dict[str, str]] = {
    "es": {"es_419": "español latino", "cmn": "chino mandarín"},
    "fr": {"cmn": "chinois mandarin"},
    "it": {"cmn": "cinese mandarino"},
    "nl": {"cmn": "Mandarijn"},
    "pt": {"cmn": "chinês mandarim"},
    "fr_CA": {"fr_CA": "français québécois"},
}


# A variety's name in a phrase, for a place inside brackets (scanner.language_names,
# ``inner_name``), where CLDR's name has brackets of its own ("Französisch (Kanada)",
# "francês (Canadá)", "Frans (Canada)"; "French (France)" in every language): an
# adjective and the language, as these readers name a dub ("kanadisches Französisch",
# "francês canadense", "Canadees Frans"; the names CLDR gave German and Dutch before it
# turned to "{0} ({1})"), and in the order each language's own CLDR names use (Polish
# "francuski kanadyjski": "francuski europejski"). By the reader's language, then the
# variety's BCP-47 tag.
INNER_NAMES: dict[str, dict[str, str]] = {
    "en": {"fr-FR": "European French"},
    "de": {
        "fr-CA": "kanadisches Französisch", "fr-FR": "europäisches Französisch",
        "es-419": "lateinamerikanisches Spanisch", "es-ES": "europäisches Spanisch",
        "pt-BR": "brasilianisches Portugiesisch", "pt-PT": "europäisches Portugiesisch",
    },
    "fr": {"fr-FR": "français de France"},
    "es": {"fr-FR": "francés de Francia"},
    "it": {"fr-FR": "francese europeo"},
    "nl": {
        "fr-CA": "Canadees Frans", "fr-FR": "Europees Frans",
        "es-419": "Latijns-Amerikaans Spaans", "es-ES": "Europees Spaans",
        "pt-BR": "Braziliaans Portugees", "pt-PT": "Europees Portugees",
        "de-CH": "Zwitsers Hoogduits",
    },
    "pl": {"fr-FR": "francuski europejski"},
    "pt": {
        "fr-CA": "francês canadense", "fr-FR": "francês europeu",
        "es-419": "espanhol latino", "es-ES": "espanhol europeu",
        "pt-BR": "português brasileiro", "pt-PT": "português europeu",
        "de-CH": "alto alemão suíço",
    },
}  # fmt: skip


def shown_names() -> Iterator[tuple[str, str]]:
    """Every name of these tables and the tag it names (``kanadisches Französisch``,
    ``fr-CA``; ``chino mandarín``, ``cmn``)."""
    for names in (*SPEAKERS_NAMES.values(), *INNER_NAMES.values()):
        for code, name in names.items():
            yield name, code.replace("_", "-")
