"""The media list's A-Z jump: titles by their first letter, an accented one (É, Ä, Ł)
with its plain letter, "#" for the rest (digits, signs, other scripts)."""

from __future__ import annotations

import re
import string
import unicodedata
from typing import Any

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from scanner.models import Media

OTHERS = "#"
# Letters whose plain one Unicode does not decompose them into.
UNDECOMPOSED = {"Ł": "L", "Ø": "O", "Đ": "D", "Æ": "A", "Œ": "O", "Þ": "T"}


def _initials() -> dict[str, str]:
    """Each letter A-Z with every character (both cases) that files under it: the Latin
    letters of Latin-1 and Latin Extended-A."""
    found = {letter: {letter, letter.lower()} for letter in string.ascii_uppercase}
    for code in range(0xC0, 0x180):
        char = chr(code)
        base = UNDECOMPOSED.get(char.upper()) or unicodedata.normalize("NFD", char)[0].upper()
        if base in found:
            found[base].add(char)
    return {letter: "".join(sorted(chars)) for letter, chars in found.items()}


INITIALS = _initials()


def _starts_with(chars: str) -> Q:
    # Both cases listed: no reliance on the database's case folding of non-ASCII letters.
    return Q(title__regex=f"^[{re.escape(chars)}]")


class TitleLetterFilter(admin.SimpleListFilter):
    title = _("first letter")
    parameter_name = "letter"
    # Drawn above the list as one row of links, not in the filter drawer.
    template = "admin/scanner/media/title_letters.html"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(letter, letter) for letter in (*INITIALS, OTHERS)]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Media]) -> QuerySet[Media]:
        value = self.value()
        if value in INITIALS:
            return queryset.filter(_starts_with(INITIALS[value]))
        if value == OTHERS:
            return queryset.exclude(_starts_with("".join(INITIALS.values())))
        return queryset
