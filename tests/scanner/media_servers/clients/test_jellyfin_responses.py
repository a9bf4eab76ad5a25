"""The Jellyfin client's requests and its handling of answers the fake never gives
(``responses``): each request sent once, a 503 as ServerBusy, a redirect not followed,
a body that echoes the token, the token in one header only, the long read timeout of
a series' write and the read-only fields left out of it."""

from __future__ import annotations

import json

import pytest
import responses

from scanner.media_servers.clients.base import (
    MediaServerError,
    ServerBusy,
    ServerErrorStatus,
    ServerItem,
    ServerUnreachable,
)
from scanner.media_servers.clients.jellyfin import JellyfinClient, ServerConfig
from scanner.media_servers.clients.jellyfin_http import SERIES_WRITE_TIMEOUT
from tests.helpers import SERVER_TOKEN

URL = "http://jellyfin.test:8096"


def _client() -> JellyfinClient:
    return JellyfinClient(ServerConfig(name="jf", url=URL, token=SERVER_TOKEN))


@responses.activate
def test_a_503_is_sent_once_and_is_server_busy() -> None:
    responses.get(f"{URL}/System/Info", status=503)
    with pytest.raises(ServerBusy, match="503") as caught:
        _client().info()
    assert isinstance(caught.value, ServerErrorStatus) and caught.value.status == 503
    assert not isinstance(caught.value, ServerUnreachable)  # it answered
    assert len(responses.calls) == 1
    sent = responses.calls[0].request.headers
    assert f'Token="{SERVER_TOKEN}"' in sent["Authorization"]
    assert "X-Emby-Token" not in sent  # a legacy header Jellyfin 12 no longer reads
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
    responses.get(f"{URL}/System/Info", status=400, json={"message": f"bad token {SERVER_TOKEN}"})
    responses.get(f"{URL}/Library/VirtualFolders", status=500, json=f"oops {SERVER_TOKEN}")
    for call in (_client().info, lambda: _client().http.send("GET", "/Library/VirtualFolders")):
        with pytest.raises(MediaServerError) as caught:
            call()
        assert SERVER_TOKEN not in str(caught.value) and "<token>" in str(caught.value)


@pytest.mark.parametrize(("kind", "timeout"), [("series", SERIES_WRITE_TIMEOUT), ("movie", 30.0)])
@responses.activate
def test_a_write_leaves_out_the_read_only_fields_and_a_series_gets_time(
    kind: str, timeout: float
) -> None:
    """A series' update saves its seasons and episodes too (10.9+): a long read timeout.
    The read-only bulk fields never go back (10.11+ answers 500 to Trickplay)."""
    whole = {
        "Id": "i1", "Name": "Item", "Type": "Series" if kind == "series" else "Movie",
        "Overview": "kept", "Tags": ["mine"], "ProviderIds": {"Tvdb": "1"},
        "Trickplay": {"src": {"320": {"Width": 320}}}, "MediaSources": [{"Id": "src"}],
        "UserData": {"Played": False}, "ImageTags": {"Primary": "x"},
    }  # fmt: skip
    responses.get(f"{URL}/Items", json={"Items": [whole], "TotalRecordCount": 1})
    responses.post(f"{URL}/Items/i1", status=204)
    item = ServerItem(id="i1", kind=kind, title="Item", path="/x")  # type: ignore[arg-type]
    assert _client().set_tags(item, {"dub"}, set()) is True
    read, write = responses.calls
    assert "Ids=i1" in str(read.request.url) and "userId" not in str(read.request.url)
    body = json.loads(write.request.body or b"{}")
    assert body["Tags"] == ["mine", "dub"] and body["Overview"] == "kept"
    assert not {"Trickplay", "MediaSources", "UserData", "ImageTags"} & set(body)
    # The read timeout is the series' (not the 30 s of every other call), less what the
    # exchange has spent already (bounded_request: the deadline holds the whole exchange).
    connect, read_left = write.request.req_kwargs["timeout"]
    assert connect == 5.0 and timeout - 1.0 < read_left <= timeout


@responses.activate
def test_names_paths_and_tags_with_lone_surrogates_and_nul_are_listed_cleaned() -> None:
    """RFC 8259, 8.2: a JSON string may hold an unpaired surrogate escape, which Python's
    json decodes into a str no database stores. Jellyfin (.NET) writes the file its
    string names with U+FFFD there (dotnet/runtime src/libraries/System.Private.CoreLib/
    src/System/Text/UTF8Encoding.cs: the replacement fallback), so U+FFFD it is; the
    managed tags compare as before."""
    row = {
        "Id": "s1", "Type": "Series", "Name": "Anime \ud800 Dubbed\x00\t",
        "Path": "/media/tv/Anime \udc80 Dubbed\x00", "Tags": ["dub", "mine\ud800", "x\x1b"],
        "ProviderIds": {"Tvdb": "12\ud800"},
    }  # fmt: skip
    body = json.dumps({"Items": [row], "TotalRecordCount": 1})
    responses.get(f"{URL}/Items", body=body, content_type="application/json")
    libraries = [{"ItemId": "tv", "Name": "TV \ud800", "Locations": ["/media/tv\ud800"]}]
    responses.get(f"{URL}/Library/VirtualFolders", json=libraries)
    responses.get(f"{URL}/System/Info", json={"ServerName": "jf", "Version": "10.11.11"})
    responses.get(f"{URL}/System/Configuration", json={})
    [item] = _client().items()
    assert (item.title, item.path) == (
        "Anime \ufffd Dubbed ",
        "/media/tv/Anime \ufffd Dubbed\ufffd",
    )
    assert item.tags == {"dub", "mine\ufffd", "x"}
    assert item.provider_ids == {"tvdb": "12\ufffd"}
    [library] = _client().info().libraries
    assert (library.name, library.locations) == ("TV \ufffd", ("/media/tv\ufffd",))


@responses.activate
def test_a_failing_answers_json_is_quoted_cleaned() -> None:
    """The quote is stored with the run's events: one line, whatever the JSON's spacing."""
    body = '{"message":\r\n"Object reference not set"}\r\n'
    responses.get(f"{URL}/System/Info", status=500, body=body)
    with pytest.raises(ServerErrorStatus) as caught:
        _client().info()
    said = str(caught.value)
    assert said.startswith("jf: GET /System/Info answered 500: {") and "\n" not in said
    assert "Object reference not set" in said


@responses.activate
def test_a_failing_answer_that_is_not_json_is_never_quoted() -> None:
    """What the answer was, never what it said: a test aimed at a text service (on the
    loopback) must not read it out."""
    responses.get(f"{URL}/System/Info", status=500, body="db_password=hunter2\r\n")
    with pytest.raises(ServerErrorStatus) as caught:
        _client().info()
    assert str(caught.value) == "jf: GET /System/Info answered 500: not JSON (HTTP 500, text/plain)"
