"""Issue 71's walk-through in Spanish and Brazilian Portuguese, as the German and French one
(tests/browser/test_walk_through_in_german_and_french.py) and by its rule
(tests/i18n/english_words.py: no English word of Taggarr's own, no word the glossary
forbids, so no "de os", "em o", "de el"): the news of real scans of real files (a dub
that arrives in two languages in two episodes, a dub lost in one), read where a reader
reads it: the events page and the run page (the test client, as the reader's browser
gets them), a notifier's messages in the reader's language, the dub feed made with the
reader's language; and the profile guard's warnings and the regional hints as the
dashboard and the search page say them. Counts of 0, 1 and 2, lists of 1 and 2
languages."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html import unescape
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

from scanner.arr.profile_guard import LanguageGuard
from scanner.models import Event, FeedToken, Instance, Media, MediaFile, ScanRun
from scanner.reports.profile_guard_text import guard_lines
from scanner.searches.varieties import custom_format_hints
from tests.browser.seed import seed
from tests.browser.test_pages_in_german_and_french import _data_words, _pages

# What a Quebec household's Radarr v6 and TRaSH's guides name: data in every language.
from tests.browser.test_profile_guard import GUARD
from tests.capture import capturing_server
from tests.factories import NotifierFactory
from tests.helpers import scan_inline
from tests.i18n.english_words import unwritten_words
from tests.library import Library
from tests.media import MediaFactory, layout

READERS = ["es", "pt-br"]
NEWS = ["dub_arrived", "dub_lost"]
ATOM = "{http://www.w3.org/2005/Atom}"
ONE_GUARD = LanguageGuard(
    target="es-419",
    arr_languages=["Spanish (Latino)"],
    variety_told=True,
    variety_checked=True,
    exposed=["HD-1080p"],
    language_only_formats=[],
    trash_formats=[],
    original_language_profiles=[],
)
GUARD_DATA = [
    "HD Bluray + WEB", "UHD Bluray + WEB", "Language: Original + French", "VFQ", "VQ",
    "VF2", "HD-1080p", "Spanish (Latino)", "French", "Sonarr", "Radarr", "TRaSH",
]  # fmt: skip


def _data() -> list[str]:
    """What the database holds as written (titles, paths, names): the same in every
    language; and the tags' own words (dub-de is what Sonarr shows too)."""
    texts = [*Media.objects.values_list("title", flat=True)]
    texts += MediaFile.objects.values_list("path", flat=True)
    for instance in Instance.objects.all():
        texts += [instance.name, instance.url, *instance.root_folders]
    texts += [
        name
        for path in MediaFile.objects.values_list("path", flat=True)
        for name in path.split("/")
    ]
    return [*texts, "dub", "semi", "wrong", "none", "admin", "Sonarr", "Taggarr", "Küche"]


def _text(html: str) -> str:
    """A page's visible text: no script, no tags; a table's cells kept apart, as a
    browser shows them (a badge "DE" in one cell and "O pôster" in the next are no
    "de o")."""
    html = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", html)
    html = re.sub(r"</t[dh]>", " | ", html)
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def _page(client: Client, url: str, reader: str) -> str:
    client.cookies["django_language"] = reader
    with translation.override("en"):  # the middleware's language ends with the request
        answer = client.get(url)
    assert answer.status_code == 200, url
    return _text(answer.content.decode())


def _feed(client: Client, reader: str) -> str:
    plain = FeedToken.issue("Küche", language=reader)[1]
    feed = ET.fromstring(client.get("/feeds/dubs.atom", {"token": plain}).content)  # noqa: S314
    texts = [feed.findtext(f"{ATOM}title") or "", feed.findtext(f"{ATOM}subtitle") or ""]
    for entry in feed.iter(f"{ATOM}entry"):
        texts += [entry.findtext(f"{ATOM}title") or "", entry.findtext(f"{ATOM}summary") or ""]
    return "\n".join(texts)


