"""The Jellyfin client's handling of answers the fake never gives (``responses``):
a 5xx retried then given up, a redirect not followed, a body that echoes the token."""

from __future__ import annotations

import pytest
import responses

from scanner.media_servers.base import MediaServerError, ServerErrorStatus, ServerUnreachable
from scanner.media_servers.jellyfin import JellyfinClient, ServerConfig
from tests.helpers import SERVER_TOKEN

URL = "http://jellyfin.test:8096"


def _client(attempts: int = 1, waits: list[float] | None = None) -> JellyfinClient:
    config = ServerConfig(name="jf", url=URL, token=SERVER_TOKEN)
    sleep = waits.append if waits is not None else None
    return JellyfinClient(config, attempts=attempts, sleep=sleep)


@responses.activate
def test_a_5xx_is_retried_then_unreachable() -> None:
    responses.get(f"{URL}/System/Info", status=503)
    waits: list[float] = []
    client = _client(attempts=3, waits=waits)
    with pytest.raises(ServerUnreachable, match="503") as caught:
        client.info()
    assert isinstance(caught.value, ServerErrorStatus)  # it answered: not down, failing
    assert len(responses.calls) == 3 and len(waits) == 2
    sent = responses.calls[0].request.headers
    assert sent["X-Emby-Token"] == SERVER_TOKEN
    assert f'Token="{SERVER_TOKEN}"' in sent["Authorization"]
    assert SERVER_TOKEN not in (responses.calls[0].request.url or "")


@responses.activate
def test_a_redirect_is_not_followed() -> None:
    responses.get(
        f"{URL}/System/Info", status=302, headers={"Location": "http://elsewhere/System/Info"}
    )
    with pytest.raises(MediaServerError, match="302"):
        _client().info()
    assert len(responses.calls) == 1


@responses.activate
def test_an_error_body_that_echoes_the_token_is_redacted() -> None:
    responses.get(f"{URL}/System/Info", status=400, body=f"bad token {SERVER_TOKEN}")
    with pytest.raises(MediaServerError) as caught:
        _client().info()
    assert SERVER_TOKEN not in str(caught.value) and "<token>" in str(caught.value)
