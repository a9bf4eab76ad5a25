"""The fake *arr's quality profiles and custom formats, as Sonarr's and Radarr's
QualityProfileResource and CustomFormatResource serve them (fakes/arr/profiles.py)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from fakes.arr import RADARR_V5, RADARR_V6, SONARR_V3, FakeArr, FakeArrOptions
from fakes.arr.profiles import custom_format, language_format, quality_profile

KEY = "0123456789abcdef0123456789abcdef"
DUBLADO = language_format(3, "Dublado", [("Portuguese (Brazil)", False, True)])


def _get(fake: FakeArr, path: str) -> object:
    request = urllib.request.Request(fake.url + path, headers={"X-Api-Key": KEY})  # noqa: S310
    with urllib.request.urlopen(request, timeout=5) as answer:  # noqa: S310 - the fake
        return json.load(answer)


@pytest.mark.parametrize(("app", "language_id"), [("sonarr", 33), ("radarr", 30)])
def test_a_language_condition_has_the_release_id(app: str, language_id: int) -> None:
    """Language.cs: Portuguese (Brazil) is 33 in Sonarr, 30 in Radarr."""
    with FakeArr(FakeArrOptions(app=app, api_key=KEY)) as fake:
        fake.state.set_custom_formats([DUBLADO])
        fake.state.set_profiles([quality_profile(1, "HD-1080p", scores={3: 100})])
        [served] = _get(fake, "/api/v3/customformat")
        [profile] = _get(fake, "/api/v3/qualityprofile")
    [spec] = served["specifications"]
    assert spec["implementation"] == "LanguageSpecification"
    fields = {field["name"]: field["value"] for field in spec["fields"]}
    assert fields == {"value": language_id, "exceptLanguage": False}
    assert profile["formatItems"] == [{"format": 3, "name": "Dublado", "score": 100}]
    assert profile["upgradeAllowed"] is True and profile["minFormatScore"] == 0


def test_sonarr_v3_has_no_custom_formats() -> None:
    with FakeArr(FakeArrOptions(app="sonarr", version=SONARR_V3, api_key=KEY)) as fake:
        [profile] = _get(fake, "/api/v3/qualityprofile")
        with pytest.raises(urllib.error.HTTPError) as refused:
            _get(fake, "/api/v3/customformat")
    assert refused.value.code == 404
    assert "formatItems" not in profile and "minFormatScore" not in profile


@pytest.mark.parametrize(
    ("version", "language"),
    [(RADARR_V5, {"id": 1, "name": "English"}), (RADARR_V6, {"id": -2, "name": "Original"})],
)
def test_a_new_radarr_profile_has_the_release_language(
    version: str, language: dict[str, object]
) -> None:
    """QualityProfileService.cs: a new profile's language, English before v6, Original
    from v6 (Radarr 80a9fa68d); served as a Language, its id and name."""
    with FakeArr(FakeArrOptions(app="radarr", version=version, api_key=KEY)) as fake:
        fake.state.set_profiles(
            [quality_profile(1, "HD-1080p"), quality_profile(2, "Any", language="Any")]
        )
        first, second = _get(fake, "/api/v3/qualityprofile")
    assert first["language"] == language
    assert second["language"] == {"id": -1, "name": "Any"}


def test_sonarr_profiles_have_no_language() -> None:
    with FakeArr(FakeArrOptions(app="sonarr", api_key=KEY)) as fake:
        [profile] = _get(fake, "/api/v3/qualityprofile")
    assert "language" not in profile


def test_a_release_title_condition_is_served_as_the_api_does() -> None:
    """RegexSpecificationBase.cs: one field, ``value``, the regular expression."""
    vfq = custom_format(4, "VFQ", titles=[(r"\b(VFQ)\b", False, True)])
    with FakeArr(FakeArrOptions(app="sonarr", api_key=KEY)) as fake:
        fake.state.set_custom_formats([vfq])
        [served] = _get(fake, "/api/v3/customformat")
    [spec] = served["specifications"]
    assert spec["implementation"] == "ReleaseTitleSpecification"
    assert spec["required"] is True and spec["negate"] is False
    assert [(f["name"], f["value"]) for f in spec["fields"]] == [("value", r"\b(VFQ)\b")]
