"""Tag writes to the *arr: the missing labels created, then a handful of bulk editor
requests, whatever the library size and the number of labels."""

from __future__ import annotations

from collections.abc import Mapping

from scanner.arr import TagChange
from scanner.connect.arr import arr_client
from scanner.models import Instance
from scanner.pipeline.writers.writes import ArrResult, TagWrite


def write_arr_tags(
    instance: Instance, writes: list[TagWrite], tag_ids: Mapping[str, int]
) -> ArrResult:
    """Apply the writes' tag edits; the failures and the requests made, and the writes
    that held get the *arr's new tag ids. ``tag_ids`` is the plan's label -> id map."""
    client = arr_client(instance)
    try:
        needed = {label for w in writes for label in w.add_labels if label not in tag_ids}
        ids = {**tag_ids, **(client.ensure_tags(needed) if needed else {})}
        changes = [
            TagChange(w.media.known_arr_id, ids[label], "add")
            for w in writes
            for label in w.add_labels
        ] + [
            TagChange(w.media.known_arr_id, ids[label], "remove")
            for w in writes
            for label in w.remove_labels
        ]
        known = {
            arr_id
            for arr_id in instance.media.exclude(arr_id=None).values_list("arr_id", flat=True)
            if arr_id is not None
        }
        result = client.apply_tag_changes(changes, known)
        succeeded = [w.media.known_arr_id for w in writes if w.media.arr_id in result.succeeded]
        if instance.refresh_after_write and succeeded:
            client.refresh(succeeded)
    finally:
        requests = client.requests_made
        client.close()
    failed: dict[int, str] = {}
    for write in writes:
        reason = result.failed.get(write.media.known_arr_id)
        if reason is not None:
            failed[write.media.pk] = reason
        elif write.add_labels or write.remove_labels:
            added = {ids[label] for label in write.add_labels}
            removed = {ids[label] for label in write.remove_labels}
            write.media.arr_tag_ids = sorted((set(write.media.arr_tag_ids) - removed) | added)
    return ArrResult(failed=failed, requests=requests, tag_ids=ids)
