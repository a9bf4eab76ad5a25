"""The sentence that tells the quality profile Taggarr set for a Seerr ask (issue 82,
scanner.seerr.sentences.profile_text): one whole sentence per wish (the dub, the original
only, the original and the dub), in each language Taggarr speaks that language's, with
the *arr's and the profile's names as they are and no placeholder left."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.utils import translation

from scanner.seerr.sentences import profile_text

WISHES = [("fr-CA", False), (None, True), ("fr-CA", True)]


def test_the_quebec_profile_is_told_with_its_name_and_why() -> None:
    with translation.override("en"):
        told = profile_text(arr="Radarr", profile="VFQ", target="fr-CA", original=False)
    assert told == (
        "Taggarr set Radarr's quality profile “VFQ” so that it grabs releases with Canadian "
        "French audio."
    )
    with translation.override("fr"):
        told = profile_text(arr="Radarr", profile="VFQ", target="fr-CA", original=False)
    assert told == (
        "Taggarr a choisi le profil de qualité «\u00a0VFQ\u00a0» dans Radarr pour "
        "récupérer les versions avec l'audio en français canadien."
    )


def test_each_wish_has_a_sentence_of_its_own() -> None:
    with translation.override("en"):
        told = {
            profile_text(arr="Sonarr", profile="P", target=target, original=original)
            for target, original in WISHES
        }
    assert len(told) == len(WISHES)


@pytest.mark.parametrize("language", [code for code, _ in settings.LANGUAGES if code != "en"])
def test_every_sentence_is_translated(language: str) -> None:
    for target, original in WISHES:
        with translation.override("en"):
            english = profile_text(
                arr="Sonarr", profile="Deutsch 1080p", target=target, original=original
            )
        with translation.override(language):
            told = profile_text(
                arr="Sonarr", profile="Deutsch 1080p", target=target, original=original
            )
        assert told != english and "%(" not in told, (language, target, original)
        assert "Sonarr" in told and "Deutsch 1080p" in told, (language, told)
