"""Every outcome of a lost dub's action (issue 67: not proven, already marked, undone)
read in German and French by the walk-through's rule: no English word of Taggarr's own,
no word the glossary forbids. The events as scanner.searches.lost_dubs and
lost_dub_undo record them."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from scanner.history.event_text import event_message
from scanner.models import Event, Instance
from scanner.searches.lost_dub_text import NOT_CERTAIN, UNDO
from tests.factories import InstanceFactory, MediaFactory
from tests.i18n.english_words import unwritten_words

pytestmark = pytest.mark.django_db
RELEASE = "Dark.S01E01.MULTi.1080p.BluRay-GRP"
BASE: dict[str, Any] = {"action": "mark_failed", "languages": ["deu"], "episodes": [[1, 1]]}
CASES = [
    *({"outcome": "not_certain", "reason": reason} for reason in NOT_CERTAIN),
    {"outcome": "already_marked"},
    *(
        {"outcome": "marked_failed", "releases": [RELEASE], "grabs": [{"id": 7}], "undo": undo}
        for undo in ({"outcome": code, "error": "HTTP 503"} for code in UNDO)
    ),
]


@pytest.mark.parametrize("language", ["de", "fr"])
@pytest.mark.parametrize("data", CASES, ids=lambda data: str(data.get("reason") or data))
def test_each_outcome_reads_in_the_readers_language(language: str, data: dict) -> None:
    instance = InstanceFactory(kind=Instance.Kind.SONARR)
    media = MediaFactory(instance=instance, title="Dark")
    event = Event.objects.create(
        instance=instance, media=media, kind=Event.Kind.LOST_DUB_ACTION, data={**BASE, **data}
    )
    with translation.override(language):
        text = event_message(event)
    english = event_message(event)
    assert text != english  # translated, and
    assert unwritten_words(text, language, ["Dark", "Sonarr", RELEASE, "HTTP 503"]) == []
