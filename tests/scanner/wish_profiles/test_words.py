"""The quality profiles' events told in the reader's language from their codes and the
profiles' names (scanner.wish_profiles.event_text), never from the English message."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from scanner.history.event_text import event_message
from scanner.models import Event
from scanner.wish_profiles import refusals

pytestmark = pytest.mark.django_db


def _said(data: dict[str, Any], language: str = "en") -> str:
    event = Event.objects.create(kind=Event.Kind.PROFILE, message="the log's", data=data)
    with translation.override(language):
        return event_message(event)


WRITTEN = {"what": "written", "title": "Incendies", "before": 1, "before_name": "HD-1080p",
           "after": 12, "after_name": "VFQ", "reason": "wish"}  # fmt: skip


def test_each_outcome_has_its_sentence() -> None:
    assert _said(WRITTEN) == "Incendies: its quality profile is now VFQ, was HD-1080p"
    asked = {**WRITTEN, "reason": "seerr", "asked_by": "Seerr (léa)"}
    assert _said(asked) == (
        "Incendies: its quality profile is now VFQ, was HD-1080p, as Seerr (léa) asked"
    )
    back = {**WRITTEN, "reason": "arrived", "after": 1, "after_name": "HD-1080p"}
    assert _said(back) == (
        "Incendies: its dub arrived, so it has its earlier quality profile HD-1080p again"
    )
    assert _said({"what": "hand", "title": "Incendies", "profile": 15}) == (
        "Incendies: its quality profile was changed in the *arr: Taggarr leaves it alone "
        "until someone lets it follow its wish again"
    )
    released = {"what": "released", "title": "Incendies", "user": "alice", "via": "cli"}
    assert _said(released) == (
        "Incendies: its quality profile follows its wish again by alice from the command line"
    )
    said = ["QualityProfileId: Quality Profile does not exist"]
    failed = {
        **WRITTEN,
        "what": "failed",
        "refusal": refusals.ARR_REFUSED,
        "detail": {"messages": said},
    }
    assert _said(failed) == (
        "Incendies: the quality profile VFQ was not set: the *arr refused the change: "
        "QualityProfileId: Quality Profile does not exist"
    )


def test_a_profile_without_a_name_is_said_by_its_id() -> None:
    unnamed = {**WRITTEN, "before_name": "", "after_name": ""}
    assert _said(unnamed) == "Incendies: its quality profile is now profile 12, was profile 1"


def test_in_the_readers_language() -> None:
    assert _said(WRITTEN, "de") == "Incendies: Das Qualitätsprofil ist jetzt VFQ, vorher HD-1080p"
    assert _said(WRITTEN, "fr") == (
        "Incendies\u00a0: son profil de qualité est maintenant VFQ, auparavant HD-1080p"
    )


def test_the_mapping_saved() -> None:
    saved = {"what": "mapping", "mapping": {"fr-CA": [None, 12], "original": [1, 15]},
             "user": "alice", "via": "api"}  # fmt: skip
    # Each wish changed, with its profiles (scanner.wish_profiles.words.mapping_text).
    assert _said(saved) == (
        "Quality profile of each wish of ? saved by alice through the API: Canadian French "
        "(VFQ): not managed → profile 12; The original only: profile 1 → profile 15"
    )
