"""BaseArrClient transport, with `responses`: one request each, timeouts, error mapping,
secrecy. (Retries are the scan step's: scanner.pipeline.retries.)"""

from __future__ import annotations

import json
import logging

import pytest
import requests
import responses
from urllib3.exceptions import ProtocolError

from scanner.arr.clients import SonarrClient
from scanner.arr.config import ArrConfig
from scanner.errors import (
    ArrAuthError,
    ArrPermanentError,
    ArrTransientError,
    ArrUnconfirmedError,
    ArrValidationError,
    ConfigError,
)
from tests.scanner.arr.conftest import API_KEY, SONARR_URL, config_for

STATUS_URL = f"{SONARR_URL}/api/v3/system/status"
STATUS_BODY = {"appName": "Sonarr", "version": "4.0.14.2939"}


@pytest.mark.parametrize("status", [500, 502, 503])
@responses.activate
def test_a_server_error_is_transient_and_sent_once(client_factory, status):
    responses.get(STATUS_URL, status=status, json={"errorMessage": "starting up"})
    responses.get(STATUS_URL, json=STATUS_BODY)
    client = client_factory()

    with pytest.raises(ArrTransientError) as caught:
        client.system_status()

    assert caught.value.status == status
    assert f"GET /api/v3/system/status answered {status}: starting up" in str(caught.value)
    assert len(responses.calls) == 1
    assert client.requests_made == 1


@pytest.mark.parametrize(
    ("status", "error_class"),
    [
        (400, ArrPermanentError),
        (401, ArrAuthError),
        (404, ArrPermanentError),
        (409, ArrPermanentError),
    ],
)
@responses.activate
def test_client_errors_are_permanent(client_factory, status, error_class):
    responses.get(STATUS_URL, status=status, json={"message": "nope"})
    responses.get(STATUS_URL, json=STATUS_BODY)
    client = client_factory()

    with pytest.raises(error_class) as caught:
        client.system_status()

    assert type(caught.value) is error_class
    assert caught.value.status == status
    assert len(responses.calls) == 1


@pytest.mark.parametrize(
    ("failure", "reason"),
    [
        (requests.ConnectTimeout("connect timed out"), "could not connect within 5 s"),
        (requests.ReadTimeout("read timed out"), "got no answer within 30 s"),
        (
            requests.ConnectionError("Failed to establish: [Errno 111] Connection refused"),
            "failed: Connection refused",
        ),
        (requests.ConnectionError("Connection reset by peer"), "Connection reset by peer"),
    ],
)
@responses.activate
def test_network_failures_are_transient(client_factory, failure, reason):
    responses.get(STATUS_URL, body=failure)
    client = client_factory()

    with pytest.raises(ArrTransientError) as caught:
        client.system_status()

    assert caught.value.status is None
    assert reason in str(caught.value)
    assert "GET /api/v3/system/status" in str(caught.value)
    assert len(responses.calls) == 1


@pytest.mark.parametrize(
    ("failure", "unconfirmed"),
    [
        (requests.ConnectTimeout("connect timed out"), False),
        (requests.ConnectionError("[Errno 111] Connection refused"), False),
        (requests.ReadTimeout("read timed out"), True),
        (requests.ConnectionError(ProtocolError("Connection aborted.", TimeoutError())), True),
        (requests.exceptions.ChunkedEncodingError("Connection broken"), True),
    ],
)
@responses.activate
def test_a_request_that_went_out_unanswered_is_unconfirmed(client_factory, failure, unconfirmed):
    responses.put(f"{SONARR_URL}/api/v3/series/editor", body=failure)

    with pytest.raises(ArrTransientError) as caught:
        client_factory().request("PUT", "/api/v3/series/editor", body={})

    assert isinstance(caught.value, ArrUnconfirmedError) is unconfirmed
    assert len(responses.calls) == 1


