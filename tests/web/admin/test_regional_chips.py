"""Issue 68, item 7: one answer per chip. A regional target's chip in the media list
tells "no French", "French, variety unknown — settle" (a link to the settling), "French
(France) only" and met apart, in the reader's language, and a filter lists each."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from scanner.engine.tracks import make_track
from scanner.models import Instance, Media
from scanner.pipeline.scanning.decide import redecide
from tests.factories import InstanceFactory, MediaFactory, MediaFileFactory, SeasonFactory

pytestmark = pytest.mark.django_db
LIST = "/admin/scanner/media/"


def _item(instance: Instance, title: str, *french: tuple[str, str | None]) -> Media:
    """A movie with an English track and these (label, title) tracks, decided from its
    stored file as a scan does."""
    media = MediaFactory(instance=instance, title=title, original_language="eng")
    season = SeasonFactory(media=media, number=1)
    specs = [("eng", None), *french]
    tracks = [make_track(n, label, name).to_dict() for n, (label, name) in enumerate(specs, 1)]
    MediaFileFactory(media=media, season=season, episodes=[1], audio_tracks=tracks)
    return redecide(media)


@pytest.fixture
def quebec() -> dict[str, Media]:
    tv = InstanceFactory(name="quebec", target_languages=["fr-CA"], language_tags=True)
    return {
        "absent": _item(tv, "No French"),
        "unknown": _item(tv, "Unknown French", ("fre", None)),
        "other": _item(tv, "Coco", ("fre", "VFF")),
        "met": _item(tv, "Shrek", ("fre", "VFQ")),
    }


def _row(html: str, title: str) -> str:
    row = re.search(rf"<tr>(?:(?!</tr>).)*>{re.escape(title)}</a>(?:(?!</tr>).)*</tr>", html, re.S)
    assert row, title
    return row.group(0)


def _chip(html: str, title: str) -> str:
    """The chip's visible words, then its title, as one line of text."""
    (chip,) = re.findall(r'<li class="tag-badge[^"]*taggarr-chip"[^>]*>.*?</li>', _row(html, title))
    title_text = re.search(r'title="([^"]*)"', chip)
    assert title_text
    seen = re.search(r'<span aria-hidden="true">(.*?)</span></span>', chip, re.S)
    assert seen
    words = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", seen.group(1))).strip()
    return f"{words} | {title_text.group(1)}"


def _titles(client: Client, query: str) -> list[str]:
    response = client.get(f"{LIST}?{query}")
    assert response.status_code == 200
    return sorted(media.title for media in response.context["cl"].result_list)


def test_the_engine_tells_why_a_regional_target_is_in_no_file(quebec: dict[str, Media]) -> None:
    states = {key: media.verdict_reasons["regional"]["fr-CA"] for key, media in quebec.items()}
    assert states == {
        "absent": {"state": "absent", "varieties": []},
        "unknown": {"state": "unknown", "varieties": []},
        "other": {"state": "other", "varieties": ["fr-FR"]},
        "met": {"state": "met", "varieties": []},
    }
    assert {key: media.language_verdicts for key, media in quebec.items()} == {
        "absent": {"fr-CA": "none"},
        "unknown": {"fr-CA": "none"},
        "other": {"fr-CA": "none"},
        "met": {"fr-CA": "dub"},
    }


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "fr",
            {
                "No French": "○ français canadien aucune piste en français"
                " | français canadien : dans aucun fichier ; aucune piste en français",
                "Unknown French": "◌ français canadien français, variante inconnue — à fixer"
                " | français canadien : français de variante inconnue (aucune source ne la"
                " nomme) ; à fixer",
                "Coco": "◇ français canadien français (France) seulement"
                " | français canadien : dans aucun fichier ; seule variante présente :"
                " français (France)",
                "Shrek": "● français canadien dub-fr-ca"
                " | français canadien : dans chaque fichier (étiquette dub-fr-ca)",
            },
        ),
        (
            "de",
            {
                "No French": "○ Französisch (Kanada) kein Französisch"
                " | Französisch (Kanada): in keiner Datei; gar kein Französisch",
                "Unknown French": "◌ Französisch (Kanada) Französisch, Variante unbekannt"
                " — festlegen | Französisch (Kanada): Französisch unbekannter Variante"
                " (keine Quelle nennt sie); bitte festlegen",
                "Coco": "◇ Französisch (Kanada) nur Französisch (Frankreich)"
                " | Französisch (Kanada): in keiner Datei; nur Französisch (Frankreich)",
                "Shrek": "● Französisch (Kanada) dub-fr-ca"
                " | Französisch (Kanada): in jeder Datei (Tag dub-fr-ca)",
            },
        ),
    ],
)
def test_each_chip_says_its_answer_in_the_readers_language(
    admin_client: Client, quebec: dict[str, Media], language: str, expected: dict[str, str]
) -> None:
    html = admin_client.get(LIST, headers={"accept-language": language}).content.decode()
    found = {title: _spaces(_chip(html, title)) for title in expected}
    assert found == expected


