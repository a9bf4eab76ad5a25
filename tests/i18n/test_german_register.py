"""German addresses the reader as *Sie*, never *du* (issue 84; docs/languages.md, "German
says Sie"): a German page is the Django admin, whose own German on the same page says
*Sie* (django/contrib/admin/locale/de: "Sind Sie sicher?"), as most of Sonarr's German
does. A catalog that mixed the two read as careless; an entry written later in *du*
fails here."""

from __future__ import annotations

import re

from scripts.messages import DOMAINS, catalog_path, read_catalog

# The du pronouns, and the imperatives the catalog once used in the du form (the Sie
# form of each is "Wählen Sie", "Geben Sie" ...; the infinitive "… wählen" is fine too).
_IMPERATIVES = (
    "wähle|gib|nenne|stelle|schalte|starte|füge|lege|nimm|lass|bestätige|aktiviere|schreibe"
    "|mach|verbinde|speichere|kreuze|lösche|prüfe|trage|setze|öffne|klicke"
)
# A sentence opens on the imperative capitalised ("Stelle in Plex …"); within one it
# follows "und", "oder" or a comma in lower case ("… und wähle dieses Konto"), where a
# capitalised word is a noun ("an Ort und Stelle").
DU = re.compile(
    r"\b([Dd]u|[Dd]ich|[Dd]ir|[Dd]ein(e|en|em|er|es)?)\b"
    rf"|(^|[:;.!?]\s)({_IMPERATIVES.title()}|{_IMPERATIVES})\s"
    rf"|(,\s|\bund\s|\boder\s)({_IMPERATIVES})\s"
)


def test_no_german_entry_says_du() -> None:
    found = []
    for domain in DOMAINS:
        for message in read_catalog(catalog_path("de", domain)):
            if not message.id:
                continue
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            for text in strings:
                match = DU.search(text or "")
                if match:
                    found.append(f"{domain}: {text!r} ({match.group(0).strip()!r})")
    assert not found, "German says Sie, not du:\n" + "\n".join(found)


def test_the_check_finds_du() -> None:
    """The pattern catches what the catalog once said, and lets the Sie forms pass."""
    for du in (
        "Lass deinen Medienserver NFO-Dateien speichern",
        "Stelle in Plex „Untertitelmodus“ auf „Smart“.",
        "Keine Quelle nennt sie: Lege einmal fest, was sie sind.",
        "nenne höchstens 3 Sprachen",
        "Gib die PIN ein oder wähle ein anderes Konto.",
    ):
        assert DU.search(du), du
    for sie in (
        "Lassen Sie Ihren Medienserver NFO-Dateien speichern",
        "Stellen Sie in Plex „Untertitelmodus“ auf „Smart“.",
        "Keine Quelle nennt die Variante dieser Spuren.",
        "höchstens 3 Sprachen angeben",
        "Wählen Sie höchstens 3 Einträge auf einmal.",
    ):
        assert not DU.search(sie), sie
