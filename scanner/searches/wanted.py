"""Which items a missing-dub search may ask for at all, by the person's word on each
(Media.wanted): an item wanted in its original only has no dub to search for. One rule
for the search's plan (the preview and the search) and the scheduled search's candidates."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Q

from scanner.engine.targets import ORIGINAL_ONLY
from scanner.models import Media

DUB_WANTED = ~Q(wanted=ORIGINAL_ONLY)
ORIGINAL_ONLY_REASON = "original only: no dub is wanted"


def dub_wanted(media: Sequence[Media]) -> tuple[list[Media], list[Media]]:
    """(the items a dub is wanted for, the original-only ones), each in the order given."""
    wanted = [item for item in media if item.wanted != ORIGINAL_ONLY]
    return wanted, [item for item in media if item.wanted == ORIGINAL_ONLY]