def _spaces(text: str) -> str:
    """French typography's narrow spaces, as plain ones (the catalogs hold them)."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def test_the_unknown_variety_links_to_its_settling(
    admin_client: Client, quebec: dict[str, Media]
) -> None:
    html = admin_client.get(LIST).content.decode()
    settle = f'href="/admin/scanner/media/{quebec["unknown"].pk}/change/#settle-varieties"'
    assert settle in _row(html, "Unknown French")
    for title in ("No French", "Coco", "Shrek"):
        assert "#settle-varieties" not in _row(html, title)
    # The item page has the section the link goes to.
    page = admin_client.get(f"/admin/scanner/media/{quebec['unknown'].pk}/change/")
    assert 'id="settle-varieties"' in page.content.decode()
    # The English words, not a sign or a colour alone.
    assert "French, variety unknown — settle" in html
    assert "French (France) only" in html and "no French" in html


def test_a_filter_for_each_answer(admin_client: Client, quebec: dict[str, Media]) -> None:
    html = admin_client.get(LIST).content.decode()
    assert "<summary> Canadian French (audio) </summary>" in html
    for value, words in (
        ("absent", "no French"),
        ("unknown", "French, variety unknown"),
        ("other", "French of another variety"),
    ):
        assert f'href="?lang_fr-CA={value}">{words}</a>' in html
    assert _titles(admin_client, "lang_fr-CA=absent") == ["No French"]
    assert _titles(admin_client, "lang_fr-CA=unknown") == ["Unknown French"]
    assert _titles(admin_client, "lang_fr-CA=other") == ["Coco"]
    assert _titles(admin_client, "lang_fr-CA=dub") == ["Shrek"]
    assert _titles(admin_client, "lang_fr-CA=none") == ["Coco", "No French", "Unknown French"]
    # Settling the unknown one moves it to the answer it got.
    unknown = quebec["unknown"]
    admin_client.post(
        f"/admin/scanner/media/{unknown.pk}/varieties/", {"language": "fra", "variety": "not"}
    )
    assert _titles(admin_client, "lang_fr-CA=unknown") == []
    assert _titles(admin_client, "lang_fr-CA=other") == ["Coco", "Unknown French"]


def test_a_plain_target_has_no_such_filter_and_keeps_its_chip(admin_client: Client) -> None:
    tv = InstanceFactory(name="paris", target_languages=["fra"], language_tags=True)
    _item(tv, "Plain None")
    html = admin_client.get(LIST).content.decode()
    assert 'href="?lang_fra=absent"' not in html
    assert 'French <span class="taggarr-chip-state">—</span>' in _row(html, "Plain None")
    # A value for a plain target lists everything, as any value no filter offers.
    assert _titles(admin_client, "lang_fra=absent") == ["Plain None"]


def test_an_item_decided_before_the_answers_were_kept_shows_as_before(
    admin_client: Client,
) -> None:
    tv = InstanceFactory(name="old", target_languages=["fr-CA"])
    MediaFactory(instance=tv, title="Old", language_verdicts={"fr-CA": "none"}, verdict_reasons={})
    html = admin_client.get(LIST).content.decode()
    assert 'title="Canadian French: in no file"' in _row(html, "Old")
    assert _titles(admin_client, "lang_fr-CA=absent") == []
    assert _titles(admin_client, "lang_fr-CA=none") == ["Old"]


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("fr-CA:absent", ["No French"]),
        ("fr-CA:unknown", ["Unknown French"]),
        ("VFQ:other", ["Coco"]),  # a target as people type it
        ("", ["Coco", "No French", "Shrek", "Unknown French"]),
    ],
)
def test_the_api_filters_each_answer_too(
    admin_client: Client, quebec: dict[str, Media], query: str, titles: list[str]
) -> None:
    response = admin_client.get("/api/media/", {"regional_state": query, "page_size": 100})
    assert response.status_code == 200
    assert sorted(item["title"] for item in response.json()["results"]) == titles


@pytest.mark.parametrize(
    "query", ["fr:absent", "fr-CA", "fr-CA:met", "klingon:absent", "fr-CA:" + "x" * 5000, ":"]
)
def test_the_api_refuses_what_is_no_regional_answer(
    admin_client: Client, quebec: dict[str, Media], query: str
) -> None:
    response = admin_client.get("/api/media/", {"regional_state": query})
    assert response.status_code == 400
    assert "regional_state" in response.json()
