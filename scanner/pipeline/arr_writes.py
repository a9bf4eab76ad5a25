"""Tag writes to the *arr: a handful of bulk editor requests, whatever the library size."""

from __future__ import annotations

from scanner.arr import TagChange
from scanner.arr_access import arr_client
from scanner.models import Instance
from scanner.pipeline.writes import ApplyReport, TagWrite


def write_arr_tags(instance: Instance, writes: list[TagWrite], report: ApplyReport) -> None:
    """Apply the writes' tag edits; failures go to ``report.failed``, and the writes that
    held get the *arr's new tag ids."""
    changes = [TagChange(w.media.arr_id, tag, "add") for w in writes for tag in w.adds] + [
        TagChange(w.media.arr_id, tag, "remove") for w in writes for tag in w.removes
    ]
    known = set(instance.media.exclude(arr_id=None).values_list("arr_id", flat=True))
    client = arr_client(instance)
    try:
        result = client.apply_tag_changes(changes, known)
        succeeded = [w.media.arr_id for w in writes if w.media.arr_id in result.succeeded]
        if instance.refresh_after_write and succeeded:
            client.refresh(succeeded)
    finally:
        report.requests += client.requests_made
        client.close()
    for write in writes:
        reason = result.failed.get(write.media.arr_id)
        if reason is not None:
            report.failed[write.media.pk] = reason
        elif write.adds or write.removes:
            write.media.arr_tag_ids = sorted(
                (set(write.media.arr_tag_ids) - write.removes) | write.adds
            )
