from __future__ import annotations

import logging

import pytest

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
