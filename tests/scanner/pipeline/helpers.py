"""Reading back what a scan wrote: the fake *arr's tags and the NFO files."""

from __future__ import annotations

import re
from pathlib import Path

from scanner import scans
from scanner.arr.fake import FakeArr
from scanner.models import Instance, ScanRun

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
    return scans.scan_inline(instance, trigger=ScanRun.Trigger.CLI, **options)
