"""Sentences, not fragments (issue 71): what was a clause appended at run time ("; not
written: ...", "; " + the daily bound, "none of %(varieties)s", clauses and validation
messages joined with "; ") is whole sentences, each its own message, the plural chosen
by the number its noun follows; read in every catalog's language by the walk-through's
rule (no English word of Taggarr's own, no word the glossary forbids)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import translation

from scanner.actions.nfo_outlook import library_outlook
from scanner.connect.sentences import said
from scanner.engine import varieties
from scanner.engine.tracks import AudioTrack
from scanner.history.event_text import event_message
from scanner.models import Event, Instance, ScanRun
from scanner.reports.progress import changes_text
from scanner.reports.variety_text import variety_source
from scripts.compile_messages import base_language
from scripts.messages import catalog_languages
from tests.factories import InstanceFactory, MediaFactory, ScanRunFactory
from tests.i18n.english_words import unwritten_words
from web.admin.media_page import none_of_sentence

pytestmark = pytest.mark.django_db
# The whole catalogs: a regional one (es_419) reads as its base but for its overrides.
LANGUAGES = [
    language.replace("_", "-").lower()
    for language in catalog_languages()
    if not base_language(language)
]
# A count of one with a plural noun after it: "1 fichiers", "1 Folgen", "1 episodios".
ONE_WITH_A_PLURAL = {
    "de": r"\b1 (Folgen|Einträgen|Tag-Änderungen|geprüften Ordnern)\b",
    "fr": r"\b1 (épisodes|éléments|modifications|dossiers)\b",
    "es": r"\b1 (episodios|elementos|cambios)\b",
    "pt-br": r"\b1 (episódios|itens|alterações)\b",
    "it": r"\b1 (episodi|elementi|modifiche)\b",
    "nl": r"\b1 (afleveringen|items|tagwijzigingen)\b",
    "pl": r"\b1 (odcinki|odcinków|zmian)\b",  # "1 zmiany": a genitive singular
}


def _run(written: int, not_written: dict[str, int], failed: int) -> ScanRun:
    planned = written + sum(not_written.values()) + failed
    return ScanRunFactory(
        instance=InstanceFactory(kind=Instance.Kind.LIBRARY, url=""),
        status=ScanRun.Status.SUCCEEDED,
        tags_changed=written,
        summary={
            "planned_changes": planned,
            "not_written": not_written,
            "tag_write_failures": {str(pk): "HTTP 500" for pk in range(failed)},
        },
    )


def _sentences(text: str) -> list[str]:
    """The text's sentences: each ends with a full stop (the French one too)."""
    return [each for each in re.split(r"(?<=\.) (?=\S)", text) if each]


def test_a_runs_tag_changes_are_sentences_each_with_its_own_count() -> None:
    run = _run(1, {"missing": 2, "kept": 1}, 1)
    assert _sentences(changes_text(run)) == [
        "1 tag change written.",
        "2 tag changes not written: no NFO file found and Create NFOs is off.",
        "1 tag change not written: Write NFO tags is off.",
        "Have your media server or a metadata manager save NFO files, or connect a media server.",
        "The tags of 1 item could not be written.",
    ]
    nothing = _run(0, {"nfo_off": 2}, 0)
    assert changes_text(nothing) == (
        "2 tag changes not written: Write NFO tags and Create NFOs are off. Have your media "
        "server or a metadata manager save NFO files, or connect a media server."
    )
    assert changes_text(_run(2, {}, 2)) == (
        "2 tag changes written. The tags of 2 items could not be written."
    )


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("count", [1, 2])
def test_a_runs_tag_changes_read_as_sentences_in_each_language(language: str, count: int) -> None:
    run = _run(count, {"missing": count, "no_link": count, "unknown": count}, count)
    english = changes_text(run)
    with translation.override(language):
        text = changes_text(run)
    assert text != english
    said = _sentences(text)
    assert len(said) == len(_sentences(english)) == 6  # none joined to another
    assert ";" not in text.replace("\u202f;", "")  # never a clause appended with "; "
    assert unwritten_words(text, language) == []
    if count == 1:
        assert not re.search(ONE_WITH_A_PLURAL[language], text), text


def _search(bound: list[int], missing: list[str]) -> Event:
    instance = InstanceFactory(kind=Instance.Kind.SONARR)
    media = MediaFactory(instance=instance, title="Dark")
    data = {"missing": missing, "episodes": [[1, 1], [1, 2]], "bound": bound}
    return Event.objects.create(instance=instance, media=media, kind=Event.Kind.SEARCH, data=data)


