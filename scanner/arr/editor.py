"""Bulk tag changes through the series/movie editor, with fallbacks per failure.

The editor takes many ids per request, but:

- one repeated or unknown id fails the whole request with 500 and saves nothing.
  So ids are deduplicated, checked against the library list and chunked; a chunk
  that still gets a 500 is redone item by item (GET the full object, change
  ``tags``, PUT it back) so one bad id cannot block the others;
- one item that fails validation fails the whole request with 400. The chunk is
  split in halves until the refused items are alone; the rest is applied;
- the server recomputes statistics of every edited item before it answers, so a
  big chunk can outlast the read timeout while it is saved. Chunks are small and
  get a longer timeout; one that still times out is reported unconfirmed (not
  retried, not redone) and the next scan, which reads the tags back, checks it.

A server that cannot be reached or answers that it is unavailable (502, 503: starting
up, restarting) is no single item's failure: the error goes up, and the apply step
retries as a whole within TAGGARR_ARR_RETRY_SECONDS (adding or removing a tag twice
changes nothing).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from scanner.arr.payloads import TAG_ACTIONS, ApplyResult, TagAction, TagChange
from scanner.errors import (
    ArrAuthError,
    ArrError,
    ArrPermanentError,
    ArrTransientError,
    ArrUnconfirmedError,
    ArrValidationError,
)

if TYPE_CHECKING:
    from scanner.arr.base import BaseArrClient

logger = logging.getLogger(__name__)

# Ids per editor request: few enough for a slow *arr to answer within the editor's read
# timeout (docs/arr-api.md, "Editor cost"; bench/README.md, "Why the code is shaped so").
DEFAULT_CHUNK_SIZE = 500
UNCONFIRMED = "unconfirmed: {what}; the next scan checks it again"


@dataclass(frozen=True)
class EditorBatch:
    """One editor request: one tag, one action, at most ``chunk_size`` distinct ids."""

    tag_id: int
    action: TagAction
    item_ids: tuple[int, ...]

    def halves(self) -> tuple[EditorBatch, EditorBatch]:
        middle = len(self.item_ids) // 2
        return (
            EditorBatch(self.tag_id, self.action, self.item_ids[:middle]),
            EditorBatch(self.tag_id, self.action, self.item_ids[middle:]),
        )


@dataclass(frozen=True)
class EditorPlan:
    batches: tuple[EditorBatch, ...]
    rejected: Mapping[int, str]  # item id -> why none of its changes is sent


def plan_editor_batches(
    changes: Iterable[TagChange | tuple[int, int, TagAction]],
    known_ids: Iterable[int],
    chunk_size: int = DEFAULT_CHUNK_SIZE,
) -> EditorPlan:
    """Group by (tag, action), deduplicate, drop unknown and contradictory ids, chunk.

    Removals come first so an item never carries two managed tags at once.
    """
    if chunk_size < 1:
        raise ValueError("chunk_size must be at least 1")
    known = frozenset(known_ids)
    groups: dict[tuple[int, TagAction], set[int]] = defaultdict(set)
    rejected: dict[int, str] = {}
    for change in map(TagChange.coerce, changes):
        if change.item_id not in known:
            rejected[change.item_id] = "not in the library list (deleted since it was read?)"
            continue
        groups[(change.tag_id, change.action)].add(change.item_id)
    for (tag_id, action), ids in groups.items():
        if action == "add":
            for item_id in ids & groups.get((tag_id, "remove"), set()):
                rejected[item_id] = f"asked to both add and remove tag {tag_id}"
    batches = []
    for action in reversed(TAG_ACTIONS):  # "remove" before "add"
        for tag_id in sorted(tag for tag, act in groups if act == action):
            kept = sorted(groups[(tag_id, action)] - rejected.keys())
            for start in range(0, len(kept), chunk_size):
                batches.append(EditorBatch(tag_id, action, tuple(kept[start : start + chunk_size])))
    return EditorPlan(tuple(batches), rejected)


class TagChangeApplier:
    """Runs an EditorPlan against one client and keeps count of what held."""

    def __init__(self, client: BaseArrClient, *, resource: str, ids_field: str) -> None:
        self._client = client
        self._resource = resource  # "series" | "movie"
        self._ids_field = ids_field  # "seriesIds" | "movieIds"
        self._failed: dict[int, str] = {}

    def apply(self, plan: EditorPlan) -> ApplyResult:
        started_at = self._client.requests_made
        if plan.rejected:
            logger.warning(
                "%s: not changing tags of %d item(s) %s: %s",
                self._client.display_name,
                len(plan.rejected),
                _preview(plan.rejected),
                "; ".join(sorted(set(plan.rejected.values()))),
            )
        self._failed = dict(plan.rejected)
        touched: set[int] = set()
        for batch in plan.batches:
            touched.update(batch.item_ids)
            self._apply_batch(batch)
        return ApplyResult(
            succeeded=frozenset(touched - self._failed.keys()),
            failed=self._failed,
            requests=self._client.requests_made - started_at,
        )

    def _apply_batch(self, batch: EditorBatch) -> bool:
        """One editor request for the batch, and the fallback its failure calls for.
        True when that one request held for every item of the batch."""
        try:
            self._send(batch)
        except ArrAuthError:
            raise
        except ArrValidationError as exc:
            # Logged per refused item once found; the splitting itself is routine.
            logger.debug("%s: %s; splitting %d item(s)", self._name, exc, len(batch.item_ids))
            self._bisect(batch, exc)
        except ArrUnconfirmedError as exc:
            # Not resent: the server may still be saving it, and a copy would queue behind.
            self._log(batch, f"unanswered ({exc})", "the next scan checks them again")
            self._fail(batch.item_ids, UNCONFIRMED.format(what=exc.what))
        except ArrTransientError as exc:
            if _server_unavailable(exc):
                raise
            self._log(batch, f"failed ({exc})", "retrying them one by one")
            for item_id in batch.item_ids:
                self._apply_one(item_id, batch.tag_id, batch.action)
        except ArrPermanentError as exc:
            self._fail(batch.item_ids, str(exc))
        else:
            return True
        return False

    def _send(self, batch: EditorBatch) -> None:
        body = {
            self._ids_field: list(batch.item_ids),
            "tags": [batch.tag_id],
            "applyTags": batch.action,
        }
        self._client.request(
            "PUT",
            f"/api/v3/{self._resource}/editor",
            body=body,
            read_timeout=self._client.config.editor_read_timeout,
        )

    def _bisect(self, batch: EditorBatch, refusal: ArrValidationError) -> None:
        """Split a refused batch until the refused items stand alone; apply the rest.

        The server validates item by item and names no id, only the first failure.
        When the left half holds, the refused item is in the right half: it is split
        again without being sent whole, and a lone item left there is the one the
        refusal was about. So one bad item in 500 costs at most 18 more requests.
        """
        if len(batch.item_ids) == 1:
            logger.warning("%s (item %d)", refusal, batch.item_ids[0])
            self._fail(batch.item_ids, str(refusal))
            return
        left, right = batch.halves()
        if self._apply_batch(left):
            self._bisect(right, refusal)
        else:
            self._apply_batch(right)

    def _apply_one(self, item_id: int, tag_id: int, action: TagAction) -> None:
        path = f"/api/v3/{self._resource}/{item_id}"
        try:
            full = self._client.get(path)
            if not isinstance(full, dict) or not isinstance(full.get("tags", []), list):
                raise ArrPermanentError(
                    f"{self._name}: GET {path} did not return an object with tags"
                )
            tags = list(full.get("tags", []))
            if action == "add" and tag_id not in tags:
                wanted = [*tags, tag_id]
            elif action == "remove" and tag_id in tags:
                wanted = [tag for tag in tags if tag != tag_id]
            else:
                return  # already as planned
            # The full object, not a partial one: a partial PUT unmonitors the item.
            self._client.put(path, {**full, "tags": wanted})
        except ArrAuthError:
            raise
        except ArrUnconfirmedError as exc:
            self._fail([item_id], UNCONFIRMED.format(what=exc.what))
        except ArrTransientError as exc:
            if _server_unavailable(exc):
                raise
            self._fail([item_id], str(exc))
        except ArrError as exc:
            self._fail([item_id], str(exc))

    def _fail(self, item_ids: Iterable[int], reason: str) -> None:
        for item_id in item_ids:
            self._failed.setdefault(item_id, reason)

    @property
    def _name(self) -> str:
        return self._client.display_name

    def _log(self, batch: EditorBatch, what: str, then: str) -> None:
        logger.warning(
            "%s: editor %s of tag %d for %d item(s) %s; %s",
            self._name,
            batch.action,
            batch.tag_id,
            len(batch.item_ids),
            what,
            then,
        )


def _server_unavailable(error: ArrTransientError) -> bool:
    """Not reached, or unavailable as a whole (a 500 is about the request: a bad id)."""
    return not isinstance(error, ArrUnconfirmedError) and error.status in (None, 502, 503)


def _preview(ids: Iterable[int], limit: int = 10) -> str:
    ordered = sorted(ids)
    shown = ", ".join(map(str, ordered[:limit]))
    return f"[{shown}{', ...' if len(ordered) > limit else ''}]"
