"""Targets as people type them (issue 68, item 5): every alias lands on its variety,
``lat`` is Latin-American Spanish (never Latin), a qualifier in parentheses is a region
or the value is refused (never read as its language alone), and a refused word has its
nearest names."""

from __future__ import annotations

import pytest

from scanner.engine.real_targets import real_target
from scanner.engine.target_aliases import ALIASES, nearest, typed_target
from scanner.engine.targets import target_code
from scanner.engine.varieties import known_varieties


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("VFQ", "fr-CA"), ("vfq", "fr-CA"), ("VQ", "fr-CA"), ("Québécois", "fr-CA"),
        ("quebecois", "fr-CA"), ("français canadien", "fr-CA"), ("Francais  Canadien", "fr-CA"),
        ("French (Canada)", "fr-CA"), ("Français (Canada)", "fr-CA"),
        ("Französisch (Kanada)", "fr-CA"), ("francés canadiense", "fr-CA"),
        ("VFF", "fr-FR"), ("TRUEFRENCH", "fr-FR"), ("truefrench", "fr-FR"),
        ("Latino", "es-419"), ("LATINO", "es-419"), ("Español (Latinoamérica)", "es-419"),
        ("español latinoamericano", "es-419"), ("Spanish (Latino)", "es-419"),
        ("Spanish(Latino)", "es-419"), ("lat", "es-419"), ("LAT", "es-419"),
        ("LatAm", "es-419"), ("espagnol d\u2019Amérique latine", "es-419"),
        ("espagnol d'Amérique latine", "es-419"),
        ("Castellano", "es-ES"), ("castilian", "es-ES"), ("Español de España", "es-ES"),
        ("Portuguese (Brazil)", "pt-BR"), ("Brasileiro", "pt-BR"), ("PT-BR", "pt-BR"),
        ("pt_br", "pt-BR"), ("Português (Brasil)", "pt-BR"), ("portugais brésilien", "pt-BR"),
        ("European Portuguese", "pt-PT"),
        ("Chinese (Cantonese)", "yue"), ("Mandarin Chinese", "cmn"), ("French Canadian", "fr-CA"),
        ("Cantonese", "yue"), ("kantonesisch", "yue"), ("Mandarin", "cmn"), ("国语", "cmn"),
        ("Schweizerdeutsch", "de-CH"), ("Deutsch (Schweiz)", "de-CH"),
        ("German (Austria)", "de-AT"),  # any language with any region CLDR names
        # Plain languages stay as before.
        ("de", "deu"), ("fra", "fra"), ("Japanese", "jpn"), ("fr-ca", "fr-CA"),
        ("es_419", "es-419"), ("zh-yue", "yue"),
        ("Swahili (macrolanguage)", "swa"),
    ],
)  # fmt: skip
def test_a_target_is_taken_as_people_write_it(typed: str, code: str) -> None:
    assert typed_target(typed) == code
    assert real_target(typed) == code  # what the instance form, the API and an item store


@pytest.mark.parametrize("alias", sorted(ALIASES))
def test_every_alias_names_a_variety_taggarr_knows(alias: str) -> None:
    assert typed_target(alias) == ALIASES[alias] and ALIASES[alias] in known_varieties()


def test_lat_is_latino_and_spanish_latino_is_not_any_spanish() -> None:
    assert target_code("lat") == "lat"  # what a track's code says (the instance's option)
    assert real_target("lat") == "es-419"  # what a person typing a target means
    assert real_target("Spanish (Latino)") == "es-419" != target_code("Spanish (Latino)")


@pytest.mark.parametrize(
    "typed", ["French (Atlantis)", "Spanish (Latinoo)", "VFX", "klingon-ish", "", "x" * 500]
)
def test_a_value_naming_no_target_for_sure_is_refused(typed: str) -> None:
    """Before: "French (Atlantis)" was saved as any French, its qualifier dropped."""
    assert typed_target(typed) is None and real_target(typed) is None


def test_the_nearest_names_of_a_refused_word() -> None:
    assert nearest("VFX", "fr") == [("VFQ", "fr-CA"), ("VFF", "fr-FR")]
    assert nearest("Latinno", "de")[0] == ("Latino", "es-419")
    assert all(code != "lat" for _, code in nearest("Latinn", "en"))  # Latin never offered
    assert nearest("Quebecoi", "en") == [("Québécois", "fr-CA")]
    assert ("Französisch", "fra") in nearest("Französich", "de")
    assert nearest("qqqqqqqq", "fr") == [] and nearest("", "fr") == []
    assert nearest("x" * 5000, "fr") == []
