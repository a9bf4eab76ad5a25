"""Where each release of the fake Jellyfin takes the token from (AuthorizationContext.cs),
over plain HTTP: every way, per release and EnableLegacyAuthorization setting."""

from __future__ import annotations

import pytest
import requests

from fakes.jellyfin import FakeJellyfin
from tests.helpers import SERVER_TOKEN

WAYS: dict[str, tuple[dict[str, str], str]] = {
    "MediaBrowser scheme": ({"Authorization": f'MediaBrowser Token="{SERVER_TOKEN}"'}, ""),
    "Emby scheme": ({"Authorization": f'Emby Client="x", Token="{SERVER_TOKEN}"'}, ""),
    "X-Emby-Authorization": ({"X-Emby-Authorization": f'MediaBrowser Token="{SERVER_TOKEN}"'}, ""),
    "X-Emby-Token": ({"X-Emby-Token": SERVER_TOKEN}, ""),
    "X-MediaBrowser-Token": ({"X-MediaBrowser-Token": SERVER_TOKEN}, ""),
    "ApiKey": ({}, f"?ApiKey={SERVER_TOKEN}"),
    "api_key": ({}, f"?api_key={SERVER_TOKEN}"),
}  # fmt: skip
EVERY = set(WAYS)
MODERN = {"MediaBrowser scheme", "ApiKey"}
EMBY = EVERY - {"ApiKey"}


@pytest.mark.parametrize(
    ("version", "legacy", "accepted"),
    [
        ("10.8.13", None, EVERY),
        ("10.10.7", None, EVERY),
        ("10.11.11", None, EVERY),  # EnableLegacyAuthorization: on by default
        ("10.11.11", False, MODERN),
        ("12.0.0", None, MODERN),  # off by default
        ("12.0.0", True, EVERY),
        ("emby-4.9.0.22", None, EMBY),
    ],
)
def test_the_ways_each_release_takes_the_token(
    version: str, legacy: bool | None, accepted: set[str]
) -> None:
    with FakeJellyfin(token=SERVER_TOKEN, version=version, legacy_auth=legacy) as fake:
        taken = {
            name
            for name, (headers, query) in WAYS.items()
            if requests.get(f"{fake.url}/System/Info{query}", headers=headers, timeout=5).ok
        }
        assert requests.get(f"{fake.url}/System/Info", timeout=5).status_code == 401
    assert taken == accepted


def test_the_first_place_with_a_token_decides() -> None:
    """A wrong token in the Authorization header is refused, whatever comes after it."""
    headers = {"Authorization": 'MediaBrowser Token="wrong"', "X-Emby-Token": SERVER_TOKEN}
    with FakeJellyfin(token=SERVER_TOKEN, version="10.10.7") as fake:
        assert (
            requests.get(f"{fake.url}/System/Info", headers=headers, timeout=5).status_code == 401
        )
        assert fake.state.auth_modes() == {}
