from __future__ import annotations

import logging
from urllib.parse import unquote

import pytest

from accounts.hashed_tokens import TOKEN_CHARACTERS, new_token
from taggarr.logging import RedactSecretsFilter, process_role, redact
from tests.helpers import ARR_KEY, find_leak


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("GET http://sonarr:8989/api/v3/series?apikey=abcdef123456", "abcdef123456"),
        ("headers={'X-Api-Key': 'abcdef123456'}", "abcdef123456"),
        ("Authorization: Bearer abcdef123456", "abcdef123456"),
        ("login password=hunter2hunter2", "hunter2hunter2"),
        ("broker redis://:hunter2hunter2@redis:6379/0", "hunter2hunter2"),
        ("'LOCATION': 'rediss://default:hunter2hunter2@redis'", "hunter2hunter2"),
        ("db postgres://taggarr:hunter2hunter2@db:5432/taggarr", "hunter2hunter2"),
    ],
)
def test_redact_masks_secrets(text: str, secret: str) -> None:
    cleaned = redact(text)
    assert secret not in cleaned
    assert "****" in cleaned


def test_filter_rewrites_the_record() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "url %s", ("?apikey=zzz999",), None)
    RedactSecretsFilter().filter(record)
    assert "zzz999" not in record.getMessage()


@pytest.mark.parametrize(
    ("argv", "role"),
    [
        (["/venv/bin/celery", "-A", "taggarr", "worker"], "worker"),
        (["/venv/bin/celery", "-A", "taggarr", "beat"], "beat"),
        (["/venv/bin/gunicorn", "taggarr.wsgi"], "web"),
        (["manage.py", "scan"], "cli"),
        (
            ["/venv/lib/python3.11/site-packages/celery/__main__.py", "-A", "taggarr", "worker"],
            "worker",
        ),
        (["/venv/lib/python3.11/site-packages/celery/__main__.py", "beat"], "beat"),
    ],
)
def test_process_role(argv: list[str], role: str) -> None:
    assert process_role(argv) == role


@pytest.mark.parametrize(
    "line",
    [
        "Not Found: /api/webhooks/Zq3k9tokenSECRET_-x/",
        '127.0.0.1 - - "POST /api/webhooks/Zq3k9tokenSECRET_-x HTTP/1.1" 202 31',
        "Bad Request: /api/webhooks/Zq3k9tokenSECRET_-x/?x=1",
    ],
)
def test_webhook_tokens_in_request_paths_are_redacted(line: str) -> None:
    assert "Zq3k9tokenSECRET_-x" not in redact(line)
    assert "/api/webhooks/****" in redact(line)


def test_django_request_log_lines_are_redacted_in_the_log_file(client, db, settings) -> None:
    """Django logs every 4xx with its path; the file handler must not keep the token."""
    log_file = settings.DATA_DIR / "logs" / "taggarr-cli.log"
    response = client.get("/api/webhooks/Zq3k9tokenSECRET_-y/")  # GET: 405, logged
    assert response.status_code == 405
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = log_file.read_text(encoding="utf-8")
    assert "/api/webhooks/****/" in text
    assert "Zq3k9tokenSECRET_-y" not in text


def test_gunicorn_access_log_is_redacted(capsys) -> None:
    from gunicorn.config import Config

    from taggarr.gunicorn_conf import RedactingLogger

    config = Config()
    config.set("accesslog", "-")
    logger = RedactingLogger(config)
    logger.access_log.info('"POST /api/webhooks/Zq3k9tokenSECRET_-z/ HTTP/1.1" 202')
    out = capsys.readouterr().out
    assert "/api/webhooks/****/" in out
    assert "Zq3k9tokenSECRET_-z" not in out


@pytest.mark.parametrize(
    ("text", "leaks"),
    [
        (f"GET /api/webhooks/abcDEF123_-x/ 401 apikey={ARR_KEY}", True),
        ("POST /api/webhooks/abcDEF123_-x HTTP/1.1", True),
        ("POST /api/webhooks/****/ HTTP/1.1", False),
        ("POST /api/webhooks/ HTTP/1.1", False),
        ("scan #3 of tv finished", False),
    ],
)
def test_the_leak_guard_of_every_test_finds_secrets(text: str, leaks: bool) -> None:
    """tests/conftest.py runs this over what each test wrote to the log files."""
    assert (find_leak(text) is not None) is leaks
    assert find_leak(redact(text)) is None


# The shape hashed_tokens.new_token() gives every webhook and feed token (fixed: the
# parameters' ids must be the same in every test process).
WEBHOOK_TOKEN = "Wh00k-T0ken_5ecret-" + "x9Q" * 8
FEED_TOKEN = "tgf_" + "F33d-T0ken_5ecret-" + "k7Z" * 8 + "a"


