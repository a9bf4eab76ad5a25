"""Events as sentences: settings from old to new, data as labelled lines, no JSON."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from scanner.history.event_text import changes_text, data_lines, event_message, value_text
from tests.factories import EventFactory, InstanceFactory, MediaFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "text"),
    [(["eng", "deu"], "eng, deu"), (True, "on"), (False, "off"), ([], "-"), (None, "-"), (5, "5")],
)
def test_values_read_as_words(value: object, text: str) -> None:
    assert value_text(value) == text


def test_a_settings_change_reads_from_old_to_new() -> None:
    changes = {"target_languages": [["eng"], ["eng", "deu"]], "language_tags": [False, True]}
    assert changes_text(changes) == (
        "target languages from English to English and German; per-language tags from off to on"
    )


def test_event_data_is_labelled_lines() -> None:
    lines = data_lines({"status": "failed", "cause": "unreachable", "fields": ["target_languages"]})
    assert lines == [
        ("status", "failed"),
        ("cause", "the *arr could not be reached"),
        ("settings changed", "target languages"),
    ]


def test_the_event_page_shows_no_json_and_the_list_no_field_codes(admin_client: Client) -> None:
    event = EventFactory(
        kind="config",
        message="instance 'tv' changed by admin (admin): language_tags, target_languages",
        data={"fields": ["language_tags", "target_languages"], "user": "admin", "via": "admin",
              "changes": {"target_languages": [["eng"], ["eng", "deu"]],
                          "language_tags": [False, True]}},
    )  # fmt: skip
    listing = admin_client.get("/admin/scanner/event/").content.decode()
    assert "target languages from English to English and German" in listing
    assert "language_tags, target_languages</td>" not in listing
    page = admin_client.get(f"/admin/scanner/event/{event.pk}/change/").content.decode()
    assert "<dt>target languages</dt><dd>English → English and German</dd>" in page
    assert '"fields"' not in page and "{&quot;" not in page


@pytest.mark.parametrize(
    ("data", "sentence"),
    [
        (
            {"fields": ["kind", "name"], "user": "admin", "via": "admin", "created": True,
             "changes": {"kind": [None, "sonarr"], "name": [None, "Sonarr"]}},
            "Instance Sonarr added by admin",
        ),
        # Before the "created" mark: every old value empty.
        (
            {"fields": ["allowed_languages", "kind"], "user": "admin", "via": "admin",
             "changes": {"allowed_languages": [None, None], "kind": [None, "sonarr"]}},
            "Instance Sonarr added by admin",
        ),
        (
            {"fields": ["target_languages"], "user": "ops", "via": "api",
             "changes": {"target_languages": [["eng"], ["eng", "deu"]]}},
            "Instance Sonarr changed by ops through the API: target languages from English "
            "to English and German",
        ),
        (
            {"connection_test": {"ok": True, "version": "4.0", "lines": ["Sonarr 4.0"]},
             "user": "admin", "via": "admin"},
            "Connection test of Sonarr passed by admin",
        ),
        (
            {"connection_test": {"ok": False, "lines": ["the API key was refused (401)"]},
             "user": "admin", "via": "admin"},
            "Connection test of Sonarr failed by admin: the API key was refused (401)",
        ),
        ({"fields": ["api_key"], "user": "admin", "via": "cli"},
         "Instance Sonarr changed by admin from the command line: API key"),
    ],
)  # fmt: skip
def test_settings_events_read_as_sentences(data: dict, sentence: str) -> None:
    event = EventFactory(
        kind="config", instance=InstanceFactory(name="Sonarr"), message="raw", data=data
    )
    assert event_message(event) == sentence


def test_an_original_language_event_names_the_language() -> None:
    media = MediaFactory(title="Akira")
    event = EventFactory(
        kind="config", instance=media.instance, media=media, message="raw",
        data={"original_override": "jpn", "user": "admin", "via": "admin"},
    )  # fmt: skip
    assert event_message(event) == "Original language of Akira set to Japanese by admin"


def test_an_old_event_without_its_figures_reads_as_its_kinds_sentence() -> None:
    """Written before its data held what its sentence needs: its kind's sentence in the
    reader's language, never the stored English message."""
    media = MediaFactory(title="Akira")
    event = EventFactory(kind="tag_changed", media=media, message="Akira: none → dub")
    with translation.override("de"):
        assert event_message(event) == gettext("%(title)s: tag changed") % {"title": "Akira"}
    assert event_message(event) == "Akira: tag changed"


def test_tag_events_and_dub_news_read_in_the_readers_language() -> None:
    """Built from the facts the event recorded (scanner/pipeline/writers/apply.py
    ``_record_events``, scanner/pipeline/scanning/dub_news.py); the stored English
    message stays as the history's record."""
    from django.utils import translation

    media = MediaFactory(title="Akira")
    planned = EventFactory(
        kind="tag_planned", media=media, instance=media.instance,
        message="Akira: would change: none -> dub",
        data={"from": "none", "to": "dub", "labels_from": [], "labels_to": ["dub", "dub-en"]},
    )  # fmt: skip
    arrived = EventFactory(
        kind="dub_arrived", media=media, instance=media.instance, message="Akira: German arrived",
        data={"language": "deu", "season": None, "episodes": []},
    )  # fmt: skip
    with translation.override("de"):
        said = event_message(planned)
        assert said.startswith("Akira: würde sich ändern: ")
        assert said.endswith(" → dub (+dub, +dub-en)")
        assert "none" not in said
        assert event_message(arrived) == "Neue Synchronfassung: Deutsch — Akira"
    with translation.override("en"):
        assert event_message(planned) == "Akira: would change: no tag → dub (+dub, +dub-en)"
    assert planned.message == "Akira: would change: none -> dub"


def test_news_of_a_regional_target_names_its_variety_in_the_readers_language() -> None:
    """Issue 60: "VFQ arrived" reads as the variety's CLDR name, not the plain language."""
    media = MediaFactory(title="Film")
    arrived = EventFactory(
        kind="dub_arrived", media=media, instance=media.instance,
        message="Film: French (fr-CA) arrived",
        data={"language": "fr-CA", "season": None, "episodes": []},
    )  # fmt: skip
    with translation.override("de"):
        assert event_message(arrived) == "Neue Synchronfassung: Französisch (Kanada) — Film"
    with translation.override("fr"):
        assert "français canadien" in event_message(arrived)


def test_a_change_of_labels_alone_is_told_as_that_change() -> None:
    """Issue 61: not "none → none (+sub-fr)": the summary tag did not change (never
    written and "none" are both no tag), the labels did; a label that changed kind for a
    language is told as one change."""
    media = MediaFactory(title="Akira")
    first = EventFactory(
        kind="tag_changed", media=media, instance=media.instance, message="m",
        data={"from": "", "to": "none", "labels_from": [], "labels_to": ["sub-fr"]},
    )  # fmt: skip
    varied = EventFactory(
        kind="tag_planned", media=media, instance=media.instance, message="m",
        data={"from": "semi-dub", "to": "semi-dub", "labels_from": ["dub-de", "sub-en"],
              "labels_to": ["semi-dub-de"]},
    )  # fmt: skip
    assert event_message(first) == "Akira: changed: +sub-fr"
    assert event_message(varied) == "Akira: would change: dub-de → semi-dub-de, \u2212sub-en"
    lines = dict(data_lines(first.data))
    assert (lines["tag before"], lines["tag after"]) == ("no tag", "no tag")
