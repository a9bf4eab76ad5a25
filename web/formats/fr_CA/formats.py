"""Quebec's times as the OQLF writes them, "15 h 36": Django's fr_CA formats
(django/conf/locale/fr_CA/formats.py) leave the ``h`` unescaped, a format character (the
hour on 12), so that they print "15 03 36". Only the times are Taggarr's; every other
format is Django's (a format module names what it changes: django.utils.formats.get_format
falls back on Django's own for the rest). Found through FORMAT_MODULE_PATH."""

from __future__ import annotations

TIME_FORMAT = "H\xa0\\h\xa0i"  # 15 h 36
DATETIME_FORMAT = "j F Y, H\xa0\\h\xa0i"  # 28 novembre 2026, 15 h 36
SHORT_DATETIME_FORMAT = "Y-m-d H\xa0\\h\xa0i"  # 2026-11-28 15 h 36
