"""Apprise for real, to a json:// server of the test: messages arrive, bad URLs are
refused without being echoed, and no URL reaches a log line."""

from __future__ import annotations

import logging
import socket

import pytest
from django.test import override_settings

from scanner.notify.delivery import deliver, masked, secret_parts, service_hosts, url_problem
from tests.capture import CapturingServer
from tests.helpers import NOTIFY_TOKEN


def test_a_message_arrives(inbox: CapturingServer) -> None:
    assert deliver(inbox.url, "Taggarr: hello", "first line\nsecond line")
    (post,) = inbox.wait_for(1)
    assert (post["title"], post["message"]) == ("Taggarr: hello", "first line\nsecond line")
    assert inbox.paths == [f"/{NOTIFY_TOKEN}"]


def test_a_service_that_refuses_is_false_and_no_log_line_has_the_url(
    inbox: CapturingServer, caplog: pytest.LogCaptureFixture
) -> None:
    inbox.status = 500
    with caplog.at_level(logging.DEBUG):
        assert not deliver(inbox.url, "t", "b")
    assert caplog.records  # Apprise said why ...
    assert NOTIFY_TOKEN not in caplog.text  # ... without the URL
    assert inbox.url not in caplog.text


def test_an_unreachable_service_is_false() -> None:
    assert not deliver(f"json://127.0.0.1:9/{NOTIFY_TOKEN}", "t", "b")


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        (f"nosuchscheme://{NOTIFY_TOKEN}", "Apprise cannot use this URL"),
        (f"{NOTIFY_TOKEN}", "an Apprise URL looks like scheme://"),
        (f"json://host/{NOTIFY_TOKEN} x", "no spaces or control characters"),
        (f"json://host/{NOTIFY_TOKEN}\n", "no spaces or control characters"),
        ("json://host/" + "a" * 2000, "at most 2000 characters"),
        (f"tgram://{NOTIFY_TOKEN}", "Apprise cannot use this URL"),  # no chat id, bad token
    ],
)
def test_bad_urls_are_refused_without_echoing_them(
    url: str, problem: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        found = url_problem(url)
    assert found is not None and found.startswith(problem)
    assert NOTIFY_TOKEN not in found
    assert NOTIFY_TOKEN not in caplog.text


@pytest.mark.parametrize(
    "url",
    [
        f"mailto://user:{NOTIFY_TOKEN}@localhost?mode=weird",
        f"ntfys://user:{NOTIFY_TOKEN}@ntfy.sh/?mode=bad",
        f"discord://{NOTIFY_TOKEN}",
        "mailto://user:pw@localhost?mode=weird",  # a short password: all of it
    ],
)
def test_apprise_shows_no_character_of_a_refused_urls_secrets(
    url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """Apprise logs a refused URL with each secret as its first and last character
    ("Could not load E-Mail URL: mailto://user:n...d@localhost")."""
    secret = url.split("//")[1].split("@")[0].split(":")[-1].split("?")[0]
    with caplog.at_level(logging.DEBUG):
        assert url_problem(url) is not None
    assert "Could not load" in caplog.text  # Apprise still says which service ...
    assert f"{secret[0]}...{secret[-1]}" not in caplog.text  # ... without the secret's ends
    assert secret not in caplog.text


@pytest.mark.parametrize(
    "url", ["json://127.0.0.1:8000/hook", "ntfy://my-topic", "mailtos://user:pw@example.org"]
)
def test_good_urls_pass(url: str) -> None:
    assert url_problem(url) is None


def test_every_secret_part_is_masked_while_apprise_works(caplog: pytest.LogCaptureFixture) -> None:
    url = f"tgram://{NOTIFY_TOKEN}/chat-12345?key=q-{NOTIFY_TOKEN}&to=x"
    assert NOTIFY_TOKEN in secret_parts(url)
    log = logging.getLogger("apprise")
    with caplog.at_level(logging.INFO), masked(url):
        log.warning("token %s, query key=q-%s", NOTIFY_TOKEN, NOTIFY_TOKEN)
        log.warning("whole %s", url)
    assert NOTIFY_TOKEN not in caplog.text
    assert "token ****, query key=****" in caplog.text
    log.warning("after: %s", "plain")  # the filter is gone afterwards
    assert "after: plain" in caplog.text


@pytest.mark.parametrize(
    ("url", "hosts"),
    [
        (f"json://192.168.1.10:8080/{NOTIFY_TOKEN}", ["192.168.1.10"]),
        (f"mailto://user:{NOTIFY_TOKEN}@example.org/?smtp=mail.lan", ["example.org", "mail.lan"]),
        (f"mailto://user:{NOTIFY_TOKEN}@gmail.com", ["gmail.com", "smtp.gmail.com"]),
        ("rsyslog://syslog.lan:5514", ["syslog.lan"]),
        (f"ntfy://ntfy.lan/{NOTIFY_TOKEN}", ["ntfy.lan"]),
        # Sent to ntfy.sh and api.telegram.org: the topic and the bot's id are no hosts.
        (f"ntfy://{NOTIFY_TOKEN}", []),
        (f"tgram://123456789:{NOTIFY_TOKEN}/12345", []),
    ],
)
def test_the_hosts_a_service_connects_to_as_apprise_parsed_them(url: str, hosts: list[str]) -> None:
    import apprise

    assert service_hosts(apprise.Apprise.instantiate(url)) == hosts


def test_a_host_that_resolves_to_the_metadata_address_is_refused_when_saved(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A topic or a bot's id is never looked up (it would tell the resolver a secret)."""
    asked: list[object] = []

    def getaddrinfo(host: object, port: object, *args: object, **kwargs: object) -> object:
        asked.append(host)
        ip = "169.254.169.254" if host == "hook.example" else "192.168.1.10"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    problem = url_problem(f"json://hook.example/{NOTIFY_TOKEN}")
    assert problem is not None and problem.startswith("its host resolves to a link-local")
    assert url_problem(f"json://hook.lan/{NOTIFY_TOKEN}") is None
    assert url_problem(f"ntfy://{NOTIFY_TOKEN}") is None
    assert asked == ["hook.example", "hook.lan"]
    with override_settings(ALLOW_LINK_LOCAL=True):
        assert url_problem(f"json://hook.example/{NOTIFY_TOKEN}") is None
