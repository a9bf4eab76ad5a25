"""What an *arr offers a new instance's form: its root folders, its languages and its
tags, asked for once when a person fills in the address and the key (the admin's
"Fetch from Sonarr"). Both Sonarr and Radarr answer these v3 endpoints alike."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scanner.arr.base import BaseArrClient

# Sonarr v4 and Radarr list these pseudo-languages beside the real ones.
NOT_LANGUAGES = frozenset({"any", "unknown", "original"})


@dataclass(frozen=True, slots=True)
class ArrChoices:
    root_folders: tuple[str, ...]
    languages: tuple[str, ...]  # names, as the *arr spells them: "English", "Japanese"
    tags: tuple[str, ...]


def fetch_choices(client: BaseArrClient) -> ArrChoices:
    """Raises the client's ArrError when the *arr cannot be asked."""
    folders = _rows(client.get("/api/v3/rootfolder"))
    languages = _rows(client.get("/api/v3/language"))
    tags = _rows(client.get("/api/v3/tag"))
    return ArrChoices(
        root_folders=tuple(
            sorted({str(row["path"]).rstrip("/") or "/" for row in folders if row.get("path")})
        ),
        languages=tuple(
            sorted(
                {
                    str(row["name"])
                    for row in languages
                    if row.get("name") and str(row["name"]).lower() not in NOT_LANGUAGES
                }
            )
        ),
        tags=tuple(sorted({str(row["label"]) for row in tags if row.get("label")})),
    )


def _rows(answer: Any) -> list[dict[str, Any]]:
    return [row for row in answer if isinstance(row, dict)] if isinstance(answer, list) else []
