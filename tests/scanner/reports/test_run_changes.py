"""A run's changes in words (scanner.reports.run_changes), issue 61: an item whose tag
went is "Tag removed", never "Tag none set"; a change of labels alone is told as that
change, a label that changed kind for one language as one change."""

from __future__ import annotations

import pytest

from scanner.reports.run_changes import change_lines
from tests.factories import EventFactory, MediaFactory, ScanRunFactory

pytestmark = pytest.mark.django_db


def test_a_tag_taken_off_and_labels_changed_are_told_as_what_happened() -> None:
    run = ScanRunFactory(status="succeeded")
    for title, data in (
        ("Akira", {"from": "dub", "to": "none"}),
        ("Dark", {"from": "", "to": "none", "labels_to": ["sub-fr"]}),
        ("Monster", {"from": "semi-dub", "to": "semi-dub", "labels_from": ["dub-de"],
                     "labels_to": ["semi-dub-de"]}),
    ):  # fmt: skip
        media = MediaFactory(instance=run.instance, title=title)
        EventFactory(instance=run.instance, run=run, media=media, kind="tag_changed",
                     message=f"{title}: changed", data=data)  # fmt: skip

    assert change_lines(run) == [
        ("Tag removed", "Akira"),
        ("Labels only", "Dark (+sub-fr), Monster (dub-de \u2192 semi-dub-de)"),
    ]