@pytest.mark.django_db(transaction=True)
def test_real_news_reads_in_spanish_and_portuguese(
    sonarr_instance: Instance, tv_library: Library, media: MediaFactory, admin_client: Client
) -> None:
    sonarr_instance.target_languages = ["eng", "deu"]
    sonarr_instance.save()
    with capturing_server() as spanish, capturing_server() as portuguese:
        inboxes = {"es": spanish, "pt-br": portuguese}
        for reader, inbox in inboxes.items():
            NotifierFactory(name=f"salon-{reader}", url=inbox.url, events=NEWS, language=reader)
        scan_inline(sonarr_instance)  # the first scan takes note, it tells nothing
        for path in tv_library.files["Anime Half"][2:]:  # two episodes, two languages
            path.unlink()
            media.make_video(path, layout("jpn", "eng", "deu"))
        arrived = scan_inline(sonarr_instance)
        old = tv_library.files["Anime Dubbed"][1]  # one episode, one language
        old.unlink()
        media.make_video(old.with_name("Anime Dubbed - S01E02 REPACK.mkv"), layout("jpn"))
        lost = scan_inline(sonarr_instance)
        kinds = Event.objects.filter(run__in=[arrived, lost]).values_list("kind", flat=True)
        assert {Event.Kind.DUB_ARRIVED, Event.Kind.DUB_LOST} <= set(kinds)
        notified = {reader: inbox.wait_for(2) for reader, inbox in inboxes.items()}
    assert lost.status == ScanRun.Status.SUCCEEDED
    data = _data()
    found: dict[str, list[str]] = {}
    for reader in READERS:
        told = "\n".join(f"{post['title']}\n{post['message']}" for post in notified[reader])
        read = {
            "notifier": told,
            "feed": _feed(admin_client, reader),
            "events": _page(admin_client, "/admin/scanner/event/", reader),
            "run": _page(admin_client, f"/admin/scanner/scanrun/{lost.pk}/change/", reader),
        }
        german = {"es": "alemán", "pt-br": "alemão"}[reader]
        assert german in read["notifier"] and german in read["feed"]
        for where, text in read.items():
            if words := unwritten_words(text, reader, data):
                found[f"{reader} {where}"] = words
    assert found == {}


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("guards", [[ONE_GUARD], [GUARD, ONE_GUARD]], ids=["one", "two"])
def test_the_profile_guards_warnings_read_in_spanish_and_portuguese(
    reader: str, guards: list[LanguageGuard]
) -> None:
    english = guard_lines("Radarr", guards)
    with translation.override(reader):
        lines = guard_lines("Radarr", guards)
    assert lines and lines != english
    assert unwritten_words("\n".join(lines), reader, GUARD_DATA) == []


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("targets", [["fr-CA"], ["fr-CA", "es-419", "pt-BR", "yue"]])
def test_the_regional_hints_read_in_spanish_and_portuguese(reader: str, targets: list[str]) -> None:
    english = custom_format_hints(targets)
    with translation.override(reader):
        hints = custom_format_hints(targets)
    assert hints and hints != english
    assert unwritten_words("\n".join(hints), reader, GUARD_DATA) == []


@pytest.mark.django_db
@pytest.mark.parametrize("reader", READERS)
def test_every_page_of_the_tour_reads_in_spanish_and_portuguese(
    reader: str, admin_client: Client, tmp_path: Path
) -> None:
    """The German and French page tour's pages (tests/browser/test_pages_in_german_and_
    french.py: the seeded library of every kind of event, a dry run to review, a failed
    scan, a household), read as the test client gets them: no browser, the same rule."""
    seeded = seed(tmp_path / "logs")
    data = [*_data_words(), "admin"]
    found = {
        name: words
        for name, path in _pages(seeded).items()
        if name != "not-found"
        and (words := unwritten_words(_page(admin_client, path, reader), reader, data))
    }
    assert found == {}


def test_the_rule_finds_an_uncontracted_article_and_a_french_plural_after_one() -> None:
    assert unwritten_words("precisa de os formatos", "pt-br") != []
    assert unwritten_words("precisa dos formatos", "pt-br") == []
    assert unwritten_words("la lista de el perfil", "es") != []
    assert unwritten_words("1 fichiers sur 12", "fr") != []
    assert unwritten_words("1 fichier sur 12", "fr") == []
