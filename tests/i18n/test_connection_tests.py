"""A connection test tells a German or French reader what went wrong in their language:
every line, and every reason inside a line, is a sentence of the catalog
(scanner.connect.sentences), never the English the clients write for the log.

The catalogs get the new sentences only when they are translated, so this test gives
German and French a catalog of its own for them: each sentence becomes a marker that
names its code and keeps only its placeholders (``⟦de arr.key_rejected⟧ Sonarr
http://…``). A line that did not go through the catalog keeps its English words, and
fails here. The *arr is real HTTP: the fake Sonarr answering 401 and 404, a server that
answers something that is not JSON, a closed port, and an address that is no URL; seen
through each door a person tests by: the admin's action, the form's button (the
arr-choices answer) and the API's test endpoint.
"""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.test import Client
from django.utils import translation
from django.utils.translation import trans_real
from rest_framework.test import APIClient

from fakes.arr import FakeArr, FakeArrOptions
from fakes.hostile import HostileServer
from fakes.jellyfin import FakeJellyfin, build_library, build_series
from scanner.connect.sentences import COMPOUNDS, PLURALS, SENTENCES, said
from scanner.http.reasons import Code
from scanner.models import Event, Instance, MediaServer
from scanner.reports.stats import last_connection_tests
from tests.factories import InstanceFactory
from tests.helpers import ARR_KEY, SERVER_TOKEN

LANGUAGES = ("de", "fr")
PLACEHOLDER = re.compile(r"%\(\w+\)[srd]")
MARKER = re.compile(r"⟦(\w\w) ([\w.]+)⟧")
STATUS = "/api/v3/system/status"
# The clients' English for these failures: none of it may reach a German or French reader.
ENGLISH = (
    "rejected the API key",
    "did not answer",
    "is not an http(s) URL",
    "these settings",
    "not a Sonarr answer",
    "not JSON",
    "unreachable",
    "unexpected answer",
    "answered",
    "empty body",
    "root folder",
    "audio languages",
    "fill in",
    "refused the token",
    "key sent in",
    "libraries",
    "seen",
    "no instance feeds it",
    "tag change",
)


@pytest.fixture
def catalogs() -> Iterator[None]:
    """German and French catalogs whose every connection-test sentence is a marker."""
    restore: list[tuple[dict[Any, Any], Any, Any]] = []
    for language in LANGUAGES:
        catalog = trans_real.translation(language)._catalog._catalogs[0]
        for code, msgid in SENTENCES.items():
            restore.append((catalog, msgid, catalog.get(msgid)))
            placeholders = " ".join(PLACEHOLDER.findall(msgid))
            catalog[msgid] = f"⟦{language} {code}⟧ {placeholders}".strip()
        for code, (singular, plural) in PLURALS.items():
            placeholders = " ".join(PLACEHOLDER.findall(plural))
            for form in (0, 1):
                key = (singular, form)
                restore.append((catalog, key, catalog.get(key)))
                catalog[key] = f"⟦{language} {code}⟧ {placeholders}"
        # A compound's sentences: its code marked on the first only, as one fact.
        for code, parts in COMPOUNDS.items():
            for index, (_, (singular, plural), _) in enumerate(parts):
                placeholders = " ".join(PLACEHOLDER.findall(plural))
                marker = f"⟦{language} {code}⟧ " if index == 0 else ""
                for form in (0, 1):
                    key = (singular, form)
                    restore.append((catalog, key, catalog.get(key)))
                    catalog[key] = f"{marker}{placeholders}"
    yield
    for catalog, msgid, before in restore:
        if before is None:
            del catalog[msgid]
        else:
            catalog[msgid] = before


def codes(text: str, language: str) -> list[str]:
    """The sentences a text is made of, outermost first; each in ``language``."""
    found = MARKER.findall(text)
    assert {lang for lang, _ in found} <= {language}, text
    return [code for _, code in found]


def english_in(text: str) -> list[str]:
    words = MARKER.sub("", text)
    return [english for english in ENGLISH if english in words]


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _admin_test(client: Client, instance: Instance, language: str) -> str:
    url = f"/admin/scanner/instance/{instance.pk}/test-connection/"
    response = client.post(url, HTTP_ACCEPT_LANGUAGE=language)
    [message] = list(get_messages(response.wsgi_request))
    return str(message)


