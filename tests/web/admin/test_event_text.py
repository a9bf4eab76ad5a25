"""Events as sentences: settings from old to new, data as labelled lines, no JSON."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import EventFactory
from web.admin.event_text import changes_text, data_lines, value_text

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
        "target languages: eng → eng, deu; per-language tags: off → on"
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
    assert "target languages: eng → eng, deu" in listing
    assert "language_tags, target_languages</td>" not in listing
    page = admin_client.get(f"/admin/scanner/event/{event.pk}/change/").content.decode()
    assert "<dt>target languages</dt><dd>eng → eng, deu</dd>" in page
    assert '"fields"' not in page and "{&quot;" not in page
