"""Issue 61: an event is shown as a sentence of the reader's language built from its
kind and data (scanner/reports/event_sentences.py, web/admin/event_text.py), never as
its stored English ``message`` (the log's and the command line's). Two cheap rules keep
it so: every kind has its sentence, and no page reads the message."""

from __future__ import annotations

import re
from pathlib import Path

from scanner.history import event_text
from scanner.models import Event
from scanner.reports.event_sentences import SENTENCES

ROOT = Path(__file__).resolve().parents[2]
# Where a person reads events: the admin's pages and templates. (The API keeps the
# message as the history's record, with the codes beside it.)
SHOWN = ("web", "templates")
READS_THE_MESSAGE = re.compile(
    r"\bevent\.message\b|\{\{\s*\w+\.message\s*[|}]|\[\"message\"\]|display.*\"message\""
)
# Reads it still, and why (allowed, not required: the line may go first).
KNOWN = {
    "web/feeds.py": "the dub feed's entry summary: the feeds' part of issue 61 words it",
}


def test_every_kind_of_event_has_its_sentence() -> None:
    """A kind added to EventKind needs its sentence (or one of event_text's own)."""
    told_in_event_text = {Event.Kind.CONFIG, *event_text.TAG_KINDS, *event_text.NEWS_KINDS}
    assert set(Event.Kind.values) <= set(SENTENCES) | told_in_event_text


def test_no_page_reads_an_events_english_message() -> None:
    found = []
    for folder in SHOWN:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix not in (".py", ".html") or str(path.relative_to(ROOT)) in KNOWN:
                continue
            for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
                if READS_THE_MESSAGE.search(line):
                    found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == [], "tell the event with scanner.history.event_text.event_message"