def _api_lines(instance: Instance, language: str) -> list[str]:
    api = APIClient()
    api.force_authenticate(User.objects.get(username="admin"))
    response = api.post(f"/api/instances/{instance.pk}/test/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.json()["lines"]


def _form_error(client: Client, url: str, key: str, language: str) -> str:
    form = {"kind": "sonarr", "url": url, "api_key": key}
    response = client.post(
        "/admin/scanner/instance/arr-choices/", form, HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 200
    return response.json()["error"]


# What each failure is told as: by the connection test (its first line) and by the
# form's button, outermost sentence first.
CASES = {
    "wrong key": ([Code.ARR_KEY_REJECTED], [Code.ARR_KEY_REJECTED]),
    "404": (
        [Code.TEST_UNEXPECTED, Code.ARR_ANSWERED, Code.DETAIL_EMPTY],
        [Code.ARR_ANSWERED, Code.DETAIL_EMPTY],
    ),
    "not JSON": (
        [Code.TEST_UNEXPECTED, Code.ARR_NOT_JSON, Code.ANSWER_TYPED],
        [Code.ARR_NOT_JSON, Code.ANSWER_TYPED],
    ),
    "closed port": ([Code.TEST_UNREACHABLE, Code.UNANSWERED], [Code.UNANSWERED]),
    "no URL": ([Code.CONFIG_URL], [Code.CONFIG_URL]),
}


@pytest.fixture
def sonarr_at(request: pytest.FixtureRequest) -> Iterator[tuple[str, str]]:
    """The address and key of the case's Sonarr."""
    case = request.param
    if case == "wrong key":
        with FakeArr(FakeArrOptions(api_key="the-right-key-0000")) as fake:
            yield fake.url, ARR_KEY
    elif case == "404":  # an address with a path the *arr does not have
        with FakeArr(FakeArrOptions(api_key=ARR_KEY)) as fake:
            yield fake.url + "/elsewhere", ARR_KEY
    elif case == "not JSON":
        page = b"<html>a login page</html>"
        with HostileServer(answers={STATUS: page, "/api/v3/rootfolder": page}) as server:
            yield server.url, ARR_KEY
    elif case == "closed port":
        yield f"http://127.0.0.1:{closed_port()}", ARR_KEY
    else:
        yield "ftp://sonarr.example", ARR_KEY


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("sonarr_at", list(CASES), indirect=True)
def test_a_failed_connection_test_is_told_in_the_readers_language(
    admin_client: Client,
    catalogs: None,
    sonarr_at: tuple[str, str],
    language: str,
    request: pytest.FixtureRequest,
    tmp_path,
) -> None:
    url, key = sonarr_at
    tested, asked = CASES[request.node.callspec.params["sonarr_at"]]
    instance = InstanceFactory(
        name="tv", url=url, api_key=key, root_folders=[str(tmp_path)],
        audio_source=Instance.AudioSource.FILES,
    )  # fmt: skip

    message = _admin_test(admin_client, instance, language)
    lines = _api_lines(instance, language)
    error = _form_error(admin_client, url, key, language)

    assert codes(lines[0], language) == tested
    assert codes(message, language)[: len(tested)] == tested
    assert codes(error, language) == asked
    for text in (message, *lines, error):
        assert english_in(text) == [], text
        assert key not in text
    # Every line of the report is a sentence of the catalog, the folder's too.
    assert all(codes(line, language) for line in lines)
    # The log keeps its English.
    event = Event.objects.filter(instance=instance).latest("id")
    assert event.message.startswith("connection test failed")


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_passed_connection_test_is_whole_sentences_in_the_readers_language(
    admin_client: Client, catalogs: None, empty_sonarr: FakeArr, language: str, tmp_path
) -> None:
    instance = InstanceFactory(
        name="tv", url=empty_sonarr.url, api_key=ARR_KEY, root_folders=[str(tmp_path)],
        audio_source=Instance.AudioSource.HYBRID,
    )  # fmt: skip

    message = _admin_test(admin_client, instance, language)
    lines = _api_lines(instance, language)

    # Then the guard at the *arr's lines (scanner.actions.profile_guard): sentences made
    # in the tester's language when the test runs; the dashboard words its stored result
    # in each reader's (tests/scanner/actions/test_profile_guard.py).
    assert [codes(line, language) for line in lines][:3] == [
        [Code.TEST_VERSION],
        [Code.FOLDER_OK],
        [Code.SOURCE_HYBRID],
    ]
    assert english_in(message) == []
    assert "<li>⟦" in message  # one sentence a line, not glued with "; "


def test_the_last_test_is_shown_in_the_language_of_whoever_reads_it(
    admin_client: Client, catalogs: None, tmp_path
) -> None:
    """Kept as codes, made into sentences when shown: a test run in English reads in
    German on a German reader's dashboard, and the other way round."""
    instance = InstanceFactory(
        name="tv", url=f"http://127.0.0.1:{closed_port()}", api_key=ARR_KEY,
        root_folders=[str(tmp_path / "gone")], audio_source=Instance.AudioSource.FILES,
    )  # fmt: skip
    _api_lines(instance, "en")

    for language in LANGUAGES:
        with translation.override(language):
            [test] = last_connection_tests([instance.pk]).values()
        assert [codes(line, language) for line in test["lines"]] == [
            [Code.TEST_UNREACHABLE, Code.UNANSWERED],
            [Code.FOLDER_MISSING],
            [Code.SOURCE_FILES],
        ]
    with translation.override("en"):
        [test] = last_connection_tests([instance.pk]).values()
    assert test["lines"][0] == f"unreachable: Sonarr at {instance.url} did not answer"


def test_every_fact_has_its_sentence() -> None:
    assert set(SENTENCES) | set(PLURALS) | set(COMPOUNDS) == set(Code)
    assert not set(SENTENCES) & set(PLURALS)
    assert not (set(SENTENCES) | set(PLURALS)) & set(COMPOUNDS)


def _server_test(client: Client, server: MediaServer, language: str) -> tuple[str, list[str]]:
    """The admin's message and the API's lines of a media server's connection test."""
    url = f"/admin/scanner/mediaserver/{server.pk}/test-connection/"
    response = client.post(url, HTTP_ACCEPT_LANGUAGE=language)
    # The last: an earlier test's message is still stored (no page showed it).
    messages = [str(message) for message in get_messages(response.wsgi_request)]
    api = APIClient()
    api.force_authenticate(User.objects.get(username="admin"))
    answer = api.post(f"/api/media-servers/{server.pk}/test/", HTTP_ACCEPT_LANGUAGE=language)
    assert answer.status_code == 200
    return messages[-1], answer.json()["lines"]


def _media_server(name: str, url: str, token: str = SERVER_TOKEN) -> MediaServer:
    server = MediaServer(name=name, kind=MediaServer.Kind.JELLYFIN, url=url)
    server.set_token(token)
    server.save()
    return server


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_media_servers_connection_test_is_told_in_the_readers_language(
    admin_client: Client, catalogs: None, language: str
) -> None:
    libraries = (build_library("TV", "tv", "tvshows", ["/tv"], nfo_saver=True),)
    items = [build_series("s1", "Show", "/tv/Show", ProviderIds={"Tvdb": "1"})]
    with FakeJellyfin(token=SERVER_TOKEN, items=items, libraries=libraries) as fake:
        passed = _server_test(admin_client, _media_server("jf", fake.url), language)
        refused = _server_test(
            admin_client, _media_server("other", fake.url, "wrong-token"), language
        )
    silent = _server_test(
        admin_client, _media_server("gone", f"http://127.0.0.1:{closed_port()}"), language
    )

    message, lines = passed
    assert [codes(line, language)[0] for line in lines] == [
        Code.MS_VERSION, Code.MS_KEY_SENT_LEGACY_OFF, Code.MS_LIBRARIES,
        Code.MS_SERIES_WRITES_NFO, Code.MS_ORIGINAL_LANGUAGE, Code.MS_SEEN,
        Code.MS_NO_INSTANCE,
    ]  # fmt: skip
    assert codes(lines[2], language) == [
        Code.MS_LIBRARIES,
        Code.LIBRARY,
        Code.LIBRARY_SERIES,
        Code.LIBRARY_NFO_SAVER,
    ]
    assert codes(refused[1][0], language) == [Code.MS_TOKEN_REFUSED]
    assert codes(silent[1][0], language) == [Code.UNANSWERED]
    for text in (message, *lines, *refused[1], refused[0], *silent[1], silent[0]):
        assert english_in(text) == [], text
        assert SERVER_TOKEN not in text


def test_a_stored_line_of_an_older_release_or_a_broken_one_is_shown_as_it_was() -> None:
    with translation.override("de"):
        assert said("root folder /tv: ok") == "root folder /tv: ok"  # before codes
        broken = {"code": str(Code.FOLDER_OK), "params": {}, "text": "root folder /tv: ok"}
        assert said(broken) == "root folder /tv: ok"
        unknown = {"code": "gone.code", "params": {}, "text": "an old fact"}
        assert said(unknown) == "an old fact"
