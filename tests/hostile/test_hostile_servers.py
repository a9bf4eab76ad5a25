"""Every client against a server that answers badly on purpose (fakes/hostile/server.py):
each case ends in the client's own error, naming the server, the request and the bound,
and reading a 200 MB, endless or 100,000-deep answer stays within a bounded peak of
memory (tracemalloc, in this process). An *arr's list is bounded per item instead of
as one answer (scanner.http.bounds): one item too large, too deep or too slow ends it,
and its length only by a count of items.

The rules applied are the libraries', from their sources: requests keeps every header
but Authorization on a redirect to another host (psf/requests src/requests/sessions.py,
``SessionRedirectMixin.rebuild_auth``), so no client may follow one; urllib3 reads a
body in reads of whatever has arrived (urllib3/urllib3 src/urllib3/response.py,
``HTTPResponse.read1``), each under the socket's timeout; ijson builds items from the
parse events it is given (ICRAR/ijson src/ijson/common.py, ``items_basecoro`` and
``ObjectBuilder``). The servers' side: Sonarr's list of series is one JSON array
(Sonarr/Sonarr src/Sonarr.Api.V3/Series/SeriesController.cs, ``AllSeries``), Jellyfin's
/System/Info one object (jellyfin/jellyfin Jellyfin.Api/Controllers/SystemController.cs),
Plex answers XML (pkkid/python-plexapi plexapi/server.py, ``PlexServer.query``).
"""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from fakes.hostile import HostileServer
from fakes.hostile.server import MB
from scanner.arr import ArrConfig, make_client
from scanner.arr.profile_guard import MAX_NAMES, guard_languages
from scanner.arr.profiles import MAX_FORMATS, MAX_PROFILES, fetch_profile_settings
from scanner.errors import ArrError
from scanner.http import bounds
from scanner.media_servers.clients.base import MediaServerError
from scanner.media_servers.clients.emby import EmbyClient
from scanner.media_servers.clients.jellyfin import JellyfinClient, ServerConfig
from scanner.media_servers.clients.plex import PlexClient

KEY = "hostilekey0123456789abcdef012345"
LIMIT_MB = 4
DEADLINE = 0.5  # the drip's; the other cases get LONG (tracemalloc slows the reading)
LONG = 60.0
PEAK_BYTES = 50 * 1024 * 1024
STATUS = {
    "sonarr": b'{"appName": "Sonarr", "version": "4.0.14.2939"}',
    "radarr": b'{"appName": "Radarr", "version": "5.26.2.10099"}',
}
TOO_LARGE = f"answer larger than {LIMIT_MB} MB"
TOO_DEEP = "answer nested deeper than 64 levels"
TOO_SLOW = f"no complete answer within {DEADLINE:g} s"
# A list's bounds, per item (scanner.http.bounds.ELEMENT_BYTES: 1 MB, below LIMIT_MB).
TOO_LARGE_ITEM = "an item of the list larger than 1 MB"
TOO_SLOW_ITEM = f"no new item of the list within {DEADLINE:g} s"


@dataclass(frozen=True)
class Target:
    """One client and one of its calls; ``path`` is the request the cases answer."""

    name: str
    path: str
    call: Callable[[str, float], Any]
    error: type[Exception]
    said: str  # how its messages name the server
    normal: dict[str, bytes]


def _arr(kind: str, operation: str, *args: Any) -> Callable[[str, float], Any]:
    def call(url: str, deadline: float) -> Any:
        config = ArrConfig(
            name="hostile", kind=kind, url=url, api_key=KEY, connect_timeout=deadline,
            read_timeout=deadline, max_answer_mb=LIMIT_MB, deadline=deadline,
        )  # fmt: skip
        with make_client(config) as client:
            return getattr(client, operation)(*args)

    return call


def _server_config(url: str, kind: str, deadline: float) -> ServerConfig:
    return ServerConfig(
        name="hostile", url=url, token=KEY, kind=kind, connect_timeout=deadline,
        read_timeout=deadline, max_answer_mb=LIMIT_MB, deadline=deadline,
    )  # fmt: skip


def _jellyfin(url: str, deadline: float) -> Any:
    with JellyfinClient(_server_config(url, "jellyfin", deadline)) as client:
        return client.info()


def _jellyfin_items(url: str, deadline: float) -> Any:
    with JellyfinClient(_server_config(url, "jellyfin", deadline)) as client:
        return list(client.items())


