"""Dates, numbers and plurals follow the reader's language: Django's locale formats
(django/conf/locale/<lang>/formats.py) wherever Taggarr has no format of its own
(web/formats/en, and fr_CA's times), and each catalog's plural rule."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest
from django.conf import settings
from django.utils import formats, translation
from django.utils.translation import ngettext


def test_dates_and_numbers_in_german_and_french() -> None:
    day = date(2026, 11, 25)
    with translation.override("de"):
        assert formats.date_format(day, "DATE_FORMAT") == "25. November 2026"
        assert formats.number_format(1234.5, 1, use_l10n=True, force_grouping=True) == "1.234,5"
    with translation.override("fr"):
        assert formats.date_format(day, "DATE_FORMAT") == "25 novembre 2026"
    with translation.override("en"):
        assert formats.date_format(day, "DATE_FORMAT") == "2026-11-25"  # web/formats/en


def test_quebec_reads_its_times_as_the_oqlf_writes_them() -> None:
    """Django's fr_CA formats print 15:03 as "15 03 03" (an unescaped ``h``, the hour on
    12, between the two: still so in django/conf/locale/fr_CA/formats.py); web/formats/fr_CA
    writes it "15 h 03", its dates and numbers Django's."""
    when = datetime(2026, 11, 28, 15, 3, 36)
    with translation.override("fr-ca"):
        assert formats.time_format(when, "TIME_FORMAT") == "15\xa0h\xa003"
        assert formats.date_format(when, "DATETIME_FORMAT") == "28 novembre 2026, 15\xa0h\xa003"
        assert formats.date_format(when, "SHORT_DATETIME_FORMAT") == "2026-11-28 15\xa0h\xa003"
        assert formats.date_format(when, "DATE_FORMAT") == "28 novembre 2026"
        assert formats.get_format("DECIMAL_SEPARATOR") == ","


def test_polish_has_three_plural_forms() -> None:
    with translation.override("pl"):
        assert [ngettext("%d item", "%d items", n) % n for n in (1, 3, 5, 22)] == [
            "1 pozycja",
            "3 pozycje",
            "5 pozycji",
            "22 pozycje",
        ]


# How each variety writes a date and a time, as its own references set it: the month
# names lowercase in French, Spanish, Portuguese, Italian and Dutch (Brazil since the
# Acordo Ortográfico de 1990, Base XIX; Italian: Treccani, "maiuscole"; Spanish: RAE,
# Ortografía de la lengua española, 2010), German's day with a dot (Duden), Polish
# digits with dots (web/formats/pl), the genitive month in Polish (Django's "E").
WRITTEN = {
    "de": ("28. November 2026", "28.11.2026 15:03"),
    "fr": ("28 novembre 2026", "28/11/2026 15:03"),
    "fr-ca": ("28 novembre 2026", "2026-11-28 15\xa0h\xa003"),
    "es": ("28 de noviembre de 2026", "28/11/2026 15:03"),
    "es-419": ("28 de noviembre de 2026", "28/11/2026 15:03"),
    "pt-br": ("28 de novembro de 2026", "28/11/2026 15:03"),
    "it": ("28 novembre 2026", "28/11/2026 15:03"),
    "nl": ("28 november 2026", "28-11-2026 15:03"),
    "pl": ("28 listopada 2026", "28.11.2026 15:03"),
}


@pytest.mark.parametrize(("language", "written"), sorted(WRITTEN.items()))
def test_each_variety_writes_its_dates(language: str, written: tuple[str, str]) -> None:
    when = datetime(2026, 11, 28, 15, 3, 36)
    with translation.override(language):
        said = (
            formats.date_format(when, "DATE_FORMAT"),
            formats.date_format(when, "SHORT_DATETIME_FORMAT"),
        )
        long_form = formats.date_format(when, "DATETIME_FORMAT")
    assert said == written
    assert not re.search(r"\s{2}", long_form)
    # No capital inside a date: a month's or a day's name is lowercase where its
    # language writes it so (German's nouns are capitalised).
    if language != "de":
        assert long_form[1:] == long_form[1:].lower()


def test_every_variety_has_its_dates() -> None:
    assert sorted(WRITTEN) == sorted(code for code, _ in settings.LANGUAGES if code != "en")
