"""French typography on the pages as a French reader gets them (issue 84): a no-break
space (U+00A0) before ":" and inside « », a narrow one (U+202F) before ";", "!" and "?",
by the catalogs' own rule (tests/i18n/test_glossary.py, french_typography_breaks: the
Imprimerie nationale's, and every French localisation of Sonarr and Django). The
catalogs' test reads each entry alone; a template that glues a label to ": " or two
sentences with "; " breaks the rule only once rendered ("Sans étiquette: …",
"38 éléments; 0 changement"), so this one reads the pages: the seeded library of every
kind of page (tests/browser/seed.py), rendered by the test client with the browser's
Accept-Language, its visible text and its aria-label, title and placeholder values. What
the database holds as written (titles, paths, the English logs, a failed run's error) and
code are data, left out."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

from scripts.messages import catalog_languages
from tests.browser.seed import Seeded, seed
from tests.browser.test_pages_in_german_and_french import _data_words, _pages
from tests.factories import MediaFactory
from tests.i18n.test_glossary import french_typography_breaks, quebec_typography_breaks

pytestmark = pytest.mark.django_db
# Every French catalog: French, and Canadian French once it has one (fr_CA).
FRENCH = [code.replace("_", "-").lower() for code in catalog_languages() if code[:2] == "fr"]
# What is code or data in a page, not prose: kept as it is in every language.
CODE = re.compile(r"(?s)<(script|style|code|pre|kbd|samp|textarea)\b.*?</\1>")
SHOWN_ATTRIBUTES = re.compile(r"""\b(?:aria-label|title|placeholder)="([^"]*)\"""")
BLOCK = re.compile(
    r"</?(?:p|div|li|ul|ol|dl|dt|dd|tr|td|th|table|thead|tbody|h[1-6]|br|hr|section|article|"
    r"header|footer|nav|main|aside|form|fieldset|legend|label|details|summary|option|select|"
    r"button|figure|figcaption|blockquote)\b[^>]*>"
)
INLINE = re.compile(r"<[^>]+>")
URL = re.compile(r"\b[a-z][a-z+.-]*://\S+")
SHORTENED = 20  # the characters a value keeps at least where a page cuts it short


def _text(html: str) -> str:
    """What a reader sees and hears of a page, a line per block as a browser lays it out:
    its text, and the words its aria-label, title and placeholder attributes say; code
    blocks, scripts and styles left out."""
    html = CODE.sub(" ", html)
    said = [unescape(value) for value in SHOWN_ATTRIBUTES.findall(html)]
    text = unescape(INLINE.sub("", BLOCK.sub("\n", html)))
    lines = [re.sub(r"[ \t\r]+", " ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in [*lines, *said] if line)


def _prose(text: str, data: list[str]) -> str:
    """``text`` without its data (the longest first, so that a title is not cut by a
    shorter name inside it; a value a page cuts short, "Sonarr at http://…", too) and
    addresses."""
    for written in sorted({str(each) for each in data if each}, key=len, reverse=True):
        text = text.replace(written, " ")
        if len(written) > SHORTENED:
            text = re.sub(re.escape(written[:SHORTENED]) + r"[^\n…]*…", " ", text)
    return URL.sub(" ", text)


def _breaks(text: str, reader: str = "fr") -> list[str]:
    """The lines that break the rule, each once: Quebec's for a Quebec reader (no space
    before ; ! ?, scripts/compile_messages.py), France's for any other."""
    breaks = quebec_typography_breaks if reader == "fr-ca" else french_typography_breaks
    return sorted({line for line in text.split("\n") if breaks(line)})


def _page(client: Client, url: str, reader: str) -> str:
    with translation.override("en"):  # the middleware's language ends with the request
        answer = client.get(url, headers={"accept-language": reader})
    assert answer.status_code == 200, url
    return answer.content.decode()


def _more_pages(seeded: Seeded) -> dict[str, str]:
    """The pages the browser tour leaves out: the logs, a film waiting for review and
    its page, the lists of instances, events, runs and media servers, the dashboard's
    guide; the review page then lists the film."""
    film = MediaFactory.create(
        instance=seeded.new, title="Perfect Blue", needs_review=True,
        review_reasons=[{"code": "unknown_first_track", "files": ["Perfect Blue.mkv"],
                         "values": {"files": 1, "counted": 1, "language": "jpn"},
                         "reason": "1 file: the first audio track has no language"}],
        original_language="eng", original_suggestion="jpn",
    )  # fmt: skip
    return {
        "logs": "/admin/logs/",
        "log": "/admin/logs/view/taggarr-web.log",
        "film": f"/admin/scanner/media/{film.pk}/change/",
        "instances": "/admin/scanner/instance/",
        "new-instance": f"/admin/scanner/instance/{seeded.new.pk}/change/",
        "media-servers": "/admin/scanner/mediaserver/",
        "events": "/admin/scanner/event/",
        "runs": "/admin/scanner/scanrun/",
        "failed-run": f"/admin/scanner/scanrun/{seeded.failed.pk}/change/",
    }


@pytest.mark.parametrize("reader", FRENCH)
def test_every_page_keeps_french_typography(
    reader: str, admin_client: Client, settings, tmp_path: Path
) -> None:
    settings.LOG_DIR = tmp_path / "logs"
    seeded = seed(settings.LOG_DIR)
    data = [*_data_words(), "admin"]
    pages = {**_pages(seeded), **_more_pages(seeded)}
    texts = {
        name: _prose(_text(_page(admin_client, path, reader)), data)
        for name, path in pages.items()
        if name != "not-found"
    }
    assert {name: broken for name, text in texts.items() if (broken := _breaks(text, reader))} == {}
    # Where a label was glued to ": " and two sentences to "; " (issue 84), now whole.
    assert "à l'écriture\u00a0: Il manque" in texts["series"]
    assert re.search(r"Taggarr suit \d+ éléments\. \d+ changements", texts["dashboard"])


def test_the_pages_text_holds_what_is_said_and_leaves_code_out() -> None:
    html = (
        '<p title="Titre\u00a0: mot">Étiquette : <b>dub</b></p><script>a = {b: 1};</script>'
        "<code>Authorization: Token x</code>"
    )
    text = _text(html)
    assert "Authorization" not in text and "a = " not in text
    assert _breaks(text) != [] and "Titre\u00a0: mot" in text
    title = ["Dark: Part 1"]  # data: as it is written in every language
    assert _breaks(_prose("Ouvrir http://sonarr:8989/a?b=1 ; Dark: Part 1", title))
    assert _breaks(_prose("Ouvrir http://sonarr:8989/a?b=1\u202f; Dark: Part 1", title)) == []
    cut = "Sonarr at http://127.0.0.1:9 could not be reached: connection refused"
    assert _breaks(_prose("Échec\u00a0: Sonarr at http://127.0.0.1:9 could not be r…", [cut])) == []
