"""Dates, numbers and plurals follow the reader's language: Django's locale formats
(django/conf/locale/<lang>/formats.py) wherever Taggarr has no format of its own
(web/formats/en, and fr_CA's times), and each catalog's plural rule."""

from __future__ import annotations

from datetime import date, datetime

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
