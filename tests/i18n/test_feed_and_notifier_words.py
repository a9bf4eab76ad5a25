"""Issue 61: the dub feed (titles and summaries) read with a German token and a
notifier's messages in French carry no English word of Taggarr's own
(tests/i18n/english_words.py says the rule); titles, names and file names are data."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from scanner.engine.dub_news import DubChange, Replacement, describe
from scanner.models import Event, FeedToken, ScanRun
from scanner.notify.dispatch import notify_run_ended
from tests.capture import CapturingServer
from tests.factories import InstanceFactory, MediaFactory, NotifierFactory, ScanRunFactory
from tests.i18n.english_words import english_words

pytestmark = pytest.mark.django_db(transaction=True)
ATOM = "{http://www.w3.org/2005/Atom}"
SWAP = Replacement(4, "Dark - S01E04 WEB.mkv", "Dark - S01E04 BluRay.mkv")
DATA = ["Dark", "Serien", "salon", SWAP.old, SWAP.new, "Taggarr"]


def _run(*changes: DubChange) -> ScanRun:
    instance = InstanceFactory(name="Serien", target_languages=["deu"])
    run = ScanRunFactory(instance=instance, status=ScanRun.Status.SUCCEEDED)
    dark = MediaFactory(instance=instance, title="Dark")
    for change in changes:
        Event.objects.create(
            run=run, instance=instance, media=dark, kind=f"dub_{change.kind}",
            message=describe(change, "Dark"), data=change.to_data(),
        )  # fmt: skip
    return run


PLAIN = (
    DubChange("arrived", "deu", 2, (1, 2), (), False),
    DubChange("lost", "deu", 3, (7,), (), False),
    DubChange("arrived", "deu", None, (), (), False),
)
WHOLE = (
    DubChange("arrived", "deu", 2, (1, 2), (), season_complete=True),
    DubChange("lost", "deu", 1, (4,), (SWAP,), False),
)


def _feed_text(client: Client) -> str:
    plain = FeedToken.issue("Küche", language="de")[1]
    feed = ET.fromstring(client.get("/feeds/dubs.atom", {"token": plain}).content)  # noqa: S314
    texts = [feed.findtext(f"{ATOM}title") or "", feed.findtext(f"{ATOM}subtitle") or ""]
    for entry in feed.iter(f"{ATOM}entry"):
        texts += [entry.findtext(f"{ATOM}title") or "", entry.findtext(f"{ATOM}summary") or ""]
    return "\n".join(texts)


def _notified_text(inbox: CapturingServer, run: ScanRun, count: int) -> str:
    NotifierFactory(name="salon", url=inbox.url, events=["dub_arrived", "dub_lost"], language="fr")
    assert notify_run_ended(run.pk) == count
    return "\n".join(f"{post['title']}\n{post['message']}" for post in inbox.wait_for(count))


def test_the_german_feed_has_no_english_word(client: Client) -> None:
    _run(*PLAIN)
    text = _feed_text(client)
    assert "Deutsch" in text
    assert english_words(text, "de", DATA) == []


def test_the_french_notifier_has_no_english_word(inbox: CapturingServer) -> None:
    text = _notified_text(inbox, _run(*PLAIN), 2)
    assert "allemand" in text
    assert english_words(text, "fr", DATA) == []


def test_the_rule_finds_english() -> None:
    line = "Dark: German arrived in season 2 (season 2 now complete)"
    assert english_words(line, "de", DATA) == ["complete", "now", "season"]


def test_a_complete_season_and_a_loss_with_its_files_in_the_german_feed(client: Client) -> None:
    _run(*WHOLE)
    assert english_words(_feed_text(client), "de", DATA) == []


def test_a_complete_season_and_a_loss_with_its_files_in_french(inbox: CapturingServer) -> None:
    assert english_words(_notified_text(inbox, _run(*WHOLE), 2), "fr", DATA) == []
