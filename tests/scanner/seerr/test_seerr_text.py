"""Every Seerr event (scanner.models.event_data: SEERR_*) is told by a sentence of its
own (scanner/seerr/event_text.py), never the catch-all, and in each language Taggarr
speaks it is that language's sentence, with its values and no placeholder left."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.utils import translation

from scanner.models import Event
from scanner.models import event_data as codes
from scanner.seerr.event_text import seerr_text

SEERR_CODES = sorted(
    value
    for name, value in vars(codes).items()
    if name.startswith("SEERR_") and isinstance(value, str)
)
DATA = {
    "seerr": "Jellyseerr",
    "title": "Le Film",
    "person": "Papa",
    "user": "papa",
    "version": "2.5.2",
    "issue": 7,
    "asked_language": "fr-CA",
    "count": 3,
}


def test_every_code_has_a_sentence_of_its_own() -> None:
    assert len(SEERR_CODES) >= 15
    with translation.override("en"):
        fallback = seerr_text(Event(kind=Event.Kind.SEERR), {"what": "no such code", **DATA})
        texts = {
            code: seerr_text(Event(kind=Event.Kind.SEERR), {"what": code, **DATA})
            for code in SEERR_CODES
        }
    assert [code for code, text in texts.items() if text == fallback] == []
    assert len(set(texts.values())) == len(texts)


@pytest.mark.parametrize("language", [code for code, _ in settings.LANGUAGES if code != "en"])
def test_every_sentence_is_translated(language: str) -> None:
    event = Event(kind=Event.Kind.SEERR)
    for code in SEERR_CODES:
        with translation.override("en"):
            english = seerr_text(event, {"what": code, **DATA})
        with translation.override(language):
            told = seerr_text(event, {"what": code, **DATA})
        assert told != english, (language, code)
        assert "%(" not in told, (language, code)
        for value in ("Le Film", "Papa", "Jellyseerr"):
            assert (value in told) == (value in english), (language, code, told)
