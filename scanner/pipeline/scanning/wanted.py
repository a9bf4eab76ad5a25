"""An item's own word on its targets in its verdict's reasons (Media.wanted): what was
chosen, by whom and when, so the reason can say it ("original only, chosen by alice on
2026-11-26"; scanner.reports.verdict_text words it in the reader's language)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from scanner.engine.targets import ORIGINAL_ONLY
from scanner.models import Media


def wanted_reason(media: Media) -> dict[str, Any]:
    """``{"mode": "original" | "own", "targets": [...], "by": "alice", "at": "2026-11-26"}``."""
    return {
        "mode": media.wanted,
        "targets": list(media.targets_own),
        "by": media.wanted_by,
        "at": timezone.localdate(media.wanted_at).isoformat() if media.wanted_at else "",
    }


def wanted_summary(summary: str, reason: dict[str, Any]) -> str:
    """The stored (English) summary: an original-only item's says so."""
    if reason["mode"] != ORIGINAL_ONLY or not summary.startswith("none"):
        return summary
    return f"none: original only, chosen by {reason['by'] or '?'} on {reason['at'] or '?'}"
