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
        "Regional target Canadian French: the *arr searches by language (French), not by "
        "variety. To prefer this variety, give one of these custom formats from the TRaSH "
        "guides a score above the other releases of that language in the quality profile: "
        "“VFQ”, “VQ”, “VF2”."
    )
    assert france.endswith("quality profile: “VFF”, “VF2”.")
    assert latino.endswith("with this condition: Language “Spanish (Latino)”.")
    assert castilian.endswith(
        "with these conditions: Language “Spanish” and Release Title matching CASTELLANO."
    )
    assert cantonese.startswith(
        "Regional target Cantonese: the *arr searches by language (Chinese), not by variety."
    )
    assert "Language “Chinese”" in cantonese
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
    named = re.findall(r"“([^”]+)”", hint.split("quality profile: ", 1)[1])
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


NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("ui", "expected"),
    [
        ("fr", f"Langue cible régionale «{NBSP}français canadien{NBSP}»{NBSP}: l'*arr recherche "
         "par langue (français), pas par variante. Pour préférer cette variante, donnez à l'un "
         "de ces formats personnalisés des guides TRaSH, dans le profil de qualité, un score "
         f"supérieur à celui des autres versions de cette langue{NBSP}: “VFQ”, “VQ”, “VF2”."),
        ("de", "Regionale Zielsprache Französisch (Kanada): Das *arr sucht nach Sprache "
         "(Französisch), nicht nach Variante. Damit diese Variante bevorzugt wird, braucht das "
         "Qualitätsprofil eines dieser eigenen Formate der TRaSH Guides, höher bewertet als die "
         "anderen Releases dieser Sprache: “VFQ”, “VQ”, “VF2”."),
        ("es", "Idioma objetivo regional «francés canadiense»: el *arr busca por idioma "
         "(francés), no por variante. Para preferir esta variante, dale a uno de estos formatos "
         "personalizados de las guías de TRaSH, en el perfil de calidad, una puntuación mayor "
         "que la de los demás lanzamientos de ese idioma: “VFQ”, “VQ”, “VF2”."),
        ("pt-br", "Idioma-alvo regional “francês (Canadá)”: o *arr pesquisa por idioma "
         "(francês), não por variante. Para preferir essa variante, dê a um destes formatos "
         "personalizados dos guias TRaSH, no perfil de qualidade, uma pontuação maior que a dos "
         "outros lançamentos desse idioma: “VFQ”, “VQ”, “VF2”."),
    ],
)  # fmt: skip
def test_the_hint_names_the_variety_and_the_formats_apart(ui: str, expected: str) -> None:
    """Issue 71: no "de les formats", "precisa de os formatos", "recherche du anglais": the
    variety is quoted, the language in brackets, the formats after a colon."""
    with translation.override(ui):
        assert custom_format_hints(["fr-CA"]) == [expected]
        [castilian] = custom_format_hints(["es-ES"])
    assert " de le" not in castilian and " de os " not in castilian and " de un " not in castilian