def test_the_tests_tokens_have_the_shape_of_real_ones() -> None:
    assert len(WEBHOOK_TOKEN) == len(new_token()) == TOKEN_CHARACTERS
    assert len(FEED_TOKEN) == len(new_token("tgf_"))


def _percent_encoded(text: str) -> str:
    return "".join(f"%{byte:02X}" for byte in text.encode())


@pytest.mark.parametrize(
    "line",
    [
        # The probe's spellings (issue 59): gunicorn's access log writes the request line
        # as sent; Django resolves the decoded path, so each reaches the webhook or a 404.
        f'"POST /api/%77ebhooks/{WEBHOOK_TOKEN}/ HTTP/1.1" 202 31',
        f'"POST /api//webhooks/{WEBHOOK_TOKEN}/ HTTP/1.1" 404 179',
        f"Not Found: /api//webhooks/{WEBHOOK_TOKEN}/",
        f'"POST /api/webhooks/{_percent_encoded(WEBHOOK_TOKEN)}/ HTTP/1.1" 202 31',
        f'"POST /api%2Fwebhooks%2F{WEBHOOK_TOKEN} HTTP/1.1" 404 179',
        f'"GET /feeds/dubs.atom?%74oken={_percent_encoded(FEED_TOKEN)} HTTP/1.1" 200 512',
        f'"GET /feeds/dubs.atom?t={FEED_TOKEN[4:]} HTTP/1.1" 404 179',
        f'"GET /x HTTP/1.1" 404 0 "https://taggarr/feeds/dubs.atom?token={FEED_TOKEN}" "-"',
        f'"POST /api/%2577ebhooks/{_percent_encoded(WEBHOOK_TOKEN)} HTTP/1.1" 404 0',
    ],
)
def test_a_token_is_masked_however_its_path_or_query_is_spelled(line: str) -> None:
    cleaned = redact(line)
    for token in (WEBHOOK_TOKEN, FEED_TOKEN, FEED_TOKEN[4:]):
        assert token not in cleaned and token not in unquote(unquote(cleaned))
    assert "****" in cleaned


def test_a_decoded_line_keeps_its_control_characters_escaped() -> None:
    """Decoded to find the token, the line must not gain the line breaks it spelled."""
    cleaned = redact("Not Found: /api/%77ebhooks/short-SECRET/%0D%0Aforged%1B[2J")
    assert cleaned == "Not Found: /api/webhooks/****/%0D%0Aforged%1B[2J"


@pytest.mark.parametrize(
    "line",
    [
        '"GET /admin/scanner/media/?q=Show%20Name HTTP/1.1" 200 5120',
        "scan #3 of tv: 12 items listed, 2 to scan, 10 unchanged",
        "a 44-character name: " + "x" * 44,
    ],
)
def test_a_line_without_a_token_is_logged_as_it_was(line: str) -> None:
    assert redact(line) == line


def test_the_request_log_masks_a_webhook_token_in_an_odd_path(client, db, settings) -> None:
    """``/api//webhooks/<token>/`` is a 404 Django logs with its path, in the log file
    superusers download (Logs page)."""
    log_file = settings.DATA_DIR / "logs" / "taggarr-cli.log"
    assert client.post(f"/api//webhooks/{WEBHOOK_TOKEN}/").status_code == 404
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = log_file.read_text(encoding="utf-8")
    assert "/api//webhooks/****/" in text
    assert WEBHOOK_TOKEN not in text


def test_gunicorns_access_log_masks_a_token_however_the_path_is_spelled(capsys) -> None:
    from gunicorn.config import Config

    from taggarr.gunicorn_conf import RedactingLogger

    config = Config()
    config.set("accesslog", "-")
    logger = RedactingLogger(config)
    logger.access_log.info('"POST /api/%%77ebhooks/%s/ HTTP/1.1" 202', WEBHOOK_TOKEN)
    out = capsys.readouterr().out
    assert "/api/%77ebhooks/****/" in out
    assert WEBHOOK_TOKEN not in out


@pytest.mark.parametrize(
    ("said", "written"),
    [
        ("folder Show\nERROR forged line", "folder Show\\x0aERROR forged line"),
        ("title \x1b[31mred\r", "title \\x1b[31mred\\x0d"),
        ("line\u2028separator", "line\\u2028separator"),
        ("a tab\tstays", "a tab\tstays"),
    ],
)
def test_outside_text_in_a_message_forges_no_line(said: str, written: str) -> None:
    # A file or folder name may hold CR/LF (POSIX allows any byte but / and NUL in a
    # name): quoted in a log message it must not start a record of its own.
    record = logging.LogRecord("scanner", logging.WARNING, __file__, 1, "read %s", (said,), None)
    RedactSecretsFilter().filter(record)
    assert record.getMessage() == f"read {written}"
