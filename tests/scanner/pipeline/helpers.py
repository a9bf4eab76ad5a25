"""Reading back what a scan wrote: the fake *arr's tags and the NFO files."""

from __future__ import annotations

import re
from pathlib import Path

from scanner.arr.fake import FakeArr
from scanner.models import Instance, ScanRun
from scanner.pipeline import InlineDispatcher, start_scan

MANAGED = {"dub", "semi-dub", "wrong-dub"}


def arr_tags(fake: FakeArr) -> dict[str, str]:
    """title -> the managed tag on the item in the fake *arr ("none" if none)."""
    labels = {tag["id"]: tag["label"] for tag in fake.state.tags()}
    result = {}
    for item in fake.state.items():
        managed = sorted(labels[t] for t in item.get("tags", []) if labels.get(t) in MANAGED)
        assert len(managed) <= 1, f"{item['title']} has {managed}"
        result[item["title"]] = managed[0] if managed else "none"
    return result


def nfo_tags(path: Path) -> list[str]:
    return re.findall(r"<tag>([^<]*)</tag>", path.read_text(encoding="utf-8"))


def scan_inline(instance: Instance, **options: object) -> ScanRun:
    run = start_scan(
        instance, trigger=ScanRun.Trigger.CLI, dispatcher=InlineDispatcher(), **options
    )
    run.refresh_from_db()
    return run