def _emby(url: str, deadline: float) -> Any:
    with EmbyClient(_server_config(url, "emby", deadline)) as client:
        return client.info()


def _plex(url: str, deadline: float) -> Any:
    with PlexClient(
        url, KEY, timeout=deadline, max_answer_mb=LIMIT_MB, deadline=deadline
    ) as client:
        return client.info()


TARGETS = {
    "sonarr-series": Target("sonarr-series", "/api/v3/series", _arr("sonarr", "list_items"),
                            ArrError, "Sonarr 'hostile'", STATUS),
    "sonarr-status": Target("sonarr-status", "/api/v3/system/status",
                            _arr("sonarr", "system_status"), ArrError, "Sonarr 'hostile'", {}),
    "radarr-movies": Target("radarr-movies", "/api/v3/movie", _arr("radarr", "list_items"),
                            ArrError, "Radarr 'hostile'", STATUS),
    "sonarr-episode-files": Target("sonarr-episode-files", "/api/v3/episodefile",
                                   _arr("sonarr", "episode_files", 7), ArrError,
                                   "Sonarr 'hostile'", STATUS),
    # The series page's episode list (scanner/pipeline/scanning/arr_files.py, any source).
    "sonarr-episodes": Target("sonarr-episodes", "/api/v3/episode",
                              _arr("sonarr", "episodes", 7), ArrError, "Sonarr 'hostile'",
                              STATUS),
    "radarr-extra-files": Target("radarr-extra-files", "/api/v3/extrafile",
                                 _arr("radarr", "subtitle_files", 7), ArrError,
                                 "Radarr 'hostile'", STATUS),
    "radarr-movie": Target("radarr-movie", "/api/v3/movie/7", _arr("radarr", "get_item", 7),
                           ArrError, "Radarr 'hostile'", STATUS),
    "jellyfin-info": Target("jellyfin-info", "/System/Info", _jellyfin, MediaServerError,
                            "hostile", {}),
    "jellyfin-items": Target("jellyfin-items", "/Items", _jellyfin_items, MediaServerError,
                             "hostile", {}),
    "emby-info": Target("emby-info", "/System/Info", _emby, MediaServerError, "hostile", {}),
    "plex": Target("plex", "/", _plex, MediaServerError, "Plex at http://127.0.0.1", {}),
}  # fmt: skip
JSON_TARGETS = [name for name in TARGETS if name != "plex"]
LIST_TARGETS = ["sonarr-series", "radarr-movies", "sonarr-episode-files", "sonarr-episodes",
                "radarr-extra-files"]  # fmt: skip
# One object's answer (Sonarr/Sonarr src/Sonarr.Api.V3/System/SystemController.cs,
# ``GetStatus``; Radarr/Radarr src/Radarr.Api.V3/Movies/MovieController.cs, ``GetMovie``)
# has a smaller limit than a list's: 1 MB.
ONE_OBJECT_TARGETS = ["sonarr-status", "radarr-movie"]


def _answers(target: Target, case: str) -> dict[str, str | bytes]:
    answers: dict[str, str | bytes] = {path: body for path, body in target.normal.items()}
    if target.normal is STATUS:
        kind = "sonarr" if target.name.startswith("sonarr") else "radarr"
        answers = {"/api/v3/system/status": STATUS[kind]}
    answers[target.path] = case
    return answers


def _fails(target: Target, case: str, deadline: float | None = None, **server: Any) -> str:
    """The error message of ``target`` against ``case``, measured: its peak of memory."""
    with HostileServer(default="object_for_list", answers=_answers(target, case)) as hostile:
        for name, value in server.items():
            setattr(hostile, name, value)
        tracemalloc.start()
        try:
            with pytest.raises(target.error) as caught:
                target.call(hostile.url, deadline or (DEADLINE if case == "drip" else LONG))
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert peak < PEAK_BYTES, f"peak {peak / 2**20:.0f} MB"
    message = str(caught.value)
    assert target.said in message and KEY not in message
    return message


@pytest.mark.parametrize("name", [name for name in JSON_TARGETS if name not in LIST_TARGETS])
@pytest.mark.parametrize("case", ["huge", "endless"])
def test_a_huge_or_endless_json_answer_stops_at_the_size_limit(name: str, case: str) -> None:
    target = TARGETS[name]
    message = _fails(target, case)
    limit = "answer larger than 1 MB" if name in ONE_OBJECT_TARGETS else TOO_LARGE
    assert f"GET {target.path}" in message and limit in message


