"""Issue 61: the dub feed (titles and summaries) read with a German and a French token,
and a notifier's messages in German and French, carry no English word of Taggarr's own
and no word the glossary forbids (tests/i18n/english_words.py says the rule, the same
as the browser walk-through's); titles, names and file names are data. Issue 71: in
Spanish and Brazilian Portuguese too (no "de os", no "de el")."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from scanner.engine.dub_news import DubChange, Replacement, describe
from scanner.models import Event, FeedToken, ScanRun
from scanner.notify.dispatch import notify_run_ended
from tests.capture import CapturingServer
from tests.factories import InstanceFactory, MediaFactory, NotifierFactory, ScanRunFactory
from tests.helpers import ARR_KEY, scan_inline
from tests.i18n.english_words import english_words, unwritten_words
from tests.i18n.test_connection_tests import closed_port

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


# The target language's name in each reader's language: the text is that language's.
GERMAN = {"de": "Deutsch", "fr": "allemand", "es": "alemán", "pt-br": "alemão"}
READERS = list(GERMAN)


def _feed_text(client: Client, language: str = "de") -> str:
    plain = FeedToken.issue("Küche", language=language)[1]
    feed = ET.fromstring(client.get("/feeds/dubs.atom", {"token": plain}).content)  # noqa: S314
    texts = [feed.findtext(f"{ATOM}title") or "", feed.findtext(f"{ATOM}subtitle") or ""]
    for entry in feed.iter(f"{ATOM}entry"):
        texts += [entry.findtext(f"{ATOM}title") or "", entry.findtext(f"{ATOM}summary") or ""]
    return "\n".join(texts)


def _notified_text(inbox: CapturingServer, run: ScanRun, count: int, language: str = "fr") -> str:
    events = ["dub_arrived", "dub_lost"]
    NotifierFactory(name="salon", url=inbox.url, events=events, language=language)
    assert notify_run_ended(run.pk) == count
    return "\n".join(f"{post['title']}\n{post['message']}" for post in inbox.wait_for(count))


@pytest.mark.parametrize("language", READERS)
def test_the_feed_has_no_english_word(client: Client, language: str) -> None:
    _run(*PLAIN)
    text = _feed_text(client, language)
    assert GERMAN[language] in text
    assert unwritten_words(text, language, DATA) == []


@pytest.mark.parametrize("language", READERS)
def test_the_notifier_has_no_english_word(inbox: CapturingServer, language: str) -> None:
    text = _notified_text(inbox, _run(*PLAIN), 2, language)
    assert GERMAN[language] in text
    assert unwritten_words(text, language, DATA) == []


def test_the_rule_finds_english() -> None:
    line = "Dark: German arrived in season 2 (season 2 now complete)"
    assert english_words(line, "de", DATA) == ["complete", "now", "season"]


@pytest.mark.parametrize("language", READERS)
def test_a_complete_season_and_a_loss_with_its_files_in_the_feed(
    client: Client, language: str
) -> None:
    _run(*WHOLE)
    assert unwritten_words(_feed_text(client, language), language, DATA) == []


@pytest.mark.parametrize("language", READERS)
def test_a_complete_season_and_a_loss_with_its_files_notified(
    inbox: CapturingServer, language: str
) -> None:
    text = _notified_text(inbox, _run(*WHOLE), 2, language)
    assert unwritten_words(text, language, DATA) == []


def test_the_rule_finds_a_forbidden_word() -> None:
    assert unwritten_words("3 Elemente im Stammordner", "de") != []
    assert unwritten_words("3 Einträge im Root-Ordner", "de") == []


@pytest.mark.parametrize("language", READERS)
def test_a_failed_scan_is_notified_without_english(inbox: CapturingServer, language: str) -> None:
    """A real scan of a Sonarr that does not answer: the "scan failed" and "unreachable"
    messages, in the notifier's language; the address is data."""
    url = f"http://127.0.0.1:{closed_port()}"
    instance = InstanceFactory(name="Serien", url=url, api_key=ARR_KEY)
    run = scan_inline(instance)
    assert run.status == ScanRun.Status.FAILED
    events = ["scan_failed", "unreachable"]
    NotifierFactory(name="salon", url=inbox.url, events=events, language=language)
    sent = notify_run_ended(run.pk)
    assert sent >= 1
    text = "\n".join(f"{post['title']}\n{post['message']}" for post in inbox.wait_for(sent))
    assert unwritten_words(text, language, [*DATA, url]) == []