@responses.activate
def test_a_read_timeout_can_be_longer_for_one_request(client_factory):
    responses.put(f"{SONARR_URL}/api/v3/series/editor", body=requests.ReadTimeout("slow"))

    with pytest.raises(ArrUnconfirmedError, match=r"got no answer within 120 s") as caught:
        client_factory().request("PUT", "/api/v3/series/editor", body={}, read_timeout=120)

    assert caught.value.what == "timed out"
    assert responses.calls[0].request.req_kwargs["timeout"] == (5.0, 120)


@responses.activate
def test_every_request_carries_timeouts_key_and_user_agent(client_factory):
    responses.get(STATUS_URL, json=STATUS_BODY)
    client = client_factory(connect_timeout=2.5, read_timeout=12.0, client_version="1.2.3")

    client.system_status()

    request = responses.calls[0].request
    assert request.req_kwargs["timeout"] == (2.5, 12.0)
    assert request.headers["X-Api-Key"] == API_KEY
    assert request.headers["User-Agent"] == "Taggarr/1.2.3"


@pytest.mark.parametrize("status", [200, 201, 202])
@responses.activate
def test_post_sends_json_and_accepts_200_201_202(client_factory, status):
    responses.post(f"{SONARR_URL}/api/v3/tag", status=status, json={"id": 7, "label": "dub"})
    client = client_factory()

    assert client.post("/api/v3/tag", {"label": "dub"}) == {"id": 7, "label": "dub"}
    request = responses.calls[0].request
    assert request.headers["Content-Type"] == "application/json"
    assert json.loads(request.body) == {"label": "dub"}


@responses.activate
def test_401_names_instance_and_url_but_not_the_key(client_factory):
    responses.get(STATUS_URL, status=401)
    client = client_factory()

    with pytest.raises(ArrAuthError) as caught:
        client.system_status()

    assert str(caught.value) == "Sonarr 'main' at http://sonarr:8989 rejected the API key (401)"


@responses.activate
def test_a_body_that_is_not_json_is_a_permanent_error_with_context(client_factory):
    responses.get(f"{SONARR_URL}/api/v3/series", body="<html>login</html>", status=200)
    client = client_factory()

    with pytest.raises(ArrPermanentError) as caught:
        client.list_items()

    message = str(caught.value)
    # What the answer was, never what it said: a test aimed at a text service on the
    # loopback must not read its answer out.
    assert message.endswith(
        "GET /api/v3/series: not a Sonarr answer (HTTP 200, text/plain: not JSON)"
    )
    assert "login" not in message
    assert len(responses.calls) == 1


@responses.activate
def test_validation_errors_are_summarised(client_factory):
    errors = [{"propertyName": "Label", "errorMessage": "Allowed characters a-z, 0-9 and -"}]
    responses.post(f"{SONARR_URL}/api/v3/tag", status=400, json=errors)
    client = client_factory()

    with pytest.raises(ArrValidationError, match="answered 400: Label: Allowed characters") as e:
        client.post("/api/v3/tag", {"label": "Dub!"})
    assert e.value.failures == ("Label: Allowed characters a-z, 0-9 and -",)


@responses.activate
def test_a_400_object_is_not_a_validation_error(client_factory):
    responses.get(f"{SONARR_URL}/api/v3/episodefile", status=400, json={"message": "BadRequest"})

    with pytest.raises(ArrPermanentError, match="answered 400: BadRequest") as caught:
        client_factory().get("/api/v3/episodefile")
    assert not isinstance(caught.value, ArrValidationError)


@responses.activate
def test_redirects_are_reported_not_followed(client_factory):
    # Following would send X-Api-Key to wherever the Location points.
    responses.get(STATUS_URL, status=301, headers={"Location": "https://elsewhere.example/"})
    client = client_factory()

    with pytest.raises(ArrPermanentError, match="redirected \\(301\\) to https://elsewhere"):
        client.system_status()
    assert len(responses.calls) == 1


