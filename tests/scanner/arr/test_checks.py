"""check_connection against the fake over real HTTP, and a closed port."""

from __future__ import annotations

import socket

import pytest

from fakes.arr import FakeArr, FakeArrOptions
from scanner.arr.checks import check_connection
from tests.scanner.arr.conftest import API_KEY


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def root(tmp_path):
    folder = tmp_path / "tv"
    folder.mkdir()
    return str(folder)


def test_sonarr_v4_with_a_good_root_folder_is_ok(client_factory, root):
    with FakeArr(FakeArrOptions(api_key=API_KEY, version="4.0.14.2939")) as fake:
        report = check_connection(client_factory(fake.url), [root])

    assert report.ok
    assert report.version == "4.0.14.2939"
    assert report.has_original_language is True
    assert report.lines == ("Sonarr 4.0.14.2939", f"root folder {root}: ok")


SERIES = [{"id": 1, "title": "Dark", "path": "/tv/Dark", "originalLanguage": {"name": "German"}}]
MOVIES = [{"id": 1, "title": "Akira", "path": "/movies/Akira", "tmdbId": 149,
           "originalLanguage": {"name": "Japanese"}}]  # fmt: skip


def test_sonarr_v3_says_originals_are_unknown(client_factory, root):
    options = FakeArrOptions(api_key=API_KEY, version="3.0.10.1567")
    with FakeArr(options, items=SERIES) as fake:
        report = check_connection(client_factory(fake.url), [root])

    assert report.ok
    assert report.has_original_language is False
    assert report.lines == (
        "Sonarr 3.0.10.1567",
        "Sonarr reports no original language for its series: originals are treated as unknown",
        f"root folder {root}: ok",
    )


def test_radarr_4_0_without_originals_says_so(client_factory):
    options = FakeArrOptions(app="radarr", api_key=API_KEY, version="4.0.5.5981")
    with FakeArr(options, items=MOVIES) as fake:
        report = check_connection(client_factory(fake.url, "radarr"), [])

    assert report.lines[1] == (
        "Radarr reports no original language for its movies: originals are treated as unknown"
    )


def test_what_the_items_carry_decides_not_the_version(client_factory, monkeypatch):
    """A release its version dates before originalLanguage that serves it all the same:
    no warning that contradicts the items."""
    monkeypatch.setattr("scanner.arr.clients.has_original_language", lambda *_: False)
    with FakeArr(FakeArrOptions(api_key=API_KEY), items=SERIES) as fake:
        report = check_connection(client_factory(fake.url), [])
    assert report.has_original_language is True
    assert not any("original language" in line for line in report.lines)


def test_an_empty_library_tells_nothing_of_originals(client_factory):
    with FakeArr(FakeArrOptions(api_key=API_KEY, version="3.0.10.1567")) as fake:
        report = check_connection(client_factory(fake.url), [])
    assert report.has_original_language is None
    assert not any("original language" in line for line in report.lines)


def test_a_wrong_key_is_reported(client_factory, root):
    with FakeArr(FakeArrOptions(api_key="not-the-key")) as fake:
        url = fake.url
        report = check_connection(client_factory(url), [root])

    assert not report.ok
    assert report.version is None
    assert report.lines[0] == f"Sonarr 'main' at {url} rejected the API key (401)"
    assert all(API_KEY not in line for line in report.lines)


def test_an_unreachable_port_is_reported_not_raised(client_factory, root):
    port = closed_port()
    report = check_connection(client_factory(f"http://127.0.0.1:{port}"), [root])

    assert not report.ok
    # Refused reads as a name not found or a timeout would: the test maps no port.
    assert (
        report.lines[0] == f"unreachable: Sonarr 'main' at http://127.0.0.1:{port} did not answer"
    )
    assert report.lines[1] == f"root folder {root}: ok"  # folders are still checked


def test_a_url_pointing_at_the_other_app_is_reported(client_factory):
    with FakeArr(FakeArrOptions(app="radarr", api_key=API_KEY, version="5.0.0")) as fake:
        url = fake.url
        report = check_connection(client_factory(url), [])

    assert not report.ok
    assert report.lines[0] == f"{url} is Radarr, not Sonarr"


def test_missing_and_unwritable_root_folders_are_reported(client_factory, root, tmp_path):
    missing = str(tmp_path / "nowhere")
    # Tests run as root, for whom every folder is writable: the check is injected.
    with FakeArr(FakeArrOptions(api_key=API_KEY)) as fake:
        report = check_connection(
            client_factory(fake.url), [missing, root], is_writable=lambda path: path != root
        )
        readonly_ok = check_connection(
            client_factory(fake.url), [root], writes_nfo=False, is_writable=lambda path: False
        )

    assert not report.ok
    assert report.lines[1:] == (
        f"root folder {missing}: missing locally",
        f"root folder {root}: not writable for NFOs",
    )
    assert readonly_ok.ok
