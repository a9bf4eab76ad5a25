"""The fake's users over plain HTTP: ``GET /Users`` and ``GET /Users/{userId}`` with
each user's Configuration as Jellyfin serializes UserConfiguration (PascalCase, the
SubtitlePlaybackMode by name, the constructor's defaults), 401 without the token."""

from __future__ import annotations

import pytest
import requests

from fakes.jellyfin import FakeJellyfin
from fakes.jellyfin.state import USER_ID
from fakes.jellyfin.users import configuration
from tests.helpers import SERVER_TOKEN

HEADERS = {"Authorization": f'MediaBrowser Client="test", Token="{SERVER_TOKEN}"'}


def test_users_carry_their_configuration() -> None:
    with FakeJellyfin(token=SERVER_TOKEN, version="10.11.11") as fake:
        kid = fake.state.add_user("Léa", playback={"AudioLanguagePreference": "frc"})
        listed = requests.get(f"{fake.url}/Users", headers=HEADERS, timeout=5).json()
        one = requests.get(f"{fake.url}/Users/{kid}", headers=HEADERS, timeout=5).json()
        missing = requests.get(f"{fake.url}/Users/{'0' * 32}", headers=HEADERS, timeout=5)
        anonymous = requests.get(f"{fake.url}/Users/{kid}", timeout=5)
    assert [user["Id"] for user in listed] == [USER_ID, kid]
    assert listed[0]["Configuration"] == configuration()
    assert one == listed[1]
    config = one["Configuration"]
    assert config["AudioLanguagePreference"] == "frc"
    assert (config["PlayDefaultAudioTrack"], config["SubtitleMode"]) == (True, "Default")
    assert config["SubtitleLanguagePreference"] is None
    assert (missing.status_code, anonymous.status_code) == (404, 401)


@pytest.mark.parametrize(
    "changes", [{"AudioLanguage": "fra"}, {"SubtitleMode": "Sometimes"}, {"SubtitleMode": 4}]
)
def test_a_setting_jellyfin_has_not_is_refused(changes: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="has no"):
        configuration(changes)