@responses.activate
def test_the_key_never_appears_in_logs_or_errors(client_factory, caplog):
    client = client_factory()
    responses.get(STATUS_URL, status=401, json={"error": "Unauthorized"})
    responses.get(f"{SONARR_URL}/api/v3/series", status=503, json={"message": f"echo {API_KEY}"})
    responses.get(f"{SONARR_URL}/api/v3/tag", status=200, body=f"not json {API_KEY}")
    responses.get(f"{SONARR_URL}/api/v3/series/1", body=requests.ConnectionError(API_KEY))
    texts = [repr(client), repr(client.config)]

    with caplog.at_level(logging.DEBUG):
        for call in (
            client.system_status,
            client.list_items,
            client.tags,
            lambda: client.get_item(1),
        ):
            with pytest.raises((ArrTransientError, ArrPermanentError)) as caught:
                call()
            texts.append(str(caught.value))
            texts.append(repr(caught.value))

    texts.append(caplog.text)
    assert len(texts) == 2 + 4 * 2 + 1  # every error's text is checked, and the log
    for text in texts:
        assert API_KEY not in text


def test_config_rejects_bad_values():
    with pytest.raises(ConfigError, match="kind must be sonarr or radarr"):
        config_for(SONARR_URL, kind="lidarr")
    with pytest.raises(ConfigError, match="not an http"):
        config_for("sonarr:8989")
    with pytest.raises(ConfigError, match="API key is empty"):
        ArrConfig("main", "sonarr", SONARR_URL, " ")
    with pytest.raises(ConfigError, match="must not carry"):
        config_for(f"{SONARR_URL}/?apikey=x")
    with pytest.raises(ConfigError, match="timeouts must be positive"):
        config_for(SONARR_URL, editor_read_timeout=0)
    with pytest.raises(ConfigError, match="is a sonarr, not a radarr"):
        from scanner.arr.clients import RadarrClient

        RadarrClient(config_for(SONARR_URL))


@responses.activate
def test_a_key_read_with_a_trailing_newline_is_sent_without_it(client_factory):
    responses.get(STATUS_URL, json=STATUS_BODY)

    client_factory(api_key=f"  {API_KEY}\n").system_status()

    assert responses.calls[0].request.headers["X-Api-Key"] == API_KEY


def test_url_base_is_kept_and_trailing_slash_dropped():
    config = config_for("http://host:8989/sonarr/")
    assert config.base_url == "http://host:8989/sonarr"
    assert config.display_name == "Sonarr 'main' at http://host:8989/sonarr"
    assert isinstance(SonarrClient(config), SonarrClient)


@pytest.mark.parametrize(
    ("read_timeout", "editor_read_timeout", "expected"),
    [(30.0, None, 120.0), (300.0, None, 300.0), (30.0, 45.0, 45.0)],
)
def test_the_editor_read_timeout_is_at_least_two_minutes_unless_set(
    read_timeout, editor_read_timeout, expected
):
    config = config_for(
        SONARR_URL, read_timeout=read_timeout, editor_read_timeout=editor_read_timeout
    )
    assert config.editor_read_timeout == expected


@responses.activate
@pytest.mark.parametrize(
    ("body", "said"),
    [
        ('{"message": "Series \\ud800 does not exist\\u0000"}', "Series \ufffd does not exist"),
        ("no such\x00 thing\r\n", "not JSON (HTTP 404, text/plain)"),  # never quoted
        ('{"secret": "a body"}', "no message (an object)"),  # never quoted either
        ('["a body"]', "no message (a list)"),
    ],
    ids=["json", "text", "json-without-words", "list-without-failures"],
)
def test_the_arrs_words_for_an_error_are_kept_cleaned(client_factory, body: str, said: str):
    """The error is stored with the run and its events: PostgreSQL's text refuses NUL
    and UTF-8 a lone surrogate (a JSON "\\ud800" escape: RFC 8259, 8.2). Sonarr answers
    404 {"message"} for an unknown id (Sonarr/Sonarr src/Sonarr.Http/ErrorManagement/
    SonarrErrorPipeline.cs)."""
    responses.get(f"{SONARR_URL}/api/v3/series/7", status=404, body=body)
    with pytest.raises(ArrPermanentError) as caught:
        client_factory().get("/api/v3/series/7")
    assert str(caught.value).endswith(f"answered 404: {said}")