def test_the_daily_bound_is_a_sentence_after_the_searchs() -> None:
    """A sentence of its own after the search's, never "; " and a clause; its noun after
    the number its plural is chosen by (tests/scanner/reports/test_count_grammar.py)."""
    assert event_message(_search([1, 2], ["deu"])) == (
        "Dark: asked Sonarr to search S01E01-E02 (missing language: German). "
        "Only 1 episode was searched today: the daily bound is reached. "
        "1 episode waits for the next days."
    )
    assert event_message(_search([2, 3], ["deu", "fra"])).endswith(
        "(missing languages: French and German). Only 2 episodes were searched today: the "
        "daily bound is reached. 1 episode waits for the next days."
    )


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("asked", "missing"), [(0, ["deu"]), (1, ["deu"]), (2, ["deu", "fra"])])
def test_the_daily_bound_reads_in_each_language(
    language: str, asked: int, missing: list[str]
) -> None:
    event = _search([asked, 3], missing)
    english = event_message(event)
    with translation.override(language):
        text = event_message(event)
    assert text != english
    assert "; " not in text.replace("\u202f; ", "")
    assert unwritten_words(text, language, ["Dark", "Sonarr", "S01E01-E02"]) == []
    if asked == 1:
        assert not re.search(ONE_WITH_A_PLURAL[language], text), text


def test_none_of_the_varieties_is_a_sentence_chosen_by_their_number() -> None:
    one = none_of_sentence("fra", ["fr-CA"], "anna")
    assert one == "French of unknown variety is not Canadian French (settled by anna)."
    two = none_of_sentence("fra", ["fr-CA", "fr-BE"], "anna")
    assert two == (
        "French of unknown variety is none of these varieties (settled by anna): "
        "Canadian French, French (Belgium)."
    )


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("varieties", [["fr-CA"], ["fr-CA", "fr-BE"]])
def test_none_of_the_varieties_reads_in_each_language(language: str, varieties: list[str]) -> None:
    english = none_of_sentence("fra", varieties, "anna")
    with translation.override(language):
        text = none_of_sentence("fra", varieties, "anna")
    assert text != english and "anna" in text and text.endswith(".")
    assert unwritten_words(text, language, ["anna"]) == []


@pytest.mark.parametrize("folders", [1, 2])
def test_what_a_library_scan_will_write_is_a_fact_a_line(tmp_path: Path, folders: int) -> None:
    """Before: one English string, its clauses joined with "; " (the connection test's
    line and the guide's warning, in every reader's language)."""
    for number in range(folders):
        (tmp_path / f"Show {number}").mkdir()
    instance = InstanceFactory(
        kind=Instance.Kind.LIBRARY, url="", root_folders=[str(tmp_path)], write_nfo=True
    )
    outlook = library_outlook(instance)
    assert outlook is not None and outlook.nothing_on_disk
    noun = "item folder" if folders == 1 else "item folders"
    assert [str(line) for line in outlook.lines] == [
        f"no NFO file in the {folders} {noun} looked at, and Create NFOs is off",
        "Taggarr will tag nothing on disk",
        "have your media server or a metadata manager save NFO files, or connect a media server",
    ]
    for language in LANGUAGES:
        with translation.override(language):
            lines = [said(line) for line in outlook.lines]
        assert all(line != str(english) for line, english in zip(lines, outlook.lines, strict=True))
        assert unwritten_words("\n".join(lines), language) == [], language
        if folders == 1:
            assert not re.search(ONE_WITH_A_PLURAL[language], "\n".join(lines))


def test_a_variety_said_otherwise_is_one_message() -> None:
    """Before: ``text += ", " + gettext("but %(variety)s %(source)s")``; now the
    conjunction and the order are the translation's."""
    track = AudioTrack(
        position=1, raw_language="fr-CA", language="fra", title="VFF", default=True,
        forced=False, is_commentary=False, variety="fr-CA", variety_source=varieties.BCP47,
        variety_note=f"{varieties.TITLE}:fr-FR",
    )  # fmt: skip
    assert variety_source(track) == (
        "from the BCP-47 language tag fr-CA, but French (France) from the track title VFF"
    )
    for language in LANGUAGES:
        with translation.override(language):
            text = variety_source(track)
        assert "fr-CA" in text and "VFF" in text
        assert unwritten_words(text, language, ["fr-CA", "VFF", "BCP-47"]) == [], language
