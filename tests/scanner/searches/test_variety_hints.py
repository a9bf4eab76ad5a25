"""A search for a missing regional dub says which custom format the *arr needs
(issue 60, item 3): Sonarr and Radarr search by language, never by variety."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import translation

from scanner.arr.profile_guard import guard_languages
from scanner.arr.profiles import CustomFormat, LanguageCondition, ProfileSettings, QualityProfile
from scanner.models import Instance, Media, MediaFile
from scanner.searches.varieties import custom_format_hints
from tests.factories import InstanceFactory, MediaFactory, MediaFileFactory


def test_the_french_dubs_name_trash_guides_formats_and_others_their_condition() -> None:
    """TRaSH-Guides/Guides docs/json/radarr/cf/french-vfq.json is named "VFQ" (release
    title VFQ), french-vq.json "VQ", french-vff.json "VFF" (TRUEFRENCH or VFF); the
    *arrs' Language condition lists "Spanish (Latino)" and "Portuguese (Brazil)"."""
    with translation.override("en"):
        quebec, france, latino, castilian, cantonese = custom_format_hints(
            ["fr-CA", "fr-FR", "es-419", "es-ES", "yue", "deu", "fr-CA"]
        )
    assert quebec == (
        "The *arr searches for French, not for Canadian French: to prefer Canadian French, "
        "its quality profile needs TRaSH guides' custom formats “VFQ”, “VQ”, “VF2”, scored above "
        "other French releases."
    )
    assert "custom formats “VFF”, “VF2”" in france
    assert "the Language condition “Spanish (Latino)”" in latino
    assert "Language condition “Spanish” and a Release Title condition matching CASTELLANO" in (
        castilian
    )
    assert "searches for Chinese, not for Cantonese" in cantonese
    assert "Language condition “Chinese”" in cantonese
    assert custom_format_hints(["fra", "deu"]) == []  # plain targets: the *arr finds them


@pytest.mark.parametrize("target", ["fr-CA", "fr-FR"])
def test_the_hint_and_the_profile_guard_name_the_same_trash_formats(target: str) -> None:
    """One table of TRaSH's names (issue 69, item 4): what the guard tells a profile
    that keeps only "French" to add is what a search's hint names, in the same order."""
    french = CustomFormat(2, "Language: French", (LanguageCondition(2),))
    profile = QualityProfile(id=1, name="HD-1080p", upgrade_allowed=True, scores={2: 100})
    settings = ProfileSettings(
        profiles=(profile,), formats=(french,), languages={1: "English", 2: "French"}
    )
    [guard] = guard_languages(settings, [target])
    assert guard.exposed == ["HD-1080p"]
    with translation.override("en"):
        [hint] = custom_format_hints([target])
    named = re.findall(r"“([^”]+)”", hint.split("needs ", 1)[1])
    assert named == guard.trash_formats and "VF2" in named


@pytest.mark.django_db
def test_the_search_preview_and_the_api_say_it(admin_client: Client) -> None:
    radarr = InstanceFactory(kind=Instance.Kind.RADARR, target_languages=["fr-CA"])
    film = MediaFactory(
        instance=radarr, kind=Media.Kind.MOVIE, arr_id=7, monitored=True, title="Film",
        coverage={"fr-CA": [0, 1]},
    )  # fmt: skip
    MediaFileFactory(media=film, path="Film.mkv", result=MediaFile.Result.NONE)
    page = admin_client.post(
        "/admin/scanner/media/",
        {"action": "search_missing_dubs", "_selected_action": [str(film.pk)]},
    ).content.decode()
    assert 'id="variety-hints"' in page and "“VFQ”" in page
    body = admin_client.post(
        "/api/search-missing/", {"media": [film.pk], "preview": True}, "application/json"
    )
    assert body.status_code == 200, body.content
    (search,) = body.json()["searches"]
    assert search["missing"] == ["fr-CA"]
    assert "“VFQ”" in search["custom_formats"][0]
