"""Which targets a person may add (scanner.engine.real_targets): real languages that
CLDR names, real countries and the UN M49 areas CLDR knows, a script only where CLDR has
a locale in it."""

from __future__ import annotations

import pytest

from scanner.engine.real_targets import real_target
from scanner.engine.targets import target_code


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        ("de", "deu"), ("German", "deu"), ("fr-CA", "fr-CA"), ("es-419", "es-419"),
        ("pt-BR", "pt-BR"), ("yue", "yue"), ("cmn", "cmn"), ("zh-yue", "yue"),
        ("zh-Hant", "zh-Hant"), ("zh-Hant-TW", "zh-Hant-TW"), ("sr-Latn", "sr-Latn"),
        ("en-150", "en-150"), ("nb", "nob"),
    ],
)  # fmt: skip
def test_real_languages_and_regions_are_taken(value: str, stored: str) -> None:
    assert real_target(value) == stored


@pytest.mark.parametrize(
    "value",
    [
        "e",  # the E language (eee): ISO 639-3 has it, CLDR names no such language
        "es-999",  # no UN M49 area
        "fr-Cyrl-CA",  # no French locale in Cyrillic
        "fr-Cyrl",
        "en-XK", "xx", "i-klingon", "und",
    ],
)  # fmt: skip
def test_odd_codes_are_refused(value: str) -> None:
    assert real_target(value) is None


def test_a_stored_target_stays_readable() -> None:
    """Targets stored before the rule are still judged as they were (engine.targets)."""
    assert target_code("es-999") == "es-999" and target_code("e") == "eee"
