"""The fake *arr's quality profiles and custom formats, as Sonarr's and Radarr's
QualityProfileResource and CustomFormatResource serve them (fakes/arr/profiles.py)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from fakes.arr import SONARR_V3, FakeArr, FakeArrOptions
from fakes.arr.profiles import language_format, quality_profile

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
