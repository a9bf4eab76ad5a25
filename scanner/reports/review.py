"""The review list in numbers: per instance, the items whose verdict rests on a guess no
person confirmed, and which guesses (one query)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from scanner.models import Instance, Media


def needs_review_counts() -> list[dict[str, Any]]:
    """Per instance (every one, in name order): how many items need review, and per
    guess (engine.guesses codes) how many of them rest on it."""
    names = dict(Instance.objects.order_by("name").values_list("id", "name"))
    items: Counter[int] = Counter()
    reasons: dict[int, Counter[str]] = {pk: Counter() for pk in names}
    rows = Media.objects.filter(Media.NEEDS_REVIEW).values_list("instance_id", "review_reasons")
    for instance_id, found in rows.iterator(chunk_size=2000):
        items[instance_id] += 1
        for reason in found or []:
            reasons.setdefault(instance_id, Counter())[str(reason.get("code"))] += 1
    return [
        {"instance": pk, "name": name, "needs_review": items[pk], "reasons": dict(reasons[pk])}
        for pk, name in names.items()
    ]
