from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from scanner.validators import MAX_SEARCH_LENGTH

# The main menu's entries, by the first part of the admin path that names them.
SECTIONS = {"dashboard": "dashboard", "changes": "changes", "logs": "logs", "all": "all"}


def taggarr(request: HttpRequest) -> dict[str, object]:
    """Values every admin page shows: the version, the Flower link, which entry of the
    main menu the page belongs to, the longest search the header's field sends, and the
    language menu's entries, each named in itself (Django's ``get_available_languages``
    translates the names: "English" read "Englisch" among "Français", "Español")."""
    return {
        "taggarr_languages": settings.LANGUAGES,
        "taggarr_version": settings.VERSION,
        "flower_url": settings.FLOWER_URL,
        "taggarr_section": section_of(request.path),
        "taggarr_search_length": MAX_SEARCH_LENGTH,
    }


def section_of(path: str) -> str:
    """``/admin/scanner/media/3/change/`` is in "media"; ``/admin/`` is "home"."""
    parts = [part for part in path.split("/") if part]
    if parts[:1] != ["admin"]:
        return ""
    if len(parts) == 1:
        return "home"
    if parts[1] == "scanner" and len(parts) > 2:
        return parts[2]
    return SECTIONS.get(parts[1], "")
