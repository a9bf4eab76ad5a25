"""The lists the profile guard reads (scanner.arr.profiles), held to their bounds: a few
times what a real *arr holds is kept, the rest counted and never kept; names cut."""

from __future__ import annotations

import pytest
import responses

from scanner.arr.profiles import (
    MAX_FORMATS,
    MAX_LANGUAGES,
    MAX_PROFILES,
    fetch_profile_settings,
)
from scanner.errors import ArrPermanentError
from tests.scanner.arr.conftest import SONARR_URL


def _answer(profiles: list, formats: list, languages: list) -> None:
    responses.get(f"{SONARR_URL}/api/v3/qualityprofile", json=profiles)
    responses.get(f"{SONARR_URL}/api/v3/customformat", json=formats)
    responses.get(f"{SONARR_URL}/api/v3/language", json=languages)


@responses.activate
def test_lists_past_their_bounds_are_counted_not_kept(client_factory) -> None:
    formats = [{"id": i, "name": f"F{i}", "specifications": []} for i in range(MAX_FORMATS + 3)]
    profile_items = [{"format": i, "score": 1} for i in range(MAX_FORMATS * 3)]
    profiles = [
        {"id": i, "name": "p" * 300, "formatItems": profile_items} for i in range(MAX_PROFILES + 2)
    ]
    languages = [{"id": i, "name": f"L{i}"} for i in range(MAX_LANGUAGES + 1)]
    _answer(profiles, formats, languages)
    settings = fetch_profile_settings(client_factory())
    assert (len(settings.profiles), len(settings.formats)) == (MAX_PROFILES, MAX_FORMATS)
    assert len(settings.languages) == MAX_LANGUAGES
    assert settings.unread == {"profiles": 2, "formats": 3, "languages": 1}
    assert len(settings.profiles[0].scores) == MAX_FORMATS
    assert settings.profiles[0].name == "p" * 99 + "\u2026"


@responses.activate
def test_a_language_name_longer_than_a_language_is_left_out(client_factory) -> None:
    _answer([], [], [{"id": 1, "name": "German" + " (x)" * 1500}, {"id": 2, "name": "French"}])
    assert fetch_profile_settings(client_factory()).languages == {2: "French"}


@responses.activate
def test_an_answer_that_is_not_a_list_is_told_by_its_type(client_factory) -> None:
    _answer([], [], [])
    responses.replace(
        responses.GET, f"{SONARR_URL}/api/v3/customformat", json={"secret": "its words"}
    )
    with pytest.raises(ArrPermanentError, match=r"customformat: expected a JSON array") as caught:
        fetch_profile_settings(client_factory())
    assert "(got an object)" in str(caught.value) and "secret" not in str(caught.value)
