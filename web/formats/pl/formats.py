"""Polish dates in digits with dots, "28.11.2026 15:03", as Polish writes them (the
spelling rules of PWN's Wielki słownik ortograficzny and the Rada Języka Polskiego's
answers on writing dates): Django's pl formats (django/conf/locale/pl/formats.py) write
"28-11-2026  15:03", hyphens and two spaces. Every other format is Django's. Found
through FORMAT_MODULE_PATH (taggarr/settings.py)."""

from __future__ import annotations

SHORT_DATE_FORMAT = "d.m.Y"  # 28.11.2026
SHORT_DATETIME_FORMAT = "d.m.Y H:i"  # 28.11.2026 15:03