@pytest.mark.parametrize("name", LIST_TARGETS)
def test_one_item_of_a_list_past_its_limit_is_refused(name: str) -> None:
    """An *arr's list is bounded per element, not as one answer (the list of a
    40,000-film Radarr is hundreds of MB): two well-formed items, then one of 2 MB."""
    target = TARGETS[name]
    message = _fails(target, "huge_item")
    assert f"GET {target.path}: {TOO_LARGE_ITEM}" in message


@pytest.mark.parametrize("name", LIST_TARGETS)
def test_one_item_of_a_list_nested_too_deep_is_refused(name: str) -> None:
    target = TARGETS[name]
    assert f"GET {target.path}: {TOO_DEEP}" in _fails(target, "deep_item")


@pytest.mark.parametrize("name", LIST_TARGETS)
def test_a_list_that_stalls_midway_ends_at_the_items_deadline(name: str) -> None:
    """Three items begun, the third never finished: no read is ever answered again, and
    the deadline counted from the last whole item ends it."""
    target = TARGETS[name]
    message = _fails(target, "stall_list", deadline=DEADLINE)
    assert f"GET {target.path}: {TOO_SLOW_ITEM}" in message


@pytest.mark.parametrize("name", LIST_TARGETS)
def test_an_endless_list_of_good_items_ends_at_the_most_items(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every item within its bounds, forever: the count of items ends it (1,000,000 on
    the defaults, 1,000 here so that the items kept stay small)."""
    monkeypatch.setattr(bounds, "MAX_ELEMENTS", 1000)
    target = TARGETS[name]
    message = _fails(target, "endless")
    assert f"GET {target.path}: a list of more than 1000 items" in message


@pytest.mark.parametrize(
    ("kind", "operation"),
    [("sonarr", "episode_files"), ("sonarr", "episodes"), ("radarr", "subtitle_files")],
)
def test_an_items_huge_file_list_is_never_held_whole(kind: str, operation: str) -> None:
    """Each item thread reads its files' list; held whole up to the limit, 32 of them
    took a worker process to 1.25 GB (bench/hostile.py, "huge episode files"). Decoded
    as it arrives, a thread holds an item at a time, however long the list: 80 MB of
    4 KB items, past the whole answer's 64 MB, is read to its end."""
    paths = {"episode_files": "/api/v3/episodefile", "episodes": "/api/v3/episode"}
    path = paths.get(operation, "/api/v3/extrafile")
    with HostileServer(answers={path: "huge"}, huge_bytes=80 * MB) as hostile:
        config = ArrConfig(name="hostile", kind=kind, url=hostile.url, api_key=KEY, deadline=LONG)
        tracemalloc.start()
        try:
            with make_client(config) as client:
                getattr(client, operation)(7)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        [(seen, _)] = hostile.seen
    assert seen == path
    assert peak < 8 * 1024 * 1024, f"peak {peak / 2**20:.1f} MB"


@pytest.mark.parametrize("name", ONE_OBJECT_TARGETS)
def test_one_objects_answer_stops_at_one_megabyte_below_the_lists_limit(name: str) -> None:
    """Read whole before it is decoded: the list's 64 MB would be a web process's peak."""
    target = TARGETS[name]
    assert "answer larger than 1 MB" in _fails(target, "huge")


def test_a_huge_plex_answer_stops_at_the_size_limit() -> None:
    assert TOO_LARGE in _fails(TARGETS["plex"], "huge_xml")


@pytest.mark.parametrize("name", JSON_TARGETS)
@pytest.mark.parametrize("case", ["deep_arrays", "deep_objects"])
def test_deeply_nested_json_is_refused_at_the_depth_limit(name: str, case: str) -> None:
    target = TARGETS[name]
    message = _fails(target, case)
    assert f"GET {target.path}" in message and TOO_DEEP in message


def test_deeply_nested_plex_xml_is_a_clean_error() -> None:
    """Expat builds the tree without recursion; the answer is not Plex's."""
    assert "Plex" in _fails(TARGETS["plex"], "deep_xml")


@pytest.mark.parametrize("name", list(TARGETS))
def test_an_answer_dripping_a_byte_at_a_time_ends_at_the_deadline(name: str) -> None:
    """The server sends a byte every 0.2 s: no read ever times out; the deadline ends it
    (a list's: its first item's, ten bytes that take two seconds)."""
    assert (TOO_SLOW_ITEM if name in LIST_TARGETS else TOO_SLOW) in _fails(TARGETS[name], "drip")


@pytest.mark.parametrize("name", list(TARGETS))
def test_a_redirect_to_a_file_is_not_followed(name: str) -> None:
    message = _fails(TARGETS[name], "redirect_file")
    assert "302" in message and "passwd" not in message.split("302")[0]


@pytest.mark.parametrize("name", list(TARGETS))
def test_a_redirect_to_another_host_sends_nothing_there(name: str) -> None:
    """The key goes in a header of its own (X-Api-Key, X-Emby-Token, X-Plex-Token) that
    requests would carry along: nothing may reach the other host."""
    with HostileServer(default="object_for_list") as other:
        message = _fails(TARGETS[name], "redirect_other", redirect_to=other.url)
        assert other.seen == []
    assert "302" in message


@pytest.mark.parametrize("name", LIST_TARGETS)
def test_an_object_where_the_list_belongs_is_an_error(name: str) -> None:
    assert "expected a JSON array" in _fails(TARGETS[name], "object_for_list")


@pytest.mark.parametrize("name", ["jellyfin-info", "emby-info", "sonarr-status"])
def test_a_list_where_an_object_belongs_is_an_error(name: str) -> None:
    _fails(TARGETS[name], "strings_for_numbers")


@pytest.mark.parametrize("name", LIST_TARGETS)
def test_items_with_strings_for_numbers_are_skipped(name: str) -> None:
    target = TARGETS[name]
    with HostileServer(answers=_answers(target, "strings_for_numbers")) as hostile:
        assert target.call(hostile.url, LONG) == []


@pytest.mark.parametrize("name", JSON_TARGETS)
def test_a_body_that_is_not_utf8_is_an_error(name: str) -> None:
    """JSON is UTF-8 (RFC 8259 §8.1); yajl checks it (ICRAR/ijson's yajl2_c backend)."""
    target = TARGETS[name]
    assert "not JSON" in _fails(target, "invalid_utf8")


@pytest.mark.parametrize("name", ["jellyfin-info", "jellyfin-items", "emby-info"])
def test_a_connection_lost_while_the_answer_is_read_is_a_clean_error(name: str) -> None:
    """A Content-Length of 1000 and 11 bytes, then the connection closed: urllib3 raises
    its own ProtocolError ("Connection broken: IncompleteRead", urllib3/response.py
    ``_error_catcher``) from the body's read, which no requests exception wraps there."""
    target = TARGETS[name]
    assert "failed: " in _fails(target, "cut")


def _crowded(count: int) -> dict[str, str | bytes]:
    """A Sonarr with ``count`` quality profiles named with 300 characters and ``count``
    custom formats on German: the probe's case (an HTTP 500 after 30 s, or a 36 MB
    event per connection test)."""
    profiles = ",".join(
        f'{{"id":{i},"name":"{"x" * 300}","upgradeAllowed":true,"formatItems":[]}}'
        for i in range(count)
    )
    german = '{"implementation":"LanguageSpecification","fields":[{"name":"value","value":4}]}'
    formats = ",".join(
        f'{{"id":{i},"name":"F{i}","specifications":[{german}]}}' for i in range(count)
    )
    return {
        "/api/v3/system/status": STATUS["sonarr"],
        "/api/v3/qualityprofile": f"[{profiles}]".encode(),
        "/api/v3/customformat": f"[{formats}]".encode(),
        "/api/v3/language": b'[{"id":4,"name":"German"}]',
    }


def test_a_crowded_arrs_profiles_are_read_and_judged_within_their_bounds() -> None:
    with HostileServer(answers=_crowded(20_000)) as hostile:
        config = ArrConfig(
            name="hostile", kind="sonarr", url=hostile.url, api_key=KEY, connect_timeout=LONG,
            read_timeout=LONG, max_answer_mb=32, deadline=LONG,
        )  # fmt: skip
        with make_client(config) as client:
            settings = fetch_profile_settings(client)
    assert (len(settings.profiles), len(settings.formats)) == (MAX_PROFILES, MAX_FORMATS)
    assert settings.unread == {"profiles": 20_000 - MAX_PROFILES, "formats": 20_000 - MAX_FORMATS}
    [guard] = guard_languages(settings, ["de"])
    assert len(guard.exposed) == MAX_NAMES and {len(name) for name in guard.exposed} == {100}
    assert guard.more == {
        "exposed": MAX_PROFILES - MAX_NAMES,
        "unscored_formats": MAX_FORMATS - MAX_NAMES,
    }
