"""Dates as the admin shows them everywhere: ``2026-11-25 08:09``, short, sortable and
never wrapped in the middle of a month name (Django's English default is "Nov. 25,
2026, 8:09 a.m."). Found through FORMAT_MODULE_PATH (taggarr/settings.py)."""

from __future__ import annotations

DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
TIME_FORMAT = "H:i"
